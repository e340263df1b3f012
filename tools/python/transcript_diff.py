"""Clip by clip, where Auricle's transcript differs from faster-whisper's, with each side's segment temperatures:
a window decoded at a temperature above 0 was sampled (temperature fallback), and no two engines draw the same
random numbers, so such clips differ by luck, not by a difference in the pipeline. Inputs:

    ./auricle transcribe FILE... --language en -f json -o /tmp/a --verbose False
    $(bench/harness/venv)/bin/python tools/python/reference_transcribe.py FILE... --out /tmp/fw.json
    python3 tools/python/transcript_diff.py --auricle /tmp/a --faster-whisper /tmp/fw.json

Prints each differing clip (both transcripts, both temperature lists), then how many differ and how many of
those were sampled on either side.
"""
import argparse
import json
import os
from pathlib import Path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--auricle", required=True, help="directory of Auricle's per-file JSON outputs")
    p.add_argument("--faster-whisper", required=True, help="reference_transcribe.py's JSON")
    args = p.parse_args()
    reference = json.loads(Path(args.faster_whisper).read_text())["files"]
    differ = sampled = 0
    for f in sorted(reference, key=lambda f: f["file"]):
        name = os.path.basename(f["file"])
        ours = json.loads((Path(args.auricle) / (os.path.splitext(name)[0] + ".json")).read_text())
        a = "".join(s["text"] for s in ours["segments"]).strip()
        b = "".join(s["text"] for s in f["segments"]).strip()
        if a == b:
            continue
        differ += 1
        ta = [round(s["temperature"], 1) for s in ours["segments"]]
        tb = [round(s["temperature"], 1) for s in f["segments"]]
        sampled += any(t > 0 for t in ta + tb)
        print(f"{name}: Auricle T={ta}, faster-whisper T={tb}\n  A: {a}\n  F: {b}")
    print(f"{differ} of {len(reference)} clips differ; {sampled} of them sampled (temperature > 0) on either side")


if __name__ == "__main__":
    main()
