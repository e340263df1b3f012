"""Reference tokens for one-window beam search, made by faster-whisper (the reference we must match).

Same recipe as make_reference_tokens.py (tiny.en CTranslate2 float32, timestamps on, VAD off, the first
window only) but with beam_size=5, patience=1, length_penalty=1 (CTranslate2's plain length normalisation),
temperature 0 only (no fallback). Records the generated tokens (EOT excluded), avg log-prob and text per clip.
The Java test decodes faster-whisper's own mel of the clips in decoding/mel/ (written by make_reference_tokens.py).

Usage:
  $(tools/python/venv)/bin/python -u tools/python/make_beam_fixtures.py [--sets jfk,ljspeech_lj001,...] [--per-set N]
"""

import argparse
import csv
import os
from pathlib import Path

from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio

SETS = "jfk,ljspeech_lj001,pocketsphinx,mfa_tests"
MEL_IDS = {"jfk", "goforward", "cards-001", "LJ001-0002", "LJ001-0005", "61-70968-0000"}  # decoding/mel/


def main():
    repo = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.expanduser("~/.cache/auricle/models/tiny.en"))
    ap.add_argument("--speech", default=str(repo.parent / "shared" / "data" / "speech"))
    ap.add_argument("--out", default=str(repo / "core/src/test/resources/io/auricle/decoding/beam5_tokens.tsv"))
    ap.add_argument("--sets", default=SETS)
    ap.add_argument("--beam-size", type=int, default=5)
    ap.add_argument("--per-set", type=int, default=6, help="clips per set besides the mel clips")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    model = WhisperModel(args.model, device="cpu", compute_type="float32", cpu_threads=args.threads)
    captured = {}
    generate = model.generate_with_fallback

    def capture_generate(encoder_output, prompt, tokenizer, options):
        out = generate(encoder_output, prompt, tokenizer, options)
        if "tokens" not in captured:  # the first window only
            result, avg_logprob, temperature, compression_ratio = out
            captured.update(tokens=list(result.sequences_ids[0]), avg_logprob=avg_logprob,
                            text=tokenizer.decode(result.sequences_ids[0]).strip())
        return out

    model.generate_with_fallback = capture_generate
    rows = []
    for name in args.sets.split(","):
        taken = 0
        with open(Path(args.speech) / name / "manifest.tsv", newline="") as f:
            for clip in csv.DictReader(f, delimiter="\t"):
                if clip["language"] != "en" or float(clip["seconds"]) > 30.0:
                    continue
                if clip["id"] not in MEL_IDS:
                    if taken >= args.per_set:
                        continue
                    taken += 1
                try:
                    audio = decode_audio(str(Path(args.speech) / name / clip["file"]))
                except Exception as e:  # corrupt or unsupported: not a decoding reference
                    print(f"skip {name}/{clip['id']}: {e}")
                    continue
                captured.clear()
                segments, _ = model.transcribe(
                    audio, language="en", beam_size=args.beam_size, best_of=1, patience=1, length_penalty=1,
                    temperature=0.0, without_timestamps=False, condition_on_previous_text=False, vad_filter=False)
                list(segments)
                if "tokens" not in captured:
                    print(f"skip {name}/{clip['id']}: no window decoded")
                    continue
                rows.append([name, clip["id"], " ".join(map(str, captured["tokens"])),
                             f"{captured['avg_logprob']:.6f}", captured["text"]])
                print(name, clip["id"], captured["text"])

    with open(args.out, "w", newline="") as f:
        f.write(f"# faster-whisper 1.2.1, tiny.en CT2 float32, beam_size={args.beam_size} patience=1 length_penalty=1, "
                "temperature 0, timestamps, first window; made by tools/python/make_beam_fixtures.py\n")
        w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        w.writerow(["set", "id", "tokens", "avg_logprob", "text"])
        w.writerows(rows)
    print(f"{len(rows)} clips")


if __name__ == "__main__":
    main()
