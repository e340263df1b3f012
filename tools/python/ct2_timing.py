"""Encoder ms per 30 s window and decoder ms per token of CTranslate2 (faster-whisper's model object), to set next
to Auricle's DecoderStepBenchmark / EncoderBenchmark on the same machine. Run with the bench venv:

    nice -n 10 $(bench/harness/venv)/bin/python tools/python/ct2_timing.py --model tiny.en \\
        --compute_types float32 int8 --threads 2

Encoder: model.model.encode of one padded 30 s window (jfk's log-mel), best of --repeats.
Decoder: model.model.generate, greedy, without timestamps, end-of-text suppressed so every run makes exactly
max_length tokens; ms per token = (time(long) - time(short)) / (long - short), which cancels the prompt and the
cross-attention keys/values (computed once per window). Wall time and process CPU time (all threads) are both
printed: the shared machine is loaded, so CPU time is the steadier figure.
"""
import argparse
import os
import time
from pathlib import Path

import ctranslate2
import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio
from faster_whisper.tokenizer import Tokenizer

ROOT = Path(__file__).resolve().parents[2]
SPEECH = Path(os.environ.get("AURICLE_SPEECH_DIR", ROOT.parent / "shared" / "data" / "speech"))
if not SPEECH.is_dir():
    SPEECH = Path("/work/shared/data/speech")


def model_dir(model):
    p = Path(model)
    return p if p.exists() else Path(os.environ.get("AURICLE_CACHE", Path.home() / ".cache/auricle")) / "models" / model


def best(fn, repeats):
    """(best wall s, best process CPU s) of repeats calls."""
    walls, cpus = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="tiny.en")
    p.add_argument("--compute_types", nargs="+", default=["float32", "int8"])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--short", type=int, default=8, help="tokens of the short generate run")
    p.add_argument("--long", type=int, default=108, help="tokens of the long generate run")
    args = p.parse_args()
    jfk = sorted((SPEECH / "jfk").glob("*.wav"))[0]
    print(f"CTranslate2 {ctranslate2.__version__}, {args.model}, {args.threads} threads, audio {jfk.name}")
    print("| compute_type | encoder wall ms | encoder CPU ms | decoder wall ms/token | decoder CPU ms/token |")
    print("|---|---|---|---|---|")
    for ct in args.compute_types:
        m = WhisperModel(str(model_dir(args.model)), device="cpu", compute_type=ct, cpu_threads=args.threads)
        mel = m.feature_extractor(decode_audio(str(jfk)))
        frames = np.zeros((mel.shape[0], 3000), dtype=np.float32)
        frames[:, :min(3000, mel.shape[1])] = mel[:, :3000]
        features = ctranslate2.StorageView.from_array(np.ascontiguousarray(frames[None]))
        tok = Tokenizer(m.hf_tokenizer, m.model.is_multilingual, task="transcribe",
                        language="en" if m.model.is_multilingual else None)
        prompt = list(tok.sot_sequence) + [tok.no_timestamps]
        encoded = m.model.encode(features, to_cpu=False)
        encoded = m.model.encode(features, to_cpu=False)  # warm-up

        enc_wall, enc_cpu = best(lambda: m.model.encode(features, to_cpu=False), args.repeats)

        def generate(n):
            r = m.model.generate(encoded, [prompt], beam_size=1, max_length=len(prompt) + n,
                                 suppress_tokens=[tok.eot], suppress_blank=False, return_scores=False)
            got = len(r[0].sequences_ids[0])
            if got < n:
                raise SystemExit(f"generate stopped after {got} of {n} tokens")

        generate(args.short)  # warm-up
        s_wall, s_cpu = best(lambda: generate(args.short), args.repeats)
        l_wall, l_cpu = best(lambda: generate(args.long), args.repeats)
        n = args.long - args.short
        print(f"| {ct} | {enc_wall * 1e3:.0f} | {enc_cpu * 1e3:.0f} | {(l_wall - s_wall) / n * 1e3:.2f} "
              f"| {(l_cpu - s_cpu) / n * 1e3:.2f} |", flush=True)


if __name__ == "__main__":
    main()
