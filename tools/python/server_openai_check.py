"""The server as its users call it: the official openai client and curl, every response format, both
endpoints, the stream and the errors, on jfk and a second English clip; the text must equal the CLI's.

Run: $(tools/python/server_venv)/bin/python tools/python/server_openai_check.py
Ends with 'N passed, N failed'; exit code 1 if any failed.
"""
import json
import re
import subprocess
import sys

import openai

from server_common import ROOT, SPEECH, Server

CLIPS = [SPEECH / "jfk" / "jfk.wav", SPEECH / "multilingual_leopard" / "test.flac"]
results = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(("ok    " if ok else "FAIL  ") + name + ("" if ok else f": {detail}"))


def cli_text(path):
    """`./auricle transcribe` prints '[start --> end] text' per segment; OpenAI's text is them joined, stripped."""
    out = subprocess.run([str(ROOT / "auricle"), "transcribe", str(path), "--model", "tiny.en"],
                         capture_output=True, text=True, check=True).stdout
    return "".join(re.sub(r"^\[[^\]]*\] ", "", line) for line in out.splitlines()).strip()


def curl(url, path, *fields):
    args = ["curl", "-s", "-w", "\n%{http_code}", url + "/v1/audio/transcriptions", "-F", f"file=@{path}"]
    for f in fields:
        args += ["-F", f]
    body, _, code = subprocess.run(args, capture_output=True, text=True, check=True).stdout.rpartition("\n")
    return int(code), body


def main():
    with Server() as server:
        client = openai.OpenAI(base_url=server.url + "/v1", api_key="not-needed", max_retries=0)
        for clip in CLIPS:
            name = clip.name
            expected = cli_text(clip)
            with open(clip, "rb") as f:
                t = client.audio.transcriptions.create(model="whisper-1", file=f)
            check(f"{name} json equals the CLI's text", t.text == expected, f"{t.text!r} != {expected!r}")
            with open(clip, "rb") as f:
                text = client.audio.transcriptions.create(model="tiny.en", file=f, response_format="text")
            check(f"{name} text", text == expected + "\n", repr(text))
            with open(clip, "rb") as f:
                v = client.audio.transcriptions.create(model="whisper-1", file=f, response_format="verbose_json",
                                                       timestamp_granularities=["segment", "word"])
            joined = "".join(s.text for s in v.segments).strip()
            check(f"{name} verbose_json", v.language == "english" and v.duration > 0 and v.text == expected
                  and joined == expected and v.words is not None, v.model_dump_json()[:300])
            with open(clip, "rb") as f:
                srt = client.audio.transcriptions.create(model="whisper-1", file=f, response_format="srt")
            with open(clip, "rb") as f:
                vtt = client.audio.transcriptions.create(model="whisper-1", file=f, response_format="vtt")
            first = v.segments[0]
            check(f"{name} srt", srt.startswith("1\n00:00:") and first.text.strip() in srt, srt[:200])
            check(f"{name} vtt", vtt.startswith("WEBVTT\n\n") and first.text.strip() in vtt, vtt[:200])
            with open(clip, "rb") as f:
                events = list(client.audio.transcriptions.create(model="whisper-1", file=f, stream=True))
            kinds = [e.type for e in events]
            done = events[-1]
            check(f"{name} stream", kinds[-1] == "transcript.text.done" and done.text == expected
                  and all(k == "transcript.text.delta" for k in kinds[:-1]) and len(kinds) >= 2,
                  f"{kinds} {getattr(done, 'text', None)!r}")
            code, body = curl(server.url, clip, "model=whisper-1")
            check(f"{name} curl json", code == 200 and json.loads(body)["text"] == expected, body)
            code, body = curl(server.url, clip, "model=whisper-1", "response_format=srt")
            check(f"{name} curl srt equals the client's", code == 200 and body == srt, body[:200])

        with open(CLIPS[0], "rb") as f:
            try:
                client.audio.translations.create(model="whisper-1", file=f)
                check("translation with tiny.en is refused", False, "no error")
            except openai.BadRequestError as e:
                check("translation with tiny.en is refused",
                      e.body["message"] == "model 'tiny.en' is English-only and cannot translate", e.body)
        try:
            client.audio.transcriptions.create(model="whisper-1", file=("notes.wav", b"not audio at all"))
            check("corrupt file is a 400", False, "no error")
        except openai.BadRequestError as e:
            check("corrupt file is a 400", e.body["message"].startswith("notes.wav: ") and e.body["param"] == "file",
                  e.body)
        try:
            with open(CLIPS[0], "rb") as f:
                client.audio.transcriptions.create(model="/etc/passwd", file=f)
            check("a path as model is a 404", False, "no error")
        except openai.NotFoundError as e:
            check("a path as model is a 404", e.body["code"] == "model_not_found", e.body)
        models = [m.id for m in client.models.list()]
        check("models list", models == ["whisper-1", "tiny.en"], models)
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
