"""Golden outputs for io.auricle.output, written by openai-whisper's own writers (whisper/utils.py).

openai-whisper is fetched as its source distribution (pip download --no-deps, cached under
~/.cache/auricle/openai-whisper) and only whisper/utils.py is imported, by path: the writers need nothing but
the standard library, so no torch. Hand-built result dicts (the shape transcribe() returns) are written with
every writer under several option sets.

Run: $(tools/python/venv)/bin/python tools/python/make_output_fixtures.py
Writes core/src/test/resources/output/: results/<name>.json (the input dicts), golden/<name>/<variant>/
<audio>.<ext> (the reference's files) and cases.json (which result and options made each variant).
"""

import glob
import importlib.util
import io
import json
import os
import random
import struct
import subprocess
import sys
import tarfile

VERSION = "20250625"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "core", "src", "test", "resources", "output")
AUDIO = "/data/audio/interview.part1.wav"  # the writers keep the base name without the extension


def load_utils():
    cache = os.path.join(os.environ.get("AURICLE_CACHE", os.path.expanduser("~/.cache/auricle")), "openai-whisper")
    sdist = os.path.join(cache, f"openai_whisper-{VERSION}.tar.gz")
    if not os.path.exists(sdist):
        os.makedirs(cache, exist_ok=True)
        subprocess.check_call([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                               "-d", cache, f"openai-whisper=={VERSION}"])
    with tarfile.open(sdist) as tar:
        source = tar.extractfile(f"openai_whisper-{VERSION}/whisper/utils.py").read()
    path = os.path.join(cache, f"utils-{VERSION}.py")
    with open(path, "wb") as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location("whisper_utils", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def segment(i, seek, start, end, text, tokens, words=None, temperature=0.0, avg_logprob=-0.25,
            compression_ratio=1.4, no_speech_prob=0.01):
    s = dict(id=i, seek=seek, start=start, end=end, text=text, tokens=tokens, temperature=temperature,
             avg_logprob=avg_logprob, compression_ratio=compression_ratio, no_speech_prob=no_speech_prob)
    if words is not None:
        s["words"] = [dict(word=w, start=a, end=b, probability=p) for w, a, b, p in words]
    return s


def result(segments, language="en"):
    return dict(text="".join(s["text"] for s in segments), segments=segments, language=language)


# Segment-level only: hours, half-millisecond ties, "-->" and tabs in text, non-ASCII, a DEL and control chars.
PLAIN = result([
    segment(0, 0, 0.0, 2.5, " And so, my fellow Americans -->  ask not\t(what)", [50363, 400, 370, 11, 616],
            avg_logprob=-0.1234567890123, compression_ratio=1.2916666666666667, no_speech_prob=1.2e-05),
    segment(1, 0, 2.5, 7.0015, " what your country can do for you, café 你好 \U0001F600 \x7f\x01 \"q\" \\ ", [50363, 437],
            temperature=0.2, avg_logprob=-1e-07, compression_ratio=12345678901234567.0, no_speech_prob=0.0001),
    segment(2, 3000, 3725.0005, 3730.9995, "  Ask what you can do.  ", [1029, 13], temperature=1.0,
            avg_logprob=-0.5, compression_ratio=0.1, no_speech_prob=0.9999999),
])

# Word-level: three segments, a long pause (> 3 s) inside segment 1, leading-space words, punctuation merged.
WORDS = result([
    segment(0, 0, 0.0, 4.2, " And so my fellow Americans, ask not", [400, 370, 452, 7177, 6280, 11, 1265, 407],
            words=[(" And", 0.0, 0.32, 0.91), (" so", 0.32, 0.6, 0.99), (" my", 0.6, 0.86, 0.875),
                   (" fellow", 0.86, 1.2, 0.999), (" Americans,", 1.2, 2.04, 0.7), (" ask", 3.1, 3.5, 0.95),
                   (" not", 3.5, 4.2, 0.5)]),
    segment(1, 0, 4.2, 12.5, " what your country can do for you; ask what you can do for your country.",
            [437, 534, 1499, 460, 466, 329, 345, 26, 1265], temperature=0.4,
            words=[(" what", 4.2, 4.6, 0.98), (" your", 4.6, 4.9, 0.97), (" country", 4.9, 5.5, 0.96),
                   (" can", 5.5, 5.8, 0.95), (" do", 5.8, 6.0, 0.94), (" for", 6.0, 6.2, 0.93),
                   (" you;", 6.2, 6.6, 0.92), (" ask", 9.9, 10.2, 0.91), (" what", 10.2, 10.4, 0.9),
                   (" you", 10.4, 10.6, 0.89), (" can", 10.6, 10.8, 0.88), (" do", 10.8, 11.0, 0.87),
                   (" for", 11.0, 11.2, 0.86), (" your", 11.2, 11.5, 0.85), (" country.", 11.5, 12.5, 0.84)]),
    segment(2, 1250, 3601.25, 3603.0, " Thank you, café.", [6952, 345, 11],
            words=[(" Thank", 3601.25, 3601.5, 0.6), (" you,", 3601.5, 3602.0, 0.7), (" café.", 3602.3, 3603.0, 0.8)]),
])

# Word-level with an empty first segment and a segment that starts with a word without a leading space.
SPARSE = result([
    segment(0, 0, 0.0, 1.0, "", [], words=[]),
    segment(1, 0, 1.0, 2.5, "Hello world", [15496, 995],
            words=[("Hello", 1.0, 1.5, 0.5), (" world", 1.5, 2.5, 0.25)]),
    segment(2, 0, 2.5, 3.0, " -->", [14610], words=[(" -->", 2.5, 3.0, 0.125)]),
], language="fr")

EMPTY = result([])

VARIANTS = {
    "default": {},
    "width20_count2": dict(max_line_width=20, max_line_count=2),
    "width16": dict(max_line_width=16),
    "count1": dict(max_line_count=1),
    "highlight": dict(highlight_words=True),
    "words3": dict(max_words_per_line=3),
    "words2_highlight_width24_count1": dict(max_words_per_line=2, highlight_words=True, max_line_width=24,
                                            max_line_count=1),
}

CASES = [
    ("plain", PLAIN, ["default", "width20_count2"]),
    ("words", WORDS, list(VARIANTS)),
    ("sparse", SPARSE, ["default", "width16", "highlight", "words3"]),
    ("empty", EMPTY, ["default"]),
]


def write_floats(path):
    """Python's repr of doubles of every magnitude: the JSON writer must print floats as json.dump does."""
    rng = random.Random(6)
    values = [0.0, -0.0, 1.0, 0.1, 0.0001, 0.00001, 1e15, 1e16, 123456789012345678.0, 5e-324,
              1.7976931348623157e308, 2.5, 0.125, 1e22, 1e23, 9007199254740993.0, 0.3, 2 / 3]
    values += [rng.uniform(-1, 1) * 10.0 ** e for e in range(-30, 31) for _ in range(8)]
    values += [round(rng.uniform(0, 4000), 2) for _ in range(200)]
    while len(values) < 1500:
        v = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if v == v and abs(v) != float("inf"):
            values.append(v)
    with open(path, "w") as f:
        f.write("".join(repr(v) + "\n" for v in values))


def main():
    utils = load_utils()
    os.makedirs(os.path.join(OUT, "results"), exist_ok=True)
    cases = []
    for name, res, variants in CASES:
        with open(os.path.join(OUT, "results", name + ".json"), "w", encoding="utf-8") as f:
            json.dump(res, f, ensure_ascii=False, indent=1)
        for variant in variants:
            directory = os.path.join(OUT, "golden", name, variant)
            os.makedirs(directory, exist_ok=True)
            for old in glob.glob(os.path.join(directory, "*")):
                os.remove(old)
            options = VARIANTS[variant]
            # get_writer("all", ...) is the CLI's path: every writer gets the same options dict
            utils.get_writer("all", directory)(res, AUDIO, dict(options))
            cases.append(dict(result=name, variant=variant, options=options))
    with open(os.path.join(OUT, "cases.json"), "w", encoding="utf-8") as f:
        json.dump(dict(audio=AUDIO, openai_whisper=VERSION, cases=cases), f, indent=1)
        f.write("\n")
    write_floats(os.path.join(OUT, "floats.txt"))
    print(f"wrote {len(cases)} variants to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
