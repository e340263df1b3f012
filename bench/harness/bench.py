"""Side-by-side benchmark of Auricle and its peers; see bench/run for the options, docs/benchmarks.md for output.

Each (set, decode, engine) is one cold process over all the set's clips, repeated --repeat times with the
engines interleaved (so load from elsewhere on the machine spreads over all of them); the table shows the
median wall time of the repeats and the largest peak RSS.
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import engines  # noqa: E402
import machine  # noqa: E402
import report  # noqa: E402
import scoring  # noqa: E402
import speechsets  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/run", description=__doc__.splitlines()[0])
    p.add_argument("--set", "--sets", dest="sets", default=",".join(speechsets.DEFAULT_SETS),
                   help="comma-separated speech sets or groups (%s); a set may be narrowed to ids with a glob, "
                        "e.g. edge_cases/declaration*" % ", ".join(speechsets.SET_GROUPS))
    p.add_argument("--engines", default=",".join(engines.DEFAULT_ENGINES),
                   help="comma-separated, from: " + ", ".join(engines.ENGINES))
    p.add_argument("--decode", default="greedy,beam5", help="comma-separated, from: " + ", ".join(engines.DECODES))
    p.add_argument("--accuracy-only", action="store_true",
                   help="score every set once and show no timings (for the dev sets, on a busy machine)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeat", type=int, default=1, help="cold runs per engine and set (median wall time)")
    p.add_argument("--model", default="tiny.en", help="model name in the cache (CTranslate2 directory)")
    p.add_argument("--ggml", help="whisper.cpp model file converted from the same weights "
                                  "(default: $AURICLE_CACHE/models/ggml-MODEL.bin)")
    p.add_argument("--whisper-cli", metavar="PATH",
                   help="a whisper-cli binary (e.g. a native build of whisper.cpp): adds the engine whispercpp-cli")
    p.add_argument("--speech-dir", help="default: ../shared/data/speech beside the repository")
    p.add_argument("--output", help="Markdown report (default docs/benchmarks.md; the chart goes beside it as .png)")
    p.add_argument("--from-results", metavar="RAW.json[,RAW.json...]",
                   help="only rewrite the report from the raw results of one or more runs "
                        "($AURICLE_CACHE/bench-results/), a set's rows in run order")
    p.add_argument("--root", required=True, help=argparse.SUPPRESS)
    p.add_argument("--command", help=argparse.SUPPRESS)  # the command line as typed, for the report
    return p.parse_args(argv)


def split(text):
    return [x.strip() for x in text.split(",") if x.strip()]


def prepare_auricle(root: Path):
    """Builds the launcher's jar outside the timed runs (./auricle rebuilds on first use)."""
    r = subprocess.run([str(root / "auricle"), "--help"], capture_output=True, text=True, cwd=root)
    return None if r.returncode == 0 else (engines.meaningful_lines(r.stderr) or ["./auricle --help failed"])[-1]


def prepare_openai(root: Path, model: str, pt: Path):
    """openai-whisper's environment (tools/python/eco-venv: torch from PyPI, several GB, made on first use) and the
    .pt of the same weights (auricle convert to a transformers directory, then tools/python/openai_checkpoint.py).
    Returns (python, None), or (None, why not)."""
    venv = subprocess.run([str(root / "tools" / "python" / "eco-venv")], capture_output=True, text=True)
    if venv.returncode != 0:
        return None, "tools/python/eco-venv failed: " + (engines.meaningful_lines(venv.stderr) or ["?"])[-1]
    python = str(Path(venv.stdout.strip()) / "bin" / "python")
    if pt.is_file():
        return python, None
    with tempfile.TemporaryDirectory(prefix="auricle-bench-pt-") as scratch:
        hf = Path(scratch) / "hf"
        steps = [[str(root / "auricle"), "convert", "--model", model, "--to", "safetensors", "--type", "f16", "-o",
                  str(hf)],
                 [python, str(root / "tools" / "python" / "openai_checkpoint.py"), str(hf), str(pt) + ".partial"]]
        for step in steps:
            r = subprocess.run(step, capture_output=True, text=True, cwd=root)
            if r.returncode != 0:
                return None, f"{Path(step[1]).name} failed: " + (engines.meaningful_lines(r.stderr) or ["?"])[-1]
    Path(str(pt) + ".partial").rename(pt)
    return python, None


def record_startup_cache(root: Path, model: str, clip: Path, threads: int):
    """One untimed transcription before the timed ones: after a build, the launcher's first `transcribe`
    records the JVM's AOT startup cache (a user's first run does the same), and the timed runs use it."""
    with tempfile.TemporaryDirectory(prefix="auricle-bench-aot-") as out:
        subprocess.run([str(root / "auricle"), "transcribe", str(clip), "--model", model, "--threads", str(threads),
                        "--output_format", "txt", "--output_dir", out, "--verbose", "False"],
                       capture_output=True, cwd=root)
    # The launcher assembles the cache in the background (as NAME.partial): wait for it, unmeasured.
    aot = Path(os.environ.get("AURICLE_CACHE", Path.home() / ".cache" / "auricle")) / "aot"
    deadline = time.monotonic() + 300
    while any(aot.glob("*.partial*")) and time.monotonic() < deadline:
        time.sleep(2)


AURICLE_VERSION_KEYS = ("auricle", "jdk")


def merge(raws):
    """One report from several runs: the first run's machine, every run's command, all rows grouped by set."""
    meta = dict(raws[0]["meta"])
    meta["command"] = "\n".join(r["meta"]["command"] for r in raws)
    meta["started"] = min(r["meta"]["started"] for r in raws)
    meta["finished"] = max(r["meta"]["finished"] for r in raws)
    # The load that matters is the timed runs' (accuracy-only runs may share a busy machine).
    timed = [r for r in raws if any(row.get("timed", True) for row in r["results"])] or raws
    repeats = sorted({r["meta"].get("repeat", 1) for r in timed}, reverse=True)
    if len(repeats) > 1:
        meta["repeat"] = " or ".join(map(str, repeats)) + " (as each set's command above says)"
    meta["machine"] = dict(meta["machine"], load=max(r["meta"]["machine"].get("load") or 0 for r in timed),
                           load_end=max(r["meta"]["machine"].get("load_end") or 0 for r in timed))
    # Each run's versions, the distinct ones joined; Auricle's (commit, JDK) only from runs that ran it.
    versions = {}
    for r in raws:
        ran_auricle = any(row["engine"].startswith("auricle") for row in r["results"])
        for k, v in r["meta"]["versions"].items():
            if v and (ran_auricle or k not in AURICLE_VERSION_KEYS) and v not in versions.setdefault(k, []):
                versions[k].append(v)
    meta["versions"] = {k: " / ".join(v) for k, v in versions.items() if v}
    ran = {row["engine"] for r in raws for row in r["results"]}
    meta["skipped"] = {k: v for r in raws for k, v in r["meta"].get("skipped", {}).items() if k not in ran}
    meta["skipped_sets"] = {k: v for r in raws for k, v in r["meta"].get("skipped_sets", {}).items()}
    if len({r["meta"]["threads"] for r in raws}) > 1:
        meta["threads"] = "/".join(str(r["meta"]["threads"]) for r in raws) + " (see the commands)"
    results = [dict(row, model=row.get("model") or r["meta"]["model"]) for r in raws for row in r["results"]]
    meta["model"] = ", ".join(dict.fromkeys(row["model"] for row in results))
    order = list(dict.fromkeys((row["model"], row["set"]) for row in results))
    decodes = list(dict.fromkeys(row["decode"] for row in results))
    # per set, each decoding's rows together (Auricle's first), the rest in run order (the sort is stable)
    return meta, sorted(results, key=lambda row: (order.index((row["model"], row["set"])), decodes.index(row["decode"]),
                                                  row["engine"] != "auricle"))


def convert_to_ggml(root: Path, model: str, out: Path, ggml_type: str = "f16"):
    """whisper.cpp's model file, made by Auricle's converter from the same weights (f16, as whisper.cpp's
    own converter writes them, or q8_0 as its quantizer does). Returns None on success, else why not."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    command = [str(root / "auricle"), "convert", "--model", model, "--to", "ggml", "--type", ggml_type, "-o", str(partial)]
    print("bench: " + shlex.join(command), file=sys.stderr)
    r = subprocess.run(command, capture_output=True, text=True, cwd=root)
    if r.returncode != 0 or not partial.is_file():
        partial.unlink(missing_ok=True)
        return "`" + shlex.join(command[1:]) + "` failed: " + (engines.meaningful_lines(r.stderr) or ["no output"])[0]
    partial.rename(out)
    return None


def main(argv=None):
    args = parse_args(argv)
    root = Path(args.root)
    cache = Path(os.environ.get("AURICLE_CACHE", Path.home() / ".cache" / "auricle"))
    speech_dir = Path(args.speech_dir) if args.speech_dir else (root / ".." / "shared" / "data" / "speech").resolve()
    output = Path(args.output) if args.output else root / "docs" / "benchmarks.md"
    if args.from_results:
        meta, results = merge([json.loads(Path(f).read_text(encoding="utf-8")) for f in split(args.from_results)])
        output.parent.mkdir(parents=True, exist_ok=True)
        report.write(meta, results, output, output.with_suffix(".png"))
        print(f"bench: wrote {output} and {output.with_suffix('.png')}", file=sys.stderr)
        return
    chosen = split(args.engines)
    decodes = split(args.decode)
    if args.whisper_cli:
        if not os.access(args.whisper_cli, os.X_OK):
            raise SystemExit(f"bench: --whisper-cli {args.whisper_cli}: not an executable file")
        if "whispercpp-cli" not in chosen:
            chosen.append("whispercpp-cli")
    elif any(engines.ENGINES[e].kind == "whispercli" for e in chosen if e in engines.ENGINES):
        raise SystemExit("bench: the whispercpp-cli engines need --whisper-cli PATH")
    for e in chosen:
        if e not in engines.ENGINES:
            raise SystemExit(f"bench: unknown engine {e!r}; choose from {', '.join(engines.ENGINES)}")
    for d in decodes:
        if d not in engines.DECODES:
            raise SystemExit(f"bench: unknown decode {d!r}; choose from {', '.join(engines.DECODES)}")
    # An English-only model (tiny.en) gets the English clips; a multilingual one every clip, told its language.
    languages = ("en",) if args.model.endswith(".en") else None
    sets, skipped_sets = [], {}
    for name, timed in speechsets.expand(split(args.sets)):
        try:
            sets.append(speechsets.load(speech_dir, name, languages, timed=timed and not args.accuracy_only))
        except speechsets.NoClips as e:
            skipped_sets[name] = f"no clip in a language of {args.model}"
            print(f"{e}: skipped", file=sys.stderr)

    models = {"auricle": args.model, "ct2": cache / "models" / args.model,
              "ggml": Path(args.ggml) if args.ggml else cache / "models" / f"ggml-{args.model}.bin",
              "ggml-q8_0": cache / "models" / f"ggml-{args.model}-q8_0.bin",
              "pt": cache / "models" / f"openai-{args.model}.pt"}
    skipped = {}
    pythons = {}  # a peer's interpreter when it is not this environment's
    if "openai-whisper" in chosen:
        pythons["openai"], problem = prepare_openai(root, args.model, models["pt"])
        if problem:
            skipped["openai-whisper"] = problem
            chosen.remove("openai-whisper")
    fetch = root / "tools" / "fetch-models"
    if not (models["ct2"] / "model.bin").is_file() and fetch.is_file():
        subprocess.run([str(fetch), args.model], stdout=subprocess.DEVNULL)
    if any(engines.ENGINES[e].kind == "faster-whisper" for e in chosen) and not (models["ct2"] / "model.bin").is_file():
        raise SystemExit(f"bench: no CTranslate2 model at {models['ct2']} (tools/fetch-models {args.model})")
    ggml_engines = [e for e in chosen if engines.ENGINES[e].kind in ("whispercpp", "whispercli")]
    missing = sorted({engines.ggml_key(engines.ENGINES[e]) for e in ggml_engines}
                     - {k for k in ("ggml", "ggml-q8_0") if models[k].is_file()})
    with_auricle = [e for e in chosen if engines.ENGINES[e].kind == "auricle"]
    auricle_problem = prepare_auricle(root) if with_auricle or missing else None
    for key in missing:
        problem = auricle_problem or convert_to_ggml(root, args.model, models[key], key.partition("-")[2] or "f16")
        if problem:
            for e in [e for e in ggml_engines if engines.ggml_key(engines.ENGINES[e]) == key]:
                skipped[e] = f"no ggml file at {models[key]} ({problem}); pass --ggml"
                chosen.remove(e)
    if with_auricle and auricle_problem:
        for e in with_auricle:
            skipped[e] = f"./auricle does not run: {auricle_problem}"
            chosen.remove(e)
    cli = engines.auricle_cli(root) if with_auricle and not auricle_problem else None
    if cli and not args.accuracy_only:
        record_startup_cache(root, args.model, sets[0].clips[0].path, args.threads)
    for name, why in skipped.items():
        print(f"bench: skipping {name}: {why}", file=sys.stderr)

    normalize = scoring.load_normalizers()
    host = machine.cpu()
    meta = {"command": args.command or "bench/run " + shlex.join(argv or sys.argv[1:]),
            "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "finished": None,
            "threads": args.threads, "model": args.model, "repeat": args.repeat, "machine": host,
            "versions": {**machine.auricle_version(root), **machine.peer_versions(),
                         **machine.whisper_cli_version(args.whisper_cli),
                         **machine.openai_versions(pythons.get("openai"))}, "skipped": skipped,
            "skipped_sets": skipped_sets, "accuracy_only": args.accuracy_only,
            "models": {k: str(v) for k, v in models.items()},
            "sets": [{"name": s.name, "clips": len(s.clips), "seconds": s.seconds, "timed": s.timed} for s in sets]}
    raw = cache / "bench-results" / (time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + ".json")
    raw.parent.mkdir(parents=True, exist_ok=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    results = []

    def save():
        # After every set, so that a run stopped half-way still leaves its figures (--from-results).
        meta["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        host["load_end"] = os.getloadavg()[0]
        raw.write_text(json.dumps({"meta": meta, "results": results}, indent=1, ensure_ascii=False))
        report.write(meta, results, output, output.with_suffix(".png"))

    with tempfile.TemporaryDirectory(prefix="auricle-bench-") as scratch:
        for s in sets:
            for decode in decodes:
                runs = {e: [] for e in chosen}
                for rep in range(args.repeat if s.timed else 1):  # accuracy does not change with repeats
                    for e in chosen:
                        runs[e].append(run_one(engines.ENGINES[e], s, decode, rep, args, models, root,
                                               Path(scratch) / f"{len(results)}-{e}-{decode}-{rep}", cli, pythons))
                results.extend(summarize(s, decode, e, reps, normalize, args.model) for e, reps in runs.items())
                save()
    save()
    print(f"bench: wrote {output}, {output.with_suffix('.png')} and {raw}", file=sys.stderr)


def run_one(engine, speech_set, decode, rep, args, models, root, work: Path, cli, pythons=None):
    work.mkdir()
    print(f"bench: {speech_set.name} ({len(speech_set.clips)} clips, {speech_set.seconds / 60:.1f} min) {decode} "
          f"{engine.label} run {rep + 1}", file=sys.stderr, flush=True)
    if engine.kind == "auricle":
        run = engines.run_auricle(engine, speech_set, decode, args.threads, models, root, work, cli)
    elif engine.kind == "whispercli":
        run = engines.run_whisper_cli(engine, speech_set, decode, args.threads, {k: str(v) for k, v in models.items()},
                                      args.whisper_cli, work)
    else:
        run = engines.run_peer(engine, speech_set, decode, args.threads, {k: str(v) for k, v in models.items()},
                               (pythons or {}).get(engine.kind, sys.executable), work)
    print(f"bench:   {run.wall_s or 0:.2f} s, {run.peak_rss_mb or 0:.0f} MiB"
          + (f", ERROR {run.error}" if run.error else ""), file=sys.stderr, flush=True)
    return run


def summarize(speech_set, decode, engine_name, reps, normalize, model):
    first = reps[0]
    ok = [r for r in reps if r.exit_code == 0 and not r.error]
    pairs = [(c.text, first.texts.get(c.id), c.language) for c in speech_set.clips]
    score = scoring.score(pairs, normalize)
    wall = statistics.median(r.wall_s for r in ok) if ok else None
    firsts = [r.first_segment_s for r in ok if r.first_segment_s is not None]
    return {
        "set": speech_set.name, "model": model, "timed": speech_set.timed, "decode": decode, "engine": engine_name,
        "label": engines.ENGINES[engine_name].label,
        "audio_s": speech_set.seconds, "clips": len(speech_set.clips),
        "wall_s": wall, "wall_all_s": [r.wall_s for r in reps],
        "x_real_time": speech_set.seconds / wall if wall else None,
        "first_segment_s": statistics.median(firsts) if firsts else None,
        "peak_rss_mb": max((r.peak_rss_mb for r in ok), default=None),
        "cpu_s": statistics.median(r.user_s + r.sys_s for r in ok) if ok else None,
        "wer": score.wer, "errors": score.errors, "ref_words": score.ref_words,
        "no_speech_clips": score.no_speech_clips, "no_speech_words": score.no_speech_words,
        "missing": sum(1 for c in speech_set.clips if c.id not in first.texts),
        "error": next((r.error for r in reps if r.error), None),
        "notes": first.notes,
        "command": first.command[:2] + ["…"] if len(first.command) > 40 else first.command,
        "texts": first.texts,
        "runs": [asdict(r) | {"texts": None, "command": None} for r in reps],
    }


if __name__ == "__main__":
    main()
