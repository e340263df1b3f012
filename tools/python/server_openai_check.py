"""The server as its users call it: the official openai client and curl against a real `./auricle serve`, every
response format on both endpoints, timestamp granularities word and segment, and the stream, on jfk (tiny.en)
and on multilingual clips (base: German transcribed with the language detected, and translated; Dutch with the
language given). Each answer must equal what `./auricle transcribe` gives for the same file and options: the
text, the srt and vtt files byte for byte, verbose_json's segments (times, text, tokens) and words.

Run: $(tools/python/server_venv)/bin/python tools/python/server_openai_check.py
Ends with 'N passed, N failed'; exit code 1 if any failed. Takes some minutes (the CLI loads a model per run).
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import openai

from server_common import ROOT, SPEECH, Server

# (clip, model, task, language sent or None)
CASES = [
    (SPEECH / "jfk" / "jfk.wav", "tiny.en", "transcribe", None),
    (SPEECH / "multilingual_leopard" / "test_de.flac", "base", "transcribe", None),
    (SPEECH / "multilingual_leopard" / "test_de.flac", "base", "translate", None),
    (SPEECH / "fillets_nl" / "cave__jes-m-netopyr0.ogg", "base", "transcribe", "nl"),
]
LANGUAGE_NAMES = {"en": "english", "de": "german", "nl": "dutch"}
FORMATS = ["json", "text", "srt", "vtt", "verbose_json"]
results = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(("ok    " if ok else "FAIL  ") + name + ("" if ok else f": {str(detail)[:400]}"), flush=True)


def cli(clip, model, task, language, words):
    """`./auricle transcribe` with the same options; returns its json (parsed), srt and vtt files."""
    with tempfile.TemporaryDirectory() as out:
        args = [str(ROOT / "auricle"), "transcribe", str(clip), "--model", model, "--task", task, "-o", out,
                "--verbose", "False", "--word_timestamps", str(words)]
        if language:
            args += ["--language", language]
        subprocess.run(args, check=True, capture_output=True, text=True)
        stem = Path(out) / clip.stem
        return (json.loads(stem.with_suffix(".json").read_text()), stem.with_suffix(".srt").read_text(),
                stem.with_suffix(".vtt").read_text())


def curl(url, endpoint, path, fields):
    args = ["curl", "-s", "-w", "\n%{http_code}", f"{url}/v1/audio/{endpoint}", "-F", f"file=@{path}"]
    for k, v in fields.items():
        args += ["-F", f"{k}={v}"]
    body, _, code = subprocess.run(args, capture_output=True, text=True, check=True).stdout.rpartition("\n")
    return int(code), body


def close(a, b):
    return abs(a - b) < 0.0051  # both sides round times to 0.01 s


def same_segments(got, want):
    return len(got) == len(want) and all(
        g.text == w["text"] and close(g.start, w["start"]) and close(g.end, w["end"]) and list(g.tokens) == w["tokens"]
        for g, w in zip(got, want))


def run_case(client, url, clip, model, task, language):
    plain, srt_cli, vtt_cli = cli(clip, model, task, language, False)
    worded, _, _ = cli(clip, model, task, language, True)
    expected = plain["text"].strip()
    name = f"{clip.name} {model} {task}" + (f" language={language}" if language else " (no language sent)")
    api = client.audio.transcriptions if task == "transcribe" else client.audio.translations
    endpoint = "transcriptions" if task == "transcribe" else "translations"
    extra = {"language": language} if language else {}

    def create(**kw):
        with open(clip, "rb") as f:
            return api.create(model=model, file=f, **extra, **kw)

    answers = {}
    t = create()
    answers["json"] = t.text
    check(f"{name}: json text equals the CLI's", t.text == expected, f"{t.text!r} != {expected!r}")
    answers["text"] = create(response_format="text")
    check(f"{name}: text", answers["text"] == expected + "\n", repr(answers["text"]))
    answers["srt"] = create(response_format="srt")
    check(f"{name}: srt equals the CLI's .srt", answers["srt"] == srt_cli, f"{answers['srt']!r} != {srt_cli!r}")
    answers["vtt"] = create(response_format="vtt")
    check(f"{name}: vtt equals the CLI's .vtt", answers["vtt"] == vtt_cli, f"{answers['vtt']!r} != {vtt_cli!r}")
    v = create(response_format="verbose_json")
    want_language = LANGUAGE_NAMES[plain["language"]]  # the spoken language, for translations too (as the CLI's json)
    check(f"{name}: verbose_json segments equal the CLI's", v.text == expected and v.language == want_language
          and v.duration > 0 and same_segments(v.segments, plain["segments"]) and not getattr(v, "words", None),
          v.model_dump_json()[:400])
    if task == "transcribe":
        w = create(response_format="verbose_json", timestamp_granularities=["word", "segment"])
        want_words = [x for s in worded["segments"] for x in s["words"]]
        got_words = w.words or []
        check(f"{name}: verbose_json words and segments equal the CLI's (--word_timestamps True)",
              len(got_words) == len(want_words) and all(
                  g.word == x["word"].strip() and close(g.start, x["start"]) and close(g.end, x["end"])
                  for g, x in zip(got_words, want_words)) and same_segments(w.segments, worded["segments"]),
              f"{[(g.word, g.start, g.end) for g in got_words][:8]} vs "
              f"{[(x['word'], x['start'], x['end']) for x in want_words][:8]}")
        words_only = create(response_format="verbose_json", timestamp_granularities=["word"])
        check(f"{name}: granularity word alone has words and no segments",
              len(words_only.words or []) == len(want_words) and not words_only.segments, words_only.model_dump_json()[:300])
    with open(clip, "rb") as f:
        events = list(api.create(model=model, file=f, stream=True, **extra)) if task == "transcribe" else None
    if events is not None:
        kinds = [e.type for e in events]
        deltas = "".join(e.delta for e in events if e.type == "transcript.text.delta").strip()
        check(f"{name}: stream deltas then done, text equals the CLI's",
              kinds[-1] == "transcript.text.done" and events[-1].text == expected and deltas == expected
              and all(k == "transcript.text.delta" for k in kinds[:-1]) and len(kinds) == len(plain["segments"]) + 1,
              f"{kinds} {getattr(events[-1], 'text', None)!r}")
    else:  # the client has no stream for translations; the server's events are checked through curl
        code, body = curl(url, endpoint, clip, {"model": model, "stream": "true"})
        data = [json.loads(line[6:]) for line in body.splitlines() if line.startswith("data: ")]
        check(f"{name}: stream (curl) deltas then done, text equals the CLI's", code == 200 and data
              and data[-1]["type"] == "transcript.text.done" and data[-1]["text"] == expected, body[:300])
    for fmt in FORMATS:
        code, body = curl(url, endpoint, clip, {"model": model, "response_format": fmt, **extra})
        if fmt == "json":
            ok = code == 200 and json.loads(body)["text"] == answers["json"]
        elif fmt == "verbose_json":
            ok = code == 200 and json.loads(body) == json.loads(v.model_dump_json(exclude_unset=True))
        else:
            ok = code == 200 and body == answers[fmt]
        check(f"{name}: curl {fmt} equals the client's", ok, body[:300])


def errors(client, url):
    jfk = CASES[0][0]
    with open(jfk, "rb") as f:
        try:
            client.audio.translations.create(model="tiny.en", file=f)
            check("translation with tiny.en is refused", False, "no error")
        except openai.BadRequestError as e:
            check("translation with tiny.en is refused",
                  e.body["message"] == "model 'tiny.en' is English-only and cannot translate", e.body)
    for name, data in [("notes.wav", b"not audio at all"), ("empty.wav", b"")]:
        try:
            client.audio.transcriptions.create(model="whisper-1", file=(name, data))
            check(f"{name} is a 400", False, "no error")
        except openai.BadRequestError as e:
            check(f"{name} is a 400 naming the upload", e.body["message"].startswith(name + ": ")
                  and e.body["param"] == "file" and e.body["code"] == "invalid_file", e.body)
    for kw, status, message in [
        ({"model": "/etc/passwd"}, openai.NotFoundError,
         "the model '/etc/passwd' does not exist; this server has whisper-1, tiny.en, base"),
        ({"model": "base", "language": "klingon"}, openai.BadRequestError,
         "language 'klingon' is not one Whisper knows; give an ISO-639-1 code such as en, de or ja"),
        ({"model": "base", "response_format": "xml"}, openai.BadRequestError,
         "response_format must be one of json, text, srt, verbose_json, vtt; got 'xml'"),
    ]:
        try:
            with open(jfk, "rb") as f:
                client.audio.transcriptions.create(file=f, **kw)
            check(f"{kw} refused", False, "no error")
        except status as e:
            check(f"{kw} refused with {e.status_code}", e.body["message"] == message, e.body)
    code, body = curl(url, "transcriptions", jfk, {})
    check("curl without model is a 400", code == 400 and json.loads(body)["error"]["message"]
          == "you must provide a model parameter", body)
    models = [m.id for m in client.models.list()]
    check("models list", models == ["whisper-1", "tiny.en", "base"], models)


def main():
    with Server("--model", "base") as server:
        client = openai.OpenAI(base_url=server.url + "/v1", api_key="not-needed", max_retries=0, timeout=900)
        for case in CASES:
            run_case(client, server.url, *case)
        errors(client, server.url)
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
