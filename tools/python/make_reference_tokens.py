"""Reference tokens for one-window decoding, made by faster-whisper (the reference we must match).

For every English clip of at most 30 s in the chosen speech sets, runs faster-whisper's transcribe with the
tiny.en CTranslate2 model in float32, greedy (beam_size=1, temperature 0), timestamps on, VAD off, and records
the first window's generated token ids (timestamps included, EOT excluded) together with the prompt, the
suppress list, avg log-prob, no-speech probability and text. faster-whisper's own log-mel of that window is
also written for a few clips (--mel-ids), so the Java decoder can be checked before our own mel exists.

Usage:
  $(tools/python/venv)/bin/python tools/python/make_reference_tokens.py \
      [--model ~/.cache/auricle/models/tiny.en] [--speech ../shared/data/speech] [--out DIR] [--mel-ids a,b]
"""

import argparse
import csv
import gzip
import json
import os
from pathlib import Path

import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio

SETS = ["jfk", "ljspeech_lj001", "pocketsphinx", "mfa_tests"]
DEFAULT_MEL_IDS = "jfk,goforward,cards-001,LJ001-0002,LJ001-0005,61-70968-0000"


def main():
    repo = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.expanduser("~/.cache/auricle/models/tiny.en"))
    ap.add_argument("--speech", default=str(repo.parent / "shared" / "data" / "speech"))
    ap.add_argument("--out", default=str(repo / "core/src/test/resources/io/auricle/decoding"))
    ap.add_argument("--mel-ids", default=DEFAULT_MEL_IDS)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    model = WhisperModel(args.model, device="cpu", compute_type="float32", cpu_threads=args.threads)
    captured = {}
    generate = model.generate_with_fallback
    encode = model.encode

    def capture_encode(features):
        captured.setdefault("mel", np.array(features, dtype=np.float32))
        return encode(features)

    def capture_generate(encoder_output, prompt, tokenizer, options):
        out = generate(encoder_output, prompt, tokenizer, options)
        if "tokens" not in captured:  # the first window only
            result, avg_logprob, temperature, compression_ratio = out
            captured.update(
                prompt=list(prompt),
                suppress=list(options.suppress_tokens),
                tokens=list(result.sequences_ids[0]),
                avg_logprob=avg_logprob,
                no_speech_prob=result.no_speech_prob,
                compression_ratio=compression_ratio,
                text=tokenizer.decode(result.sequences_ids[0]).strip(),
            )
        return out

    model.encode = capture_encode
    model.generate_with_fallback = capture_generate

    out = Path(args.out)
    (out / "mel").mkdir(parents=True, exist_ok=True)
    mel_ids = set(filter(None, args.mel_ids.split(",")))
    rows, suppress = [], None
    for name in SETS:
        with open(Path(args.speech) / name / "manifest.tsv", newline="") as f:
            for clip in csv.DictReader(f, delimiter="\t"):
                if clip["language"] != "en" or float(clip["seconds"]) > 30.0:
                    continue
                path = Path(args.speech) / name / clip["file"]
                try:
                    audio = decode_audio(str(path))
                except Exception as e:  # corrupt or unsupported: not a decoding reference
                    print(f"skip {name}/{clip['id']}: {e}")
                    continue
                captured.clear()
                segments, _ = model.transcribe(
                    audio, language="en", beam_size=1, best_of=1, temperature=0.0,
                    without_timestamps=False, condition_on_previous_text=False, vad_filter=False)
                list(segments)  # run the generator
                if "tokens" not in captured:
                    print(f"skip {name}/{clip['id']}: no window decoded")
                    continue
                suppress = suppress or captured["suppress"]
                assert captured["suppress"] == suppress
                rows.append([name, clip["id"], " ".join(map(str, captured["prompt"])),
                             " ".join(map(str, captured["tokens"])), f"{captured['avg_logprob']:.6f}",
                             f"{captured['no_speech_prob']:.6f}", f"{captured['compression_ratio']:.6f}",
                             captured["text"]])
                if clip["id"] in mel_ids:
                    mel = captured["mel"]
                    mel = mel.reshape(mel.shape[-2], mel.shape[-1])
                    frames = int(np.max(np.nonzero(np.any(mel != 0, axis=0))[0])) + 1
                    # [n_mels][frames] of content; the window is zero beyond them (faster-whisper's pad_or_trim).
                    with gzip.GzipFile(out / "mel" / f"{clip['id']}.f32.gz", "wb", mtime=0) as g:
                        g.write(np.ascontiguousarray(mel[:, :frames]).astype("<f4").tobytes())
                print(name, clip["id"], captured["text"])

    with open(out / "reference_tokens.tsv", "w", newline="") as f:
        f.write("# faster-whisper 1.2.1, tiny.en CT2 float32, greedy, timestamps, first window; "
                "made by tools/python/make_reference_tokens.py\n")
        w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        w.writerow(["set", "id", "prompt", "tokens", "avg_logprob", "no_speech_prob", "compression_ratio", "text"])
        w.writerows(rows)
    with open(out / "reference_suppress.json", "w") as f:
        json.dump({"suppress_tokens": suppress}, f)
        f.write("\n")
    print(f"{len(rows)} clips")


if __name__ == "__main__":
    main()
