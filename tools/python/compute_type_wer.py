"""WER per decoder compute type from io.auricle.bench.ComputeTypeTranscripts' output (OUT/<type>.tsv: id, text,
tokens), after Whisper's English normaliser (bench/harness/scoring.py), over the clips every type has finished,
plus how many clips decode to exactly the first type's tokens and to faster-whisper float32's (the committed
core/src/test/resources/io/auricle/decoding/reference_tokens.tsv, made by make_reference_tokens.py). Run with the bench venv:

    $(bench/harness/venv)/bin/python tools/python/compute_type_wer.py /tmp/ctwer ljspeech_lj001 float32 float16 int8 q8_0
"""
import ast
import csv
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "harness"))
from scoring import load_normalizers, score  # noqa: E402

SPEECH = Path(os.environ.get("AURICLE_SPEECH_DIR", ROOT.parent / "shared" / "data" / "speech"))
if not SPEECH.is_dir():
    SPEECH = Path("/work/shared/data/speech")


def read(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3:
                rows[parts[0]] = (parts[1], parts[2])
    return rows


def main():
    out, set_name, types = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
    with open(SPEECH / set_name / "manifest.tsv", encoding="utf-8") as f:
        refs = {r["id"]: r["text"] for r in csv.DictReader(f, delimiter="\t")}
    hyps = {t: read(out / f"{t}.tsv") for t in types}
    ids = [i for i in refs if all(i in hyps[t] for t in types)]
    fw = {}
    with open(ROOT / "core/src/test/resources/io/auricle/decoding/reference_tokens.tsv", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if not line.startswith("#") and parts[0] == set_name:
                fw[parts[1]] = [int(x) for x in parts[3].split()]
    normalize = load_normalizers()
    print(f"{set_name}: {len(ids)} of {len(refs)} clips decoded in every type")
    print("| compute type | WER | errors / words | clips with the same tokens as " + types[0]
          + " | as faster-whisper float32 |")
    print("|---|---|---|---|---|")
    for t in types:
        sc = score([(refs[i], hyps[t][i][0]) for i in ids], normalize)
        same = sum(hyps[t][i][1] == hyps[types[0]][i][1] for i in ids)
        same_fw = sum(i in fw and ast.literal_eval(hyps[t][i][1]) == fw[i] for i in ids)
        print(f"| {t} | {100 * sc.wer:.2f} % | {sc.errors} / {sc.ref_words} | {same} / {len(ids)} "
              f"| {same_fw} / {sum(i in fw for i in ids)} |")


if __name__ == "__main__":
    main()
