"""Writes the benchmark as a Markdown page and a PNG chart (x real time and peak RSS per set and engine)."""
from pathlib import Path


def fmt(value, spec, empty="—"):
    return empty if value is None else format(value, spec)


def ratio(peer, auricle, spec=".2f"):
    return "—" if peer is None or auricle in (None, 0) else format(peer / auricle, spec) + "×"


def write(meta, results, md_path: Path, png_path: Path):
    md_path.write_text(markdown(meta, results, png_path.name) + "\n", encoding="utf-8")
    chart(meta, results, png_path)


def markdown(meta, results, png_name):
    m = meta["machine"]
    v = meta["versions"]
    lines = [
        "# Benchmarks",
        "",
        "Auricle side by side with faster-whisper and whisper.cpp on the same audio, the same weights, the same",
        "thread count and the same decoding. Written by `bench/run` (bench/harness/); do not edit by hand.",
        "",
        "```",
        meta["command"],
        "```",
        "",
        f"Run {meta['started']} to {meta['finished']}.",
        "",
        "To reproduce: `bench/run --help`. The peers install themselves on first use into a cached virtual",
        "environment (`bench/harness/venv`, from `tools/python/requirements-bench.txt`); the weights come from",
        "`tools/fetch-models`; whisper.cpp's ggml file is converted from the same weights by `./auricle convert",
        "--to ggml` on first use (or given with `--ggml`). Raw results (every run, every transcript) go to",
        "`$AURICLE_CACHE/bench-results/`.",
        "",
        "## Machine and versions",
        "",
        f"- CPU: {m.get('model')}, {m.get('cores')} cores, {m.get('memory_gib', '?')} GiB; "
        f"vector extensions: {' '.join(m.get('flags', [])) or 'none found'}",
        f"- {m.get('os')}; load average (1 min) {fmt(m.get('load'), '.2f')} at the start, "
        f"{fmt(m.get('load_end'), '.2f')} at the end",
        f"- Threads: {meta['threads']} for every engine; model {meta['model']}: CTranslate2 "
        f"`{meta['models']['ct2']}` (Auricle, faster-whisper), ggml `{meta['models']['ggml']}` (whisper.cpp, "
        f"converted from the same weights)",
        f"- Auricle {v.get('auricle', '?')} on {v.get('jdk', '?')}",
        f"- faster-whisper {v.get('faster-whisper', '?')} (CTranslate2 {v.get('ctranslate2', '?')}); "
        f"pywhispercpp {v.get('pywhispercpp', '?')} (whisper.cpp {v.get('whisper.cpp', '?')})",
    ]
    if v.get("whisper.cpp system info"):
        lines.append(f"- whisper.cpp build in the pywhispercpp wheel: `{v['whisper.cpp system info']}`")
    if v.get("whisper-cli"):
        lines.append(f"- whisper-cli (`--whisper-cli`): `{v['whisper-cli']}`, on the same ggml file; it reads its "
                     "audio itself (miniaudio: WAV, FLAC, MP3, resampled to 16 kHz)")
    # The end reading includes the last engine's own threads (a 1-minute average): only the rest is other work.
    busiest = max(m.get("load") or 0, (m.get("load_end") or 0) - (meta.get("threads") or 0))
    if m.get("cores") and busiest > 0.5 * m["cores"]:
        lines.append(f"- **The machine was busy** (load average up to {busiest:.1f} on {m['cores']} cores): "
                     "the timings are not final; the accuracy figures are")
    for name, why in meta.get("skipped", {}).items():
        lines.append(f"- Not run: **{name}**: {why}")
    for name, why in meta.get("skipped_sets", {}).items():
        lines.append(f"- Set not scored: **{name}**: {why}")
    lines.append("- Not run: **small** (its CTranslate2 weights are published on PyPI only in part: tools/fetch-models)")
    if v.get("openai-whisper"):
        lines.append(f"- openai-whisper {v['openai-whisper']} with torch {v.get('torch', '?')} (tools/python/eco-venv), "
                     "float32 on the CPU, on a `.pt` written from the same weights (`auricle convert --to "
                     "safetensors`, then tools/python/openai_checkpoint.py); the reference, for accuracy: its speed is "
                     "shown, not a target")
    elif "openai-whisper" not in meta.get("skipped", {}):
        lines.append("- Not run: **openai-whisper** (opt-in, `--engines ...,openai-whisper`: its environment holds "
                     "torch, several GB)")
    lines += [
        "",
        "Each figure is one cold process over all the clips of a set (model load and audio decoding included), "
        f"median of {meta['repeat']} run(s) (accuracy-only sets: one). x real time = audio seconds / wall seconds. "
        "Peak RSS is the whole process's (ru_maxrss). First segment = process start to the first decoded segment. "
        "WER is over the whole set after Whisper's English normaliser (other languages: its basic normaliser; "
        "Japanese, Chinese, Korean and Thai scored per character). No-speech words = words emitted on clips "
        "whose reference is empty. Auricle's ratio (int8 and q8_0 peers against Auricle int8 when it ran): the peer's wall time ÷ Auricle's (above 1× means Auricle is "
        "faster) and the peer's peak RSS ÷ Auricle's.",
        "",
        "Decoding, the same for all: each clip's language from the manifest (en for an English-only model), beam 1 (greedy) or beam 5 as the column says, temperature "
        "fallback 0 to 1 by 0.2 (best of 5 when sampling), conditioning on the previous text, non-speech tokens "
        "suppressed: openai-whisper's defaults. For whisper.cpp that means suppress_nst=True (not its default) and "
        "no_context=True (its default: each file starts afresh, its windows still see the previous text); its "
        "fallback test uses entropy where the others use the compression ratio. The peers' audio is decoded by "
        "PyAV (faster-whisper's decode_audio), Auricle's by its own decoder.",
        "",
        f"![x real time and peak RSS]({png_name})",
        "",
    ]
    models = {r.get("model", meta["model"]) for r in results}
    for model, set_name in dict.fromkeys((r.get("model", meta["model"]), r["set"]) for r in results):
        lines += set_table([r for r in results if r["set"] == set_name and r.get("model", meta["model"]) == model],
                           model if len(models) > 1 else None)
    notes = Path(__file__).with_name("where-the-time-goes.md")
    if notes.is_file():  # the startup analysis, kept by hand beside the generated tables
        lines += ["", notes.read_text(encoding="utf-8").rstrip()]
    return "\n".join(lines)


def set_table(rows, model=None):
    first = rows[0]
    timed = any(r.get("timed", True) for r in rows)
    lines = [f"## {first['set']}{', ' + model if model else ''}: {first['clips']} clips, {first['audio_s'] / 60:.1f} min"
             + ("" if timed else " (accuracy only)"), ""]
    if timed and not all(r.get("timed", True) for r in rows):
        lines += ["Rows without timings were accuracy-only runs.", ""]
    no_speech = any(r["no_speech_clips"] for r in rows)
    header = ["engine", "decode"]
    if timed:
        header += ["wall s", "x real time", "peak RSS MiB", "first segment s", "CPU s"]
    header += ["WER %", "errors / words"]
    if no_speech:
        header.append("no-speech words")
    if timed:
        header += ["Auricle speed", "Auricle memory"]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        # A peer is compared with Auricle at the same precision class: int8 with Auricle int8, if it ran.
        ours = "auricle-int8" if r["engine"].endswith(("int8", "q8_0")) and any(
            a["engine"] == "auricle-int8" for a in rows) else "auricle"
        auricle = next((a for a in rows if a["engine"] == ours and a["decode"] == r["decode"]), None)
        is_peer = not r["engine"].startswith("auricle") and auricle is not None
        cells = [r["label"], r["decode"]]
        # An accuracy-only row in a timed set's table (merged runs) shows no timings: it ran on a busy machine.
        row_timed = r.get("timed", True)
        if timed:
            cells += [fmt(r["wall_s"], ".2f"), fmt(r["x_real_time"], ".1f"), fmt(r["peak_rss_mb"], ".0f"),
                      fmt(r["first_segment_s"], ".2f"), fmt(r["cpu_s"], ".1f")] if row_timed else ["—"] * 5
        # An engine that produced nothing gets no accuracy figures; clips missing from a partial run count as
        # all words deleted.
        produced = r["missing"] < r["clips"]
        cells += [fmt(100 * r["wer"] if produced and r["wer"] is not None else None, ".2f"),
                  f"{r['errors']} / {r['ref_words']}" if produced and r["ref_words"] else "—"]
        if no_speech:
            cells.append(f"{r['no_speech_words']} on {r['no_speech_clips']} clips" if produced else "—")
        if timed:
            cells += [ratio(r["wall_s"], auricle["wall_s"]) if is_peer and row_timed else "—",
                      ratio(r["peak_rss_mb"], auricle["peak_rss_mb"]) if is_peer and row_timed else "—"]
        lines.append("| " + " | ".join(cells) + " |")
    remarks = [r for r in rows if r["error"] or r["missing"] or r.get("notes")]
    if remarks:
        lines.append("")
    for r in remarks:
        said = ([f"{r['missing']} clips without output"] if r["missing"] else []) + r.get("notes", []) \
            + ([r["error"]] if r["error"] else [])
        lines.append(f"- {r['label']} {r['decode']}: " + "; ".join(said))
    lines.append("")
    return lines


def chart(meta, results, png_path: Path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sets = list(dict.fromkeys(r["set"] for r in results if r.get("timed", True)))
    if not sets:
        return
    bars = max(sum(1 for r in results if r["set"] == name) for name in sets)
    # one line per bar, 0.16 inch each: labels do not overlap however many engines ran
    fig, axes = plt.subplots(2, len(sets), figsize=(4.6 * len(sets), max(6.5, 2 * (0.16 * bars + 1))), squeeze=False)
    for col, set_name in enumerate(sets):
        rows = [r for r in results if r["set"] == set_name]
        labels = [f"{r['label']}, {r['decode']}" for r in rows]
        colors = ["#c0392b" if r["engine"].startswith("auricle") else "#7f8c8d" for r in rows]
        for row, (key, title) in enumerate([("x_real_time", "x real time (higher is better)"),
                                            ("peak_rss_mb", "peak RSS MiB (lower is better)")]):
            ax = axes[row][col]
            values = [r[key] or 0 for r in rows]
            ax.barh(range(len(rows)), values, color=colors)
            ax.set_yticks(range(len(rows)), labels, fontsize=7)
            ax.invert_yaxis()
            ax.set_title(f"{set_name}\n{title}" if row == 0 else title, fontsize=8)
            ax.tick_params(axis="x", labelsize=7)
            for i, value in enumerate(values):
                if not value:
                    ax.text(0, i, " no result", va="center", fontsize=6, color="#c0392b")
                else:
                    ax.text(value, i, f" {value:.1f}" if key == "x_real_time" else f" {value:.0f}",
                            va="center", fontsize=6)
    cpu = meta["machine"].get("model", "")
    fig.suptitle(f"{meta['model']}, {meta['threads']} threads, {cpu} ({meta['started']})", fontsize=9)
    fig.tight_layout()
    fig.savefig(png_path, dpi=110)
    plt.close(fig)
