"""WER of Auricle's transcription next to faster-whisper's, same weights and settings, after Whisper's
normalisers (bench/harness/scoring.py): the English one for English clips, the basic one otherwise (Japanese
split into characters, so its figure is a character error rate). Needs the benchmark environment:

    $(bench/harness/venv)/bin/python tools/python/wer_compare.py --sets jfk pocketsphinx ljspeech_lj001 \\
        ljspeech_lj001_longform --work /tmp/wer [--engines auricle faster-whisper] [--model tiny.en] \\
        [--beam_size 5] [--languages en] [--no_fallback] [--seed N]

Auricle runs through `./auricle transcribe FILE... --output_format json` (model loaded once per batch; files
with the same base name go to separate batches); faster-whisper runs in this process, float32, no VAD.
Greedy is beam_size 1 / best_of 1 for both; --beam_size 5 uses best_of 5 for both (openai's defaults).
An English-only model gets only the English clips of a set (--languages en is then implied); a multilingual
model is given no language, and the detected language of each clip is kept and counted against the manifest.
Each engine's hypotheses are kept in --work/<model>-beam<N>/<engine>/<set>.json (rerunning reuses them;
delete to redo). Prints a Markdown table: set, clips, reference words, WER and detected-language agreement
per engine, and the wall time each took.
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
from scoring import Score, edit_distance, load_english_normalizer, normalizers_dir  # noqa: E402

SPEECH = Path(os.environ.get("AURICLE_SPEECH_DIR", ROOT.parent / "shared" / "data" / "speech"))
if not SPEECH.is_dir():
    SPEECH = Path("/work/shared/data/speech")
# the launcher; AURICLE_BIN may name a frozen copy, so edits in the checkout do not rebuild it mid-run
AURICLE = os.environ.get("AURICLE_BIN", str(ROOT / "auricle"))


def manifest(name, languages):
    with open(SPEECH / name / "manifest.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [r for r in rows if (SPEECH / name / r["file"]).is_file()
            and (not languages or r["language"] in languages)]


def model_dir(model):
    p = Path(model)
    return p if p.exists() else Path(os.environ.get("AURICLE_CACHE", Path.home() / ".cache/auricle")) / "models" / model


def run_auricle(rows, set_name, model, threads, extra):
    """{id: (text, language) or None} from Auricle's json outputs; a file that fails gives None."""
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
        work = Path(ARGS.work) / RUN / "auricle-out" / set_name / str(i)
        work.mkdir(parents=True, exist_ok=True)
        files = [str(SPEECH / set_name / r["file"]) for r in b.values()]
        cmd = [AURICLE, "transcribe", *files, "--model", model, "--output_format", "json",
               "--output_dir", str(work), "--verbose", "False", "--threads", str(threads),
               "--beam_size", str(ARGS.beam_size), "--best_of", str(best_of()), *extra]
        if ARGS.no_fallback:
            cmd += ["--temperature_increment_on_fallback", "None"]
        if ARGS.seed is not None:
            cmd += ["--seed", str(ARGS.seed)]
        subprocess.run(cmd, check=False)
        for base, r in b.items():
            j = work / (base + ".json")
            if j.is_file():
                d = json.loads(j.read_text(encoding="utf-8"))
                out[r["id"]] = [d["text"], d.get("language")]
            else:
                out[r["id"]] = None
    return out, time.time() - t0


def run_faster_whisper(rows, set_name, model, threads, extra):
    from faster_whisper import WhisperModel

    def load():
        return WhisperModel(str(model_dir(model)), device="cpu", compute_type="float32", cpu_threads=threads)
    if ARGS.seed is not None:
        import ctranslate2
        ctranslate2.set_random_seed(ARGS.seed)  # the sampler of the temperature fallback
    m = load()
    out = {}
    t0 = time.time()
    for i, r in enumerate(rows):
        try:
            if ARGS.seed is not None and i > 0:
                # CTranslate2 seeds a generator per worker thread at its first draw; a new model has new
                # threads, so each file starts from the seed, as each of Auricle's transcriptions does
                del m
                m = load()
            segments, info = m.transcribe(str(SPEECH / set_name / r["file"]), beam_size=ARGS.beam_size,
                                          best_of=best_of(), vad_filter=False,
                                          temperature=[0.0] if ARGS.no_fallback else FALLBACK,
                                          word_timestamps="--word_timestamps" in extra)
            out[r["id"]] = ["".join(s.text for s in segments), info.language]
        except Exception as e:  # a broken file: no output, as Auricle's refusal
            print(f"faster-whisper: {r['file']}: {e}", file=sys.stderr)
            out[r["id"]] = None
    return out, time.time() - t0


# faster-whisper's default temperatures, openai's: 0.0 to 1.0 in steps of 0.2
FALLBACK = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]

ENGINES = {"auricle": run_auricle, "faster-whisper": run_faster_whisper}


def best_of():
    return 1 if ARGS.beam_size == 1 else 5


def normalizers():
    english = load_english_normalizer()
    basic = sys.modules["whisper_normalizers"].BasicTextNormalizer
    plain, letters = basic(), basic(split_letters=True)

    def normalize(text, language):
        if language == "en":
            return english(text).split()
        return (letters if language in ("ja", "zh", "ko", "th") else plain)(text).split()
    return normalize


def main():
    global ARGS, RUN
    p = argparse.ArgumentParser()
    p.add_argument("--sets", nargs="+", default=["jfk", "pocketsphinx", "ljspeech_lj001", "ljspeech_lj001_longform"])
    p.add_argument("--engines", nargs="+", default=list(ENGINES))
    p.add_argument("--model", default="tiny.en")
    p.add_argument("--beam_size", type=int, default=1)
    p.add_argument("--languages", nargs="*", help="only clips in these languages (default: en for .en models)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--word_timestamps", action="store_true")
    p.add_argument("--work", default="/tmp/auricle-wer")
    p.add_argument("--seed", type=int, help="seed of both engines' samplers (the temperature fallback): Auricle"
                   " draws as CTranslate2 does, so with a seed both sample the same tokens (each file from the seed)")
    p.add_argument("--no_fallback", action="store_true",
                   help="temperature 0 only (no sampled retries: the engines' random numbers differ)")
    ARGS = p.parse_args()
    RUN = f"{Path(ARGS.model).name}-beam{ARGS.beam_size}" + ("-nofallback" if ARGS.no_fallback else "") \
        + ("" if ARGS.seed is None else f"-seed{ARGS.seed}")
    languages = ARGS.languages or (["en"] if ARGS.model.endswith(".en") else None)
    extra = ["--word_timestamps", "True"] if ARGS.word_timestamps else []
    normalize = normalizers()
    lines = [f"{ARGS.model}, beam {ARGS.beam_size}, best_of {best_of()}"
             + (", temperature 0 only" if ARGS.no_fallback else ""), "",
             "| set | clips | audio (s) | ref words | " + " | ".join(f"WER {e}" for e in ARGS.engines)
             + " | " + " | ".join(f"language right {e}" for e in ARGS.engines)
             + " | identical | " + " | ".join(f"wall s {e}" for e in ARGS.engines) + " |",
             "|---|---|---|---|" + "---|" * (3 * len(ARGS.engines) + 1)]
    for s in ARGS.sets:
        rows = manifest(s, languages)
        if not rows:
            continue
        wers, langs, walls, hyps = [], [], [], []
        for e in ARGS.engines:
            cache = Path(ARGS.work) / RUN / e / f"{s}.json"
            if cache.is_file():
                saved = json.loads(cache.read_text(encoding="utf-8"))
            else:
                h, wall = ENGINES[e](rows, s, ARGS.model, ARGS.threads, extra)
                saved = dict(hyps=h, wall=wall)
                cache.parent.mkdir(parents=True, exist_ok=True)
                cache.write_text(json.dumps(saved, ensure_ascii=False, indent=1), encoding="utf-8")
            sc, right, spoken = Score(), 0, 0
            for r in rows:
                got = saved["hyps"].get(r["id"])
                text, lang = ([got, None] if isinstance(got, str) else got) if got else ("", None)
                # scored in the clip's own language, whatever was detected
                sc.add(normalize(r["text"], r["language"]), normalize(text, r["language"]))
                if r["text"].strip():
                    spoken += 1
                    right += lang == r["language"] or (lang is None and r["language"] == "en")
            hyps.append(saved["hyps"])
            wers.append("-" if sc.wer is None else f"{100 * sc.wer:.2f} %")
            langs.append(f"{right}/{spoken}")
            walls.append(f"{saved['wall']:.0f}")
            print(f"{RUN} {s} {e}: WER {wers[-1]} ({sc.errors}/{sc.ref_words}), language {langs[-1]}, "
                  f"{saved['wall']:.0f} s", file=sys.stderr)
        same = sum(all((h.get(r["id"]) or [""])[0].strip() == (hyps[0].get(r["id"]) or [""])[0].strip()
                       for h in hyps) for r in rows)
        audio = sum(float(r["seconds"]) for r in rows)
        lines.append(f"| {s} | {len(rows)} | {audio:.0f} | {sc.ref_words} | " + " | ".join(wers) + " | "
                     + " | ".join(langs) + f" | {same}/{len(rows)} | " + " | ".join(walls) + " |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
