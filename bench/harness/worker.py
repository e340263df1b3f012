"""One peer engine transcribing a list of clips in one cold process (run by bench.py, timed from outside).

    worker.py faster-whisper|whispercpp|openai --model PATH --threads N --beam B [--compute-type T]
              --clips clips.json --out result.json

Prints `SEGMENT` on stdout (flushed) when the first segment is decoded, so the harness can time the first
segment of a cold process; writes {id: {"text", "segments"}} to --out. Settings other than threads and beam
are each engine's transcribe defaults, brought to openai-whisper's where they differ (see whispercpp below).
"""
import argparse
import json
import sys


def first_segment_marker():
    said = False

    def mark():
        nonlocal said
        if not said:
            said = True
            print("SEGMENT", flush=True)
    return mark


def run_faster_whisper(args, clips, mark):
    from faster_whisper import WhisperModel

    model = WhisperModel(args.model, device="cpu", compute_type=args.compute_type, cpu_threads=args.threads,
                         num_workers=1)
    out = {}
    for clip in clips:
        # beam_size=1 is faster-whisper's greedy search; temperature fallback, condition_on_previous_text,
        # suppress_tokens=[-1] and the thresholds are its defaults, the same as openai-whisper's.
        segments, _ = model.transcribe(clip["path"], language=clip.get("language", "en"), beam_size=args.beam)
        got = []
        for s in segments:
            mark()
            got.append({"start": round(s.start, 3), "end": round(s.end, 3), "text": s.text})
        out[clip["id"]] = {"text": join(got), "segments": got}
    return out


def join(segments):
    # faster-whisper's segment texts start with their space, pywhispercpp's may not: join on one space.
    return " ".join(" ".join(s["text"] for s in segments).split())


def run_whispercpp(args, clips, mark):
    from faster_whisper.audio import decode_audio
    from pywhispercpp.model import Model

    greedy = args.beam == 1
    # suppress_nst: openai-whisper suppresses non-speech tokens by default, whisper.cpp does not. no_context
    # stays True: whisper.cpp still conditions each window on the previous text of the same file, and False
    # would carry the last file's text into the next one (openai-whisper starts each file afresh).
    model = Model(args.model, params_sampling_strategy=0 if greedy else 1, redirect_whispercpp_logs_to=None,
                  n_threads=args.threads, language="en", print_progress=False, print_realtime=False,
                  no_context=True, suppress_nst=True,
                  beam_search={"beam_size": args.beam if not greedy else -1, "patience": -1.0})
    out = {}
    for clip in clips:
        # The same decoder (PyAV, resampled to 16 kHz mono) as faster-whisper: pywhispercpp itself reads only
        # 16 kHz 16-bit WAV and shells out to ffmpeg for anything else.
        audio = decode_audio(clip["path"], sampling_rate=16000)
        segments = model.transcribe(audio, new_segment_callback=lambda s: mark(),
                                    language=clip.get("language", "en"))
        got = [{"start": s.t0 / 100, "end": s.t1 / 100, "text": s.text} for s in segments]
        out[clip["id"]] = {"text": join(got), "segments": got}
    return out


def run_openai(args, clips, mark):
    """openai-whisper, the reference, on the .pt of the same weights (tools/python/openai_checkpoint.py), float32 on
    the CPU. Its transcribe returns when a file is done; with verbose=True it prints each segment as it is decoded,
    which is when the first-segment mark is given (the lines themselves are dropped)."""
    import torch
    import whisper
    from faster_whisper.audio import decode_audio

    torch.set_num_threads(args.threads)
    model = whisper.load_model(args.model, device="cpu")

    real = sys.stdout

    class SegmentLines:
        def write(self, text):
            if "-->" in text:  # the mark itself goes to the real stdout
                sys.stdout = real
                try:
                    mark()
                finally:
                    sys.stdout = self
            return len(text)

        def flush(self):
            pass

    out = {}
    for clip in clips:
        # best_of 5 is openai's CLI default (its Python default samples once) and faster-whisper's; the rest are
        # transcribe's defaults (temperature fallback, condition_on_previous_text, the thresholds).
        # openai-whisper reads files through an ffmpeg executable, which this machine need not have: the samples
        # come from the same decoder as the other Python peers' (PyAV, resampled to 16 kHz mono) instead.
        audio = decode_audio(clip["path"], sampling_rate=16000)
        sys.stdout = SegmentLines()
        try:
            result = model.transcribe(audio, language=clip.get("language", "en"), fp16=False, verbose=True,
                                      beam_size=args.beam if args.beam > 1 else None, best_of=5)
        finally:
            sys.stdout = real
        got = [{"start": round(s["start"], 3), "end": round(s["end"], 3), "text": s["text"]} for s in result["segments"]]
        out[clip["id"]] = {"text": join(got), "segments": got}
    return out


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("engine", choices=["faster-whisper", "whispercpp", "openai"])
    p.add_argument("--model", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--beam", type=int, required=True)
    p.add_argument("--compute-type", default="float32")
    p.add_argument("--clips", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    with open(args.clips, encoding="utf-8") as f:
        clips = json.load(f)
    run = {"faster-whisper": run_faster_whisper, "whispercpp": run_whispercpp, "openai": run_openai}[args.engine]
    result = run(args, clips, first_segment_marker())
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    sys.exit(main())
