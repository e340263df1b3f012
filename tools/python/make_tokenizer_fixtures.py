"""Golden fixtures for io.auricle.tokenizer.Tokenizer, made with the reference tokenizers.

Run: $(tools/python/venv)/bin/python tools/python/make_tokenizer_fixtures.py

References:
- English-only (gpt2): Hugging Face `tokenizers` with the tiny.en model's tokenizer.json
  (~/.cache/auricle/models/tiny.en), cross-checked id for id against openai-whisper's own tokenizer.
- Multilingual: openai-whisper's tokenizer.py with its assets/multilingual.tiktoken (tiktoken). They come from
  the openai-whisper sdist on PyPI, unpacked with tiktoken and regex into ~/.cache/auricle/pyref (outside the
  shared venv: openai-whisper would pull in torch). If ~/.cache/auricle/models/base/tokenizer.json exists, the
  multilingual ids are cross-checked against HF `tokenizers` with it too.

Every transcript of every manifest under the speech data (all sets, all languages) is encoded with a leading
space as Whisper does, plus a few edge cases. Writes core/src/test/resources/tokenizer/{gpt2,multilingual,utf8}.json.
"""

import importlib.util
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("AURICLE_CACHE", Path.home() / ".cache" / "auricle"))
SPEECH = Path(os.environ.get("AURICLE_SPEECH_DIR", REPO.parent / "shared" / "data" / "speech"))
OUT = REPO / "core" / "src" / "test" / "resources" / "tokenizer"
PYREF = CACHE / "pyref"
REFERENCE_PACKAGES = ["tiktoken==0.14.0", "regex==2026.11.15"]
OPENAI_WHISPER = "openai-whisper==20250625"

# Inputs the manifests lack: whitespace classes, contractions, digits, symbols, scripts without spaces, emoji,
# long runs (the long-piece merge path), and the symbols behind non_speech_tokens. Random mixes come on top.
EXTRA_TEXTS = [
    "",
    " ",
    "Hello world",
    "  two  spaces  and trailing   ",
    "tab\tseparated\tvalues\n\nnew lines\r\n",
    "I'll say it's what they've done; you'd we're I'm, can't SHOULDN'T 'S 'Ll",
    "3.14159 1234567890 ٣٤٥ ½ ², 2nd 10,000.50",
    "non\u00a0breaking\u3000ideographic\u2028line\u0085next\u200bzero\ufeffbom\x1cfs\x1fus\x0bvt\x0cff",
    "♪♪♪ ( SPEAKING FOREIGN LANGUAGE ) [DAVID] Hey there, <<>> -- --- ((( ))) {{ }} ♩♫♬♭♮♯",
    "café naïve coöperate résumé Ångström e\u0301\u0301 \u0915\u094d\u0937",
    "日本語のテキストです。東京は晴れ。",
    "我们今天去公园散步，天气很好！",
    "สวัสดีครับ ยินดีต้อนรับ",
    "ສະບາຍດີ",
    "မင်္ဂလာပါ",
    "你哋食咗飯未呀？",
    "다람쥐 헌 쳇바퀴에 타고파",
    "مرحبا بالعالم ، كيف حالك؟",
    "Привет, мир! Ёлка — ёж.",
    "emoji 🎵🎶 👍🏽 👨‍👩‍👧 🇳🇱 done",
    "!" * 700,
    "a" * 3000,
    " " * 300 + "x",
    "ab" * 800,
    "\U0001F600" * 200,
]


def fuzz_texts(count=200):
    """Random mixes of scripts, digits, contractions and whitespace kinds, to pin down the pre-tokenizer regex."""
    import random
    rng = random.Random(3)
    atoms = ["a", "Z", "word", "é", "ß", "日", "本", "한", "ก", "ไ", "ا", "Я", "1", "42", "٣", "½", "²", " ", "  ",
             "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u2009", "'s", "'ll", "'t", "'re", "'", "!", "?", ".", ",",
             "-", "(", ")", "\"", "♪", "🎵", "👍🏽", "\u200b", "\u0301", "$", "%", "_", "/", "<|", "|>"]
    return [" " + "".join(rng.choice(atoms) for _ in range(rng.randrange(1, 26))) for _ in range(count)]


def reference_openai_tokenizer():
    """openai-whisper's tokenizer.py, loaded alone (its package __init__ imports torch)."""
    whisper_dir = PYREF / "whisper"
    if not (whisper_dir / "assets" / "multilingual.tiktoken").exists():
        PYREF.mkdir(parents=True, exist_ok=True)
        pip = [sys.executable, "-m", "pip", "-q"]
        subprocess.run(pip + ["install", "--no-deps", "--target", str(PYREF)] + REFERENCE_PACKAGES, check=True)
        subprocess.run(pip + ["download", "--no-deps", "--no-binary", ":all:", "-d", str(PYREF / "dl"),
                              OPENAI_WHISPER], check=True)
        sdist = next((PYREF / "dl").glob("openai_whisper-*.tar.gz"))
        with tarfile.open(sdist) as tar:
            for member in tar.getmembers():
                parts = Path(member.name).parts
                if len(parts) > 2 and parts[1] == "whisper" and (
                        parts[2] == "tokenizer.py" or member.name.endswith(".tiktoken")):
                    member.name = str(Path(*parts[1:]))
                    tar.extract(member, PYREF)
    sys.path.insert(0, str(PYREF))
    spec = importlib.util.spec_from_file_location("openai_whisper_tokenizer", whisper_dir / "tokenizer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def manifest_texts():
    texts = []
    for manifest in sorted(SPEECH.glob("*/manifest.tsv")):
        lines = manifest.read_text(encoding="utf-8").splitlines()
        header = lines[0].split("\t")
        column = header.index("text")
        for line in lines[1:]:
            fields = line.split("\t")
            texts.append(" " + (fields[column] if column < len(fields) else ""))
    if not texts:
        sys.exit(f"no manifests under {SPEECH}")
    return texts


def unique(items):
    return list(dict.fromkeys(items))


def special_names(encoding):
    return [name for name, _ in sorted(encoding._special_tokens.items(), key=lambda kv: kv[1])]


def accessors(tok):
    # openai lists the language tokens in a set's order, which changes from run to run: sort the pairs by id
    languages = sorted(zip(tok.all_language_tokens, tok.all_language_codes))
    return {
        "eot": tok.eot, "sot": tok.sot, "sotPrev": tok.sot_prev, "sotLm": tok.sot_lm,
        "noSpeech": tok.no_speech, "noTimestamps": tok.no_timestamps, "timestampBegin": tok.timestamp_begin,
        "transcribe": tok.transcribe, "translate": tok.translate,
        "languageTokens": [t for t, _ in languages], "languageCodes": [c for _, c in languages],
        "nonSpeechTokens": list(tok.non_speech_tokens), "nVocab": tok.encoding.n_vocab,
    }


def decode_cases(tok, texts):
    """Every prefix of a few token sequences, so UTF-8 sequences split across tokens are covered."""
    cases = []
    for text in texts:
        ids = tok.encode(text)
        for n in range(1, len(ids) + 1):
            prefix = ids[:n]
            cases.append({"ids": prefix, "text": tok.decode(prefix)})
    return cases


def split_cases(module, multilingual, samples):
    cases = []
    for language, text, with_timestamps, *num_languages in samples:
        tok = module.get_tokenizer(multilingual, language=language if multilingual else None,
                                   num_languages=num_languages[0] if num_languages else 99)
        ids = tok.encode(text)
        if with_timestamps:
            ids = [tok.timestamp_begin] + ids[: len(ids) // 2] + [tok.timestamp_begin + 50, tok.timestamp_begin + 50] \
                + ids[len(ids) // 2:] + [tok.timestamp_begin + 150]
        ids = ids + [tok.eot]
        words, word_tokens = tok.split_to_word_tokens(ids)
        cases.append({"language": tok.language, "numLanguages": tok.num_languages, "ids": ids, "words": words, "wordTokens": word_tokens,
                      "textWithTimestamps": tok.decode_with_timestamps(ids)})
    return cases


def write(name, fixture):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    path.write_text(json.dumps(fixture, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)} ({path.stat().st_size} bytes, {len(fixture['encode'])} texts)")


def hf_ids(tokenizer_json, texts):
    from tokenizers import Tokenizer
    hf = Tokenizer.from_file(str(tokenizer_json))
    return [hf.encode(text, add_special_tokens=False).ids for text in texts]


def utf8_cases():
    """Python's errors="replace" decoding of byte runs near UTF-8's edges (what word splitting relies on)."""
    import random
    rng = random.Random(5)
    edges = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
             0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
    cases = [bytes.fromhex(h) for h in ["", "e697", "e69741", "f09f8e", "f09f8e208e", "c080", "eda080", "f4908080",
                                        "e080af", "efbfbd", "f09f8eb5", "e697a5e69cac"]]
    for _ in range(400):
        cases.append(bytes(rng.choice(edges) if rng.random() < 0.7 else rng.randrange(256)
                           for _ in range(rng.randrange(1, 9))))
    return [{"hex": c.hex(), "text": c.decode("utf-8", errors="replace")} for c in cases]


def main():
    module = reference_openai_tokenizer()
    texts = unique(manifest_texts() + EXTRA_TEXTS + fuzz_texts())
    split_samples_en = [(None, " And so, my fellow Americans, ask not what your country can do for you.", True),
                        (None, " Mr. Quilter's gospel -- \"forty-two line Bible\" (1455) isn't 100% sure!", False),
                        (None, " ♪ café 日本語 🎵 naïve", True)]

    gpt2 = module.get_tokenizer(False)
    tiny_en = CACHE / "models" / "tiny.en" / "tokenizer.json"
    ids = hf_ids(tiny_en, texts)
    mismatches = [t for t, i in zip(texts, ids) if gpt2.encode(t) != i]
    if mismatches:
        sys.exit(f"HF tokenizers and openai-whisper disagree (gpt2) on {len(mismatches)} texts: {mismatches[:3]!r}")
    write("gpt2.json", {
        "reference": f"HF tokenizers with {tiny_en.parent.name}/tokenizer.json; same ids as {OPENAI_WHISPER}",
        "specialTokens": special_names(gpt2.encoding), "accessors": accessors(gpt2),
        "sotSequence": list(gpt2.sot_sequence),
        "encode": [{"text": t, "ids": i} for t, i in zip(texts, ids)],
        "decode": decode_cases(gpt2, [" ♪ café 日本語 🎵 naïve", "다람쥐 헌 쳇바퀴에 타고파"]),
        "split": split_cases(module, False, split_samples_en),
    })

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "utf8.json").write_text(json.dumps(utf8_cases(), ensure_ascii=True) + "\n", encoding="utf-8")
    print(f"wrote {(OUT / 'utf8.json').relative_to(REPO)}")

    multi = module.get_tokenizer(True)
    ids = [multi.encode(t) for t in texts]
    base = CACHE / "models" / "base" / "tokenizer.json"
    if base.exists():
        if hf_ids(base, texts) != ids:
            sys.exit(f"HF tokenizers with {base} disagrees with openai-whisper (multilingual)")
        print(f"multilingual ids cross-checked with {base}")
    else:
        print(f"no {base}: multilingual ids from openai-whisper only")
    split_samples = split_samples_en[:2] + [
        ("fr", " elle est l'écritoire", False), ("ja", " 日本語のテキストです。東京は晴れ。", True),
        ("zh", " 我们今天去公园散步，天气很好！", False), ("th", " สวัสดีครับ ยินดีต้อนรับ", False),
        ("ko", " 다람쥐 헌 쳇바퀴에 타고파", True), ("yue", " 你哋食咗飯未呀？", False, 100),
        ("my", " မင်္ဂလာပါ", False), ("lo", " ສະບາຍດີ", False), ("en", " emoji 🎵🎶 👍🏽 done", False)]
    v3 = module.get_tokenizer(True, num_languages=100)
    write("multilingual.json", {
        "reference": OPENAI_WHISPER + " tokenizer.py with assets/multilingual.tiktoken",
        "specialTokens": special_names(multi.encoding), "accessors": accessors(multi),
        "sotSequences": [{"language": lang, "task": task,
                          "ids": list(module.get_tokenizer(True, language=lang, task=task).sot_sequence)}
                         for lang, task in [("en", "transcribe"), ("nl", "translate"), ("ja", "transcribe"),
                                            ("haw", "transcribe"), ("dutch", "transcribe"),
                                            ("castilian", "translate")]],
        "v3": {"specialTokens": special_names(v3.encoding), "accessors": accessors(v3),
               "cantoneseSotSequence": list(module.get_tokenizer(True, num_languages=100, language="yue").sot_sequence)},
        "encode": [{"text": t, "ids": i} for t, i in zip(texts, ids)],
        "decode": decode_cases(multi, [" ♪ café 日本語 🎵 naïve", " 다람쥐 헌 쳇바퀴에 타고파 👨‍👩‍👧"]),
        "split": split_cases(module, True, split_samples),
    })


if __name__ == "__main__":
    main()
