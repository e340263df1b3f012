"""faster-whisper's transcription of audio files, as JSON: the side-by-side reference for Auricle's pipeline.

    $(tools/python/venv)/bin/python tools/python/reference_transcribe.py FILE... [--model DIR] [--word_timestamps]
        [--beam_size 1] [--condition_on_previous_text True] [--prefix TEXT] [--hotwords TEXT]
        [--without_timestamps] [--out result.json]

Same weights as Auricle (default: the tiny.en CTranslate2 model in ~/.cache/auricle/models/tiny.en), float32,
greedy (beam_size 1, best_of 1) and openai-whisper's other defaults unless told otherwise. Prints (or writes)
{"files": [{"file", "language", "duration", "seconds" (wall), "text", "segments": [{start, end, text, tokens,
words: [{start, end, word, probability}]}]}]}.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path


def str2bool(s):
    return s.lower() in ("1", "true", "yes")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("files", nargs="+")
    p.add_argument("--model", default=str(Path(os.environ.get("AURICLE_CACHE", Path.home() / ".cache/auricle"))
                                          / "models/tiny.en"))
    p.add_argument("--word_timestamps", action="store_true")
    p.add_argument("--beam_size", type=int, default=1)
    p.add_argument("--condition_on_previous_text", type=str2bool, default=True)
    p.add_argument("--language", default=None)
    p.add_argument("--without_timestamps", action="store_true")
    p.add_argument("--prefix", default=None, help="faster-whisper's prefix (first window only)")
    p.add_argument("--hotwords", default=None, help="faster-whisper's hotwords (prompt before previous text)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out", default=None)
    args = p.parse_args()

    from faster_whisper import WhisperModel
    model = WhisperModel(args.model, device="cpu", compute_type="float32", cpu_threads=args.threads)
    results = []
    for f in args.files:
        t0 = time.time()
        segments, info = model.transcribe(
            f, beam_size=args.beam_size, best_of=1, language=args.language,
            word_timestamps=args.word_timestamps,
            condition_on_previous_text=args.condition_on_previous_text,
            vad_filter=False, without_timestamps=args.without_timestamps, prefix=args.prefix, hotwords=args.hotwords)
        segs = []
        for s in segments:
            segs.append(dict(start=s.start, end=s.end, text=s.text, tokens=list(s.tokens),
                             temperature=s.temperature, avg_logprob=s.avg_logprob,
                             words=[dict(start=w.start, end=w.end, word=w.word, probability=w.probability)
                                    for w in (s.words or [])]))
        results.append(dict(file=str(f), language=info.language, duration=info.duration,
                            seconds=time.time() - t0, text="".join(s["text"] for s in segs), segments=segs))
        print(f"{f}: {results[-1]['seconds']:.1f} s", file=sys.stderr)
    out = json.dumps(dict(model=args.model, word_timestamps=args.word_timestamps, beam_size=args.beam_size,
                          prefix=args.prefix, hotwords=args.hotwords,
                          files=results), indent=1, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(out + "\n", encoding="utf-8")
    else:
        print(out)


if __name__ == "__main__":
    main()
