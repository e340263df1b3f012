"""A bounded loopback load test of `./auricle serve`: N requests (default 200), C at once (default 16), a mix
of real clips and broken files. Every answer must be 200 with the clip's known text, a 4xx for a broken
file, or 429 (full queue); anything else is lost or wrong. Prints counts, wall time, throughput in audio
seconds per second, and the server's peak RSS.

Run: $(tools/python/server_venv)/bin/python tools/python/server_load_test.py [--requests 200] [--concurrency 16]
"""
import argparse
import collections
import concurrent.futures
import random
import sys
import time

import httpx2 as httpx

from server_common import SPEECH, Server

CLIPS = {  # file -> seconds of audio
    SPEECH / "pocketsphinx" / "goforward.flac": 2.786,
    SPEECH / "pocketsphinx" / "something.flac": 2.999,
    SPEECH / "ljspeech_lj001" / "LJ001-0002.flac": 1.900,
    SPEECH / "jfk" / "jfk.mp3": 11.0,
}
BROKEN = {"corrupt.mp3": b"ID3" + bytes(range(256)) * 40, "empty.wav": b"",
          "truncated.wav": (SPEECH / "jfk" / "jfk.wav").read_bytes()[:40]}


def post(client, url, name, data):
    files = {"file": (name, data)}
    try:
        r = client.post(url + "/v1/audio/transcriptions", files=files, data={"model": "whisper-1"}, timeout=900)
        return r.status_code, r.text
    except httpx.HTTPError as e:
        return -1, repr(e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--queue", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    blobs = {p.name: p.read_bytes() for p in CLIPS}
    seconds = {p.name: s for p, s in CLIPS.items()}
    rng = random.Random(args.seed)
    names = list(blobs) + list(BROKEN)
    weights = [6, 6, 6, 2] + [1, 1, 1]  # mostly short clips, some long, some broken
    plan = rng.choices(names, weights=weights, k=args.requests)
    with Server("--workers", str(args.workers), "--queue", str(args.queue)) as server, httpx.Client() as client:
        expected = {}
        for name, data in blobs.items():  # each clip's text, one at a time, before the load
            code, body = post(client, server.url, name, data)
            assert code == 200, body
            expected[name] = body
        outcomes = collections.Counter()
        audio = 0.0
        wrong = []
        start = time.time()
        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            futures = {pool.submit(post, client, server.url, n, blobs.get(n, BROKEN.get(n))): n for n in plan}
            for f in concurrent.futures.as_completed(futures):
                name = futures[f]
                code, body = f.result()
                if code == 200 and name in blobs and body == expected[name]:
                    outcomes["200 right text"] += 1
                    audio += seconds[name]
                elif 400 <= code < 500 and code != 429 and name in BROKEN:
                    outcomes[f"{code} broken file"] += 1
                elif code == 429:
                    outcomes["429 busy"] += 1
                else:
                    outcomes["LOST OR WRONG"] += 1
                    wrong.append((name, code, body[:200]))
        wall = time.time() - start
        rss = server.peak_rss_kib()
    print(f"requests {args.requests}, {args.concurrency} at once, server --workers {args.workers} --queue {args.queue}")
    for k, v in sorted(outcomes.items()):
        print(f"  {k}: {v}")
    for w in wrong[:10]:
        print("  wrong:", w)
    print(f"wall {wall:.1f} s; audio transcribed {audio:.1f} s; throughput {audio / wall:.2f} audio s/s")
    print(f"server peak RSS {rss / 1024:.0f} MiB")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
