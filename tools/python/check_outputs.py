"""Side-by-side check of Auricle's written outputs against openai-whisper's own writers.

Given the files Auricle wrote for one audio file (with --output_format all, so the .json is there), this
rebuilds the result dict from our JSON, has openai-whisper's utils.py writers (loaded as in
make_output_fixtures.py, no torch) write every format with the same layout options, and compares the files
byte for byte.

Run: $(tools/python/venv)/bin/python tools/python/check_outputs.py OUTPUT_DIR/NAME.json \
         [--max_line_width N] [--max_line_count N] [--max_words_per_line N] [--highlight_words True]
Exits 1 and prints a unified diff for any file that differs.
"""

import argparse
import difflib
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_output_fixtures import load_utils  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("json", help="the .json Auricle wrote; its siblings .txt .vtt .srt .tsv are compared")
    parser.add_argument("--max_line_width", type=int)
    parser.add_argument("--max_line_count", type=int)
    parser.add_argument("--max_words_per_line", type=int)
    parser.add_argument("--highlight_words", choices=["True", "False"], default="False")
    args = parser.parse_args()

    utils = load_utils()
    with open(args.json, encoding="utf-8") as f:
        result = json.load(f)
    options = dict(max_line_width=args.max_line_width, max_line_count=args.max_line_count,
                   max_words_per_line=args.max_words_per_line, highlight_words=args.highlight_words == "True")
    ours_dir = os.path.dirname(os.path.abspath(args.json))
    base = os.path.splitext(os.path.basename(args.json))[0]
    failed = 0
    with tempfile.TemporaryDirectory() as theirs_dir:
        utils.get_writer("all", theirs_dir)(result, base + ".audio", options)
        for ext in ["txt", "vtt", "srt", "tsv", "json"]:
            name = f"{base}.{ext}"
            ours_path = os.path.join(ours_dir, name)
            if not os.path.exists(ours_path):
                print(f"missing: {ours_path}")
                failed += 1
                continue
            with open(ours_path, encoding="utf-8") as f:
                ours = f.read()
            with open(os.path.join(theirs_dir, name), encoding="utf-8") as f:
                theirs = f.read()
            if ours == theirs:
                print(f"same: {name}")
            else:
                failed += 1
                print(f"differs: {name}")
                sys.stdout.writelines(difflib.unified_diff(theirs.splitlines(True), ours.splitlines(True),
                                                           "openai-whisper", "auricle"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
