"""VAD-batched inference side by side: Auricle's `--batch_size N` next to faster-whisper's BatchedInferencePipeline
on the same weights (tiny.en CTranslate2), greedy (or --beam N), the same batch size and threads, word timestamps on.

    $(bench/harness/venv)/bin/python bench/harness/batched.py [--sets ljspeech_lj001_longform 'edge_cases/declaration*']
        [--batch 8 4] [--threads 2] [--engines auricle faster-whisper] [--compute-types float32 int8]
        [--beam 1] [--out bench/results/batched.md]

Per file and engine: wall time of a cold process (start, model and VAD load, audio decode included), user CPU,
WER after Whisper's English normaliser, and the words placed in silence: words whose middle falls in a known
silence (the digital zeros of declaration_sil20start_sil20mid, 0-20 s and 80.9-100.9 s; the gaps between
the clips of ljspeech_lj001_longform from its segments.tsv). Also run as `batched.py fw-worker ...` (one
faster-whisper transcription, in the subprocess that is timed).
"""
import argparse
import json
import os
import sys
from pathlib import Path

HARNESS = Path(__file__).resolve().parent
sys.path.insert(0, str(HARNESS))
import engines  # noqa: E402
import scoring  # noqa: E402
import speechsets  # noqa: E402

ROOT = HARNESS.parent.parent
ANY_LINE = engines.WORKER_SEGMENT


def fw_worker(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--compute-type", default="float32")
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--file", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args(argv)
    from faster_whisper import BatchedInferencePipeline, WhisperModel
    model = WhisperModel(a.model, device="cpu", compute_type=a.compute_type, cpu_threads=a.threads, num_workers=1)
    pipeline = BatchedInferencePipeline(model)
    segments, _ = pipeline.transcribe(a.file, language="en", beam_size=a.beam, batch_size=a.batch, word_timestamps=True)
    out = []
    for s in segments:
        out.append({"start": s.start, "end": s.end, "text": s.text,
                    "words": [{"word": w.word, "start": w.start, "end": w.end} for w in (s.words or [])]})
    Path(a.out).write_text(json.dumps({"segments": out}), encoding="utf-8")


def silences(clip):
    """Known silent spans [start, end] seconds of a clip, or None when not known."""
    if clip.id == "declaration_sil20start_sil20mid":
        return [(0.0, 20.0), (80.9, 100.9)]
    spans = clip.path.parent / "segments.tsv"
    if clip.set_name.startswith("ljspeech_lj001_longform") and spans.is_file():
        rows = [line.split("\t") for line in spans.read_text(encoding="utf-8").splitlines()[1:]]
        edges = [(float(r[1]), float(r[2])) for r in rows]
        return [(a[1], b[0]) for a, b in zip(edges, edges[1:]) if b[0] > a[1]]
    return None


def words_in_silence(segments, spans):
    if spans is None:
        return None
    count = 0
    for s in segments:
        for w in s.get("words") or []:
            middle = (w["start"] + w["end"]) / 2
            count += any(a < middle < b for a, b in spans)
    return count


def run(engine, clip, batch, threads, model_dir, work: Path, auricle: str, compute_type="float32", beam=1):
    """One cold transcription; compute_type float32 (the stored float16 weights widened, both engines) or int8."""
    work.mkdir(parents=True, exist_ok=True)
    if engine == "auricle":
        command = [auricle, "transcribe", str(clip.path), "--model", "tiny.en", "--batch_size",
                   str(batch), "--threads", str(threads), "--word_timestamps", "True", "--output_format", "json",
                   "--output_dir", str(work), "--verbose", "False"]
        if compute_type != "float32":
            command += ["--compute_type", compute_type]
        command += ["--beam_size", str(beam)]
        result = work / (clip.path.stem + ".json")
    else:
        result = work / "fw.json"
        command = [sys.executable, str(Path(__file__).resolve()), "fw-worker", "--model", str(model_dir), "--threads",
                   str(threads), "--batch", str(batch), "--compute-type", compute_type, "--beam", str(beam), "--file", str(clip.path),
                   "--out", str(result)]
    code, wall, _, rss, user, system, _ = engines.measure(command, engines.peer_env(threads), work / "stderr.log",
                                                          ANY_LINE)
    if code != 0 or not result.is_file():
        return {"error": f"exit {code}: " + engines.excerpt(work / "stderr.log")}
    segments = json.loads(result.read_text(encoding="utf-8"))["segments"]
    return {"wall_s": wall, "user_s": user + system, "rss_mb": rss, "segments": segments,
            "text": " ".join(s["text"].strip() for s in segments)}


def main(argv):
    if argv and argv[0] == "fw-worker":
        return fw_worker(argv[1:])
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sets", nargs="+", default=["ljspeech_lj001_longform", "edge_cases/declaration*"])
    p.add_argument("--batch", nargs="+", type=int, default=[8, 4])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--engines", nargs="+", default=["auricle", "faster-whisper"])
    p.add_argument("--compute-types", nargs="+", default=["float32"], choices=["float32", "int8"])
    p.add_argument("--beam", type=int, default=1, help="beam size for both engines (1: greedy)")
    p.add_argument("--speech-dir", default=str(ROOT.parent / "shared" / "data" / "speech"))
    p.add_argument("--work", default="/tmp/auricle-batched-bench")
    p.add_argument("--out", default=str(ROOT / "bench" / "results" / "batched.md"))
    p.add_argument("--auricle", default=str(ROOT / "auricle"),
                   help="the launcher to time (a frozen build, so that no rebuild lands in a timing)")
    a = p.parse_args(argv)
    cache = Path(os.environ.get("AURICLE_CACHE", Path.home() / ".cache" / "auricle"))
    model_dir = cache / "models" / "tiny.en"
    normalize = scoring.load_normalizers()
    rows = []
    for name in a.sets:
        for clip in speechsets.load(Path(a.speech_dir), name).clips:
            spans = silences(clip)
            for batch in a.batch:
                for compute_type in a.compute_types:
                    for engine in a.engines:
                        label = engine if compute_type == "float32" else f"{engine} {compute_type}"
                        label += f" beam {a.beam}" if a.beam > 1 else ""
                        r = run(engine, clip, batch, a.threads, model_dir,
                                Path(a.work) / f"{clip.id}-{engine}-{compute_type}-b{batch}", a.auricle, compute_type,
                                a.beam)
                        if "error" not in r:
                            s = scoring.score([(clip.text, r["text"])], normalize)
                            r["wer"] = s.wer
                            r["silence_words"] = words_in_silence(r["segments"], spans)
                            r["words"] = sum(len(x.get("words") or []) for x in r["segments"])
                        rows.append((clip, batch, label, r))
                        print(line(clip, batch, label, r), flush=True)
    table = ["| file | s | batch | engine | wall s | CPU s | WER % | words | words in silence | segments |",
             "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
    table += [line(*row) for row in rows]
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text("# VAD-batched inference, tiny.en, beam %d, %d threads\n\n%s\n" % (a.beam, a.threads, "\n".join(table)),
                           encoding="utf-8")


def line(clip, batch, engine, r):
    if "error" in r:
        return f"| {clip.id} | {clip.seconds:.0f} | {batch} | {engine} | error: {r['error'][:80]} |"
    silence = "n/a" if r["silence_words"] is None else str(r["silence_words"])
    return (f"| {clip.id} | {clip.seconds:.0f} | {batch} | {engine} | {r['wall_s']:.1f} | {r['user_s']:.1f} | "
            f"{100 * r['wer']:.2f} | {r['words']} | {silence} | {len(r['segments'])} |")


if __name__ == "__main__":
    main(sys.argv[1:])
