"""WER per audio-context setting from bench's AudioCtxBenchmark output (OUT/ctx-*.tsv: id, text), after Whisper's
English normaliser (bench/harness/scoring.py). Run with the benchmark environment:

    $(bench/harness/venv)/bin/python tools/python/audio_ctx_wer.py ../shared/data/speech/ljspeech_lj001 /tmp/ctx

Prints a Markdown table: setting, clips, reference words, WER, and the clips whose text differs from the
1500-position setting.
"""
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "harness"))
from scoring import load_english_normalizer, score  # noqa: E402


def main():
    speech_set, out = Path(sys.argv[1]), Path(sys.argv[2])
    with open(speech_set / "manifest.tsv", encoding="utf-8") as f:
        refs = {r["id"]: r["text"] for r in csv.DictReader(f, delimiter="\t")}
    normalize = load_english_normalizer()
    runs = {}
    for tsv in sorted(out.glob("ctx-*.tsv")):
        hyps = {}
        for line in tsv.read_text(encoding="utf-8").splitlines():
            clip, _, text = line.partition("\t")
            hyps[clip] = text
        runs[tsv.stem[4:]] = hyps
    base = runs.get("1500", {})
    print("| audio ctx | clips | reference words | WER | clips differing from 1500 |")
    print("|---|---|---|---|---|")
    for setting, hyps in sorted(runs.items(), key=lambda kv: (kv[0] == "fit", -int(kv[0]) if kv[0].isdigit() else 0)):
        s = score([(refs[c], h) for c, h in hyps.items()], normalize)
        differing = sum(1 for c, h in hyps.items() if c in base and normalize(h) != normalize(base[c]))
        print(f"| {setting} | {s.clips} | {s.ref_words} | {100 * s.wer:.2f} % | {differing} |")


if __name__ == "__main__":
    main()
