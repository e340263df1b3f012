"""Study of word-start refinements against the MFA TextGrids, offline on cached word timings.

    $(bench/harness/venv)/bin/python tools/python/word_onset_study.py --words /tmp/trans-words/tiny.en/auricle-reference.json

Reads the words wer_word_timing.py cached for one engine, matches them to the TextGrids as it does, and prints
the signed start/end error distribution and the median |start error| after candidate refinements computed on the
log-mel energy (Whisper's spectrogram, faster-whisper's feature extractor): a constant shift, and snapping each
start to the steepest energy rise within +-N 10 ms frames.
"""
import argparse
import json
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import wer_word_timing as wt  # noqa: E402


def energy(path):
    from faster_whisper.audio import decode_audio
    from faster_whisper.feature_extractor import FeatureExtractor
    mel = FeatureExtractor(feature_size=80)(decode_audio(str(path)))  # [80, frames], log10 power
    return mel.max(axis=0)  # loudest bin per 10 ms frame


def matched(hyp, ref, normalize):
    def norm(words):
        return [normalize(w[0]).replace(" ", "") for w in words]
    h, r = norm(hyp), norm(ref)
    import difflib
    for block in difflib.SequenceMatcher(a=h, b=r, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            if h[block.a + k]:
                yield hyp[block.a + k], ref[block.b + k]


def snap(start, e, radius):
    f = int(round(start * 100))
    lo, hi = max(1, f - radius), min(len(e) - 1, f + radius)
    if lo >= hi:
        return start
    rise = e[lo:hi + 1] - e[lo - 1:hi]
    return (lo + int(np.argmax(rise))) / 100


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--words", required=True)
    args = p.parse_args()
    words = json.loads(Path(args.words).read_text(encoding="utf-8"))
    normalize = wt.load_english_normalizer()
    pairs = []
    for n in wt.FILES:
        ref = wt.textgrid_words(wt.SPEECH / "mfa_tests" / (n + ".TextGrid"))
        e = energy(wt.SPEECH / "mfa_tests" / (n + ".flac"))
        pairs += [(h, r, e) for h, r in matched([tuple(w) for w in words[n]], ref, normalize)]
    ds = [h[1] - r[1] for h, r, _ in pairs]
    de = [h[2] - r[2] for h, r, _ in pairs]
    q = lambda xs: " ".join(f"{1000 * x:.0f}" for x in np.percentile(xs, [10, 25, 50, 75, 90]))
    print(f"{len(pairs)} words; signed start error ms (p10 p25 p50 p75 p90): {q(ds)}; end: {q(de)}")
    print(f"median |start| {1000 * statistics.median(abs(x) for x in ds):.0f} ms, |end| "
          f"{1000 * statistics.median(abs(x) for x in de):.0f} ms")
    for shift in (-0.06, -0.04, -0.02, 0.02, 0.04, 0.06):
        print(f"shift {1000 * shift:+.0f} ms: median |start| "
              f"{1000 * statistics.median(abs(x + shift) for x in ds):.0f} ms")
    for radius in (1, 2, 3, 5, 8):
        errs = [snap(h[1], e, radius) - r[1] for h, r, e in pairs]
        print(f"snap +-{radius} frames: median |start| {1000 * statistics.median(abs(x) for x in errs):.0f} ms, "
              f"signed p50 {1000 * statistics.median(errs):.0f}")


if __name__ == "__main__":
    main()
