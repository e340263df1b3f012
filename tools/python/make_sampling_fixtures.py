"""Reference tokens for sampling at temperature > 0, made by faster-whisper with a seeded CTranslate2.

Auricle draws its samples as CTranslate2 does (a std::mt19937 seeded with the seed, one
std::discrete_distribution draw per token, best_of samples advancing together), so with the same seed both
engines sample the same tokens. Cases (tiny.en CT2 float32, timestamps on, VAD off, no previous text):
  window: the first window of jfk at one temperature, best_of 1 and 5 (the test decodes faster-whisper's mel
          of jfk from decoding/mel/);
  file:   jfk cut in two by clip_timestamps (0-6 s, 6-11 s: two windows) at temperature 0.6 only, every
          segment's tokens: the random numbers run on from the first window into the second.
Each case loads a new model: CTranslate2 seeds its generator per worker thread at the first draw.

Usage:
  $(bench/harness/venv)/bin/python tools/python/make_sampling_fixtures.py
"""

import argparse
import csv
import os
from pathlib import Path

import ctranslate2
from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio

CLIPS = "0,6,6,11"

# (set, id, file, seed, best_of, temperature, first window only)
CASES = [
    ("jfk", "jfk", "jfk.wav", 7, 1, 1.0, True),
    ("jfk", "jfk", "jfk.wav", 7, 5, 1.0, True),
    ("jfk", "jfk", "jfk.wav", 3, 5, 0.6, True),
    ("jfk", "jfk", "jfk.wav", 2026, 1, 0.4, True),
    ("jfk", "jfk", "jfk.wav", 11, 5, 0.6, False),
]


def main():
    repo = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.expanduser("~/.cache/auricle/models/tiny.en"))
    ap.add_argument("--speech", default=str(repo.parent / "shared" / "data" / "speech"))
    ap.add_argument("--out", default=str(repo / "core/src/test/resources/io/auricle/decoding/sampled_tokens.tsv"))
    args = ap.parse_args()

    rows = []
    for name, clip, file, seed, best_of, temperature, first_window in CASES:
        ctranslate2.set_random_seed(seed)
        model = WhisperModel(args.model, device="cpu", compute_type="float32", cpu_threads=1)
        windows = []
        generate = model.generate_with_fallback

        def capture_generate(encoder_output, prompt, tokenizer, options):
            out = generate(encoder_output, prompt, tokenizer, options)
            windows.append(list(out[0].sequences_ids[0]))
            return out

        model.generate_with_fallback = capture_generate
        audio = decode_audio(str(Path(args.speech) / name / file))
        segments, _ = model.transcribe(
            audio, language="en", beam_size=5 if best_of > 1 else 1, best_of=best_of, temperature=[temperature],
            without_timestamps=False, condition_on_previous_text=True, vad_filter=False,
            clip_timestamps="0" if first_window else CLIPS)
        segments = list(segments)
        if first_window:
            tokens = " ".join(map(str, windows[0]))
            case = "window"
        else:
            tokens = " | ".join(" ".join(map(str, s.tokens)) for s in segments)
            case = "file"
        rows.append([case, name, clip, seed, best_of, temperature, tokens])
        print(case, clip, seed, best_of, temperature, " ".join(s.text for s in segments))
        del model

    with open(args.out, "w", newline="") as f:
        f.write("# faster-whisper 1.2.1 (CTranslate2 seeded), tiny.en CT2 float32, timestamps, no VAD;"
                " made by tools/python/make_sampling_fixtures.py\n")
        w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        w.writerow(["case", "set", "id", "seed", "best_of", "temperature", "tokens"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
