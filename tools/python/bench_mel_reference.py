#!/usr/bin/env python3
"""Times faster-whisper's numpy FeatureExtractor on 30 s of audio, the Python side of MelBenchmark.

Run: $(tools/python/venv)/bin/python tools/python/bench_mel_reference.py [repeats]
numpy runs its FFT and the mel matrix product on however many threads BLAS uses; set OMP_NUM_THREADS=1
(and OPENBLAS_NUM_THREADS=1) for a one-thread figure comparable to MelBenchmark.
"""
import sys
import time

import numpy as np
from faster_whisper.feature_extractor import FeatureExtractor


def signal(n):
    """The same formula as MelBenchmark.signal: two tones and a deterministic buzz."""
    i = np.arange(n)
    t = i / 16000.0
    x = (0.3 * np.sin(2 * np.pi * 440 * t) + 0.1 * np.sin(2 * np.pi * 3100 * t)
         + 0.05 * np.sin(i * 0.37 + np.sin(i * 0.011)))
    return x.astype(np.float32)


def timings_ms(fn, repeats):
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * min(times), 1000 * float(np.median(times)), 1000 * float(np.mean(times))


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    audio = signal(30 * 16000)
    extractor = FeatureExtractor(feature_size=80)
    for label, padding in (("padding=0 (as LogMel.compute)", 0), ("padding=160 (its default)", 160)):
        best, median, mean = timings_ms(lambda: extractor(audio, padding=padding), repeats)
        print(f"faster-whisper FeatureExtractor 30 s, 80 mels, {label}: "
              f"best {best:.2f} ms, median {median:.2f} ms, mean {mean:.2f} ms")


if __name__ == "__main__":
    main()
