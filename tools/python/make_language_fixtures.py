"""Reference language detection and translation, made by faster-whisper with the multilingual base model.

For every clip of the chosen sets: faster-whisper's transcribe with language=None (it detects on the first
30 s of its log-mel, padding 160) records the detected language, its probability and every language's
probability (top 10 kept). For the translate clips: task="translate", greedy, temperature 0, timestamps on,
VAD off, the first window's tokens (EOT excluded) and text.

Usage:
  $(tools/python/venv)/bin/python -u tools/python/make_language_fixtures.py [--model ~/.cache/auricle/models/base]
"""

import argparse
import json
import csv
import os
from pathlib import Path

from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio

SETS = ["multilingual_leopard"]
TRANSLATE = ["test_de", "test_es", "test_fr"]


def main():
    repo = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.expanduser("~/.cache/auricle/models/base"))
    ap.add_argument("--speech", default=str(repo.parent / "shared" / "data" / "speech"))
    ap.add_argument("--out", default=str(repo / "core/src/test/resources/io/auricle/decoding/language_base.json"))
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    model = WhisperModel(args.model, device="cpu", compute_type="float32", cpu_threads=args.threads)
    captured = {}
    generate = model.generate_with_fallback

    def capture_generate(encoder_output, prompt, tokenizer, options):
        out = generate(encoder_output, prompt, tokenizer, options)
        if "tokens" not in captured:
            captured.update(prompt=list(prompt), tokens=list(out[0].sequences_ids[0]),
                            text=tokenizer.decode(out[0].sequences_ids[0]).strip())
        return out

    model.generate_with_fallback = capture_generate
    clips = []
    for name in SETS:
        with open(Path(args.speech) / name / "manifest.tsv", newline="") as f:
            for clip in csv.DictReader(f, delimiter="\t"):
                audio = decode_audio(str(Path(args.speech) / name / clip["file"]))
                captured.clear()
                segments, info = model.transcribe(audio, language=None, beam_size=1, temperature=0.0,
                                                  condition_on_previous_text=False, vad_filter=False)
                list(segments)
                row = {"set": name, "id": clip["id"], "file": clip["file"], "manifest_language": clip["language"],
                       "language": info.language, "probability": info.language_probability,
                       "top10": [[lang, p] for lang, p in info.all_language_probs[:10]]}
                if clip["id"] in TRANSLATE:
                    captured.clear()
                    segments, _ = model.transcribe(audio, language=info.language, task="translate", beam_size=1,
                                                   temperature=0.0, condition_on_previous_text=False,
                                                   vad_filter=False)
                    list(segments)
                    row["translate"] = {"prompt": captured["prompt"], "tokens": captured["tokens"],
                                        "text": captured["text"]}
                print(name, clip["id"], info.language, round(info.language_probability, 4),
                      row.get("translate", {}).get("text", ""))
                clips.append(row)
    with open(args.out, "w") as f:
        json.dump({"made_by": "tools/python/make_language_fixtures.py, faster-whisper 1.2.1, base CT2 float32",
                   "clips": clips}, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
