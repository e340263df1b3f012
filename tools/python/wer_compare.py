"""WER of Auricle's transcription next to faster-whisper's, same weights and settings, after Whisper's English
normaliser (bench/harness/scoring.py). Needs the benchmark environment (faster-whisper and the normaliser):

    $(bench/harness/venv)/bin/python tools/python/wer_compare.py --sets jfk pocketsphinx ljspeech_lj001 \\
        ljspeech_lj001_longform --work /tmp/wer [--engines auricle faster-whisper] [--model tiny.en]

Auricle runs through `./auricle transcribe FILE... --output_format json` (model loaded once per batch; files
with the same base name go to separate batches); faster-whisper runs in this process with beam_size 1,
best_of 1, float32, no VAD, openai's other defaults. Each engine's hypotheses are kept in --work/<engine>/<set>.json
(rerunning reuses them; delete to redo). Prints a Markdown table: set, clips, reference words, WER per engine,
and the wall time each took.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "harness"))
from scoring import load_english_normalizer, score  # noqa: E402

SPEECH = Path(os.environ.get("AURICLE_SPEECH_DIR", ROOT.parent / "shared" / "data" / "speech"))
if not SPEECH.is_dir():
    SPEECH = Path("/work/shared/data/speech")
# the launcher; AURICLE_BIN may name a frozen copy, so edits in the checkout do not rebuild it mid-run
AURICLE = os.environ.get("AURICLE_BIN", str(ROOT / "auricle"))


def manifest(name):
    with open(SPEECH / name / "manifest.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [r for r in rows if (SPEECH / name / r["file"]).is_file()]


def model_dir(model):
    p = Path(model)
    return p if p.exists() else Path(os.environ.get("AURICLE_CACHE", Path.home() / ".cache/auricle")) / "models" / model


def run_auricle(rows, set_name, model, threads, extra):
    """{id: text or None} from Auricle's json outputs; a file that fails gives None."""
    out = {}
    batches = []
    for r in rows:  # one batch per run of distinct base names
        base = Path(r["file"]).stem
        for b in batches:
            if base not in b:
                b[base] = r
                break
        else:
            batches.append({base: r})
    t0 = time.time()
    for i, b in enumerate(batches):
        work = Path(ARGS.work) / "auricle-out" / set_name / str(i)
        work.mkdir(parents=True, exist_ok=True)
        files = [str(SPEECH / set_name / r["file"]) for r in b.values()]
        cmd = [AURICLE, "transcribe", *files, "--model", model, "--output_format", "json",
               "--output_dir", str(work), "--verbose", "False", "--threads", str(threads), *extra]
        subprocess.run(cmd, check=False)
        for base, r in b.items():
            j = work / (base + ".json")
            out[r["id"]] = json.loads(j.read_text(encoding="utf-8"))["text"] if j.is_file() else None
    return out, time.time() - t0


def run_faster_whisper(rows, set_name, model, threads, extra):
    from faster_whisper import WhisperModel
    m = WhisperModel(str(model_dir(model)), device="cpu", compute_type="float32", cpu_threads=threads)
    out = {}
    t0 = time.time()
    for r in rows:
        try:
            segments, _ = m.transcribe(str(SPEECH / set_name / r["file"]), beam_size=1, best_of=1,
                                       vad_filter=False, word_timestamps="--word_timestamps" in extra)
            out[r["id"]] = "".join(s.text for s in segments)
        except Exception as e:  # a broken file: no output, as Auricle's refusal
            print(f"faster-whisper: {r['file']}: {e}", file=sys.stderr)
            out[r["id"]] = None
    return out, time.time() - t0


ENGINES = {"auricle": run_auricle, "faster-whisper": run_faster_whisper}


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--sets", nargs="+", default=["jfk", "pocketsphinx", "ljspeech_lj001", "ljspeech_lj001_longform"])
    p.add_argument("--engines", nargs="+", default=list(ENGINES))
    p.add_argument("--model", default="tiny.en")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--word_timestamps", action="store_true")
    p.add_argument("--work", default="/tmp/auricle-wer")
    ARGS = p.parse_args()
    extra = ["--word_timestamps", "True"] if ARGS.word_timestamps else []
    normalize = load_english_normalizer()
    lines = ["| set | clips | audio (s) | ref words | " + " | ".join(f"WER {e}" for e in ARGS.engines)
             + " | " + " | ".join(f"wall s {e}" for e in ARGS.engines) + " |",
             "|---|---|---|---|" + "---|" * (2 * len(ARGS.engines))]
    for s in ARGS.sets:
        rows = manifest(s)
        wers, walls = [], []
        for e in ARGS.engines:
            cache = Path(ARGS.work) / e / f"{s}.json"
            if cache.is_file():
                saved = json.loads(cache.read_text(encoding="utf-8"))
            else:
                hyps, wall = ENGINES[e](rows, s, ARGS.model, ARGS.threads, extra)
                saved = dict(hyps=hyps, wall=wall)
                cache.parent.mkdir(parents=True, exist_ok=True)
                cache.write_text(json.dumps(saved, ensure_ascii=False, indent=1), encoding="utf-8")
            sc = score([(r["text"], saved["hyps"].get(r["id"])) for r in rows], normalize)
            wers.append("-" if sc.wer is None else f"{100 * sc.wer:.2f} %")
            walls.append(f"{saved['wall']:.0f}")
            print(f"{s} {e}: WER {wers[-1]} ({sc.errors}/{sc.ref_words}), {saved['wall']:.0f} s", file=sys.stderr)
        audio = sum(float(r["seconds"]) for r in rows)
        lines.append(f"| {s} | {len(rows)} | {audio:.0f} | {sc.ref_words} | " + " | ".join(wers) + " | "
                     + " | ".join(walls) + " |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
