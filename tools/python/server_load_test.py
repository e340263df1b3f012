"""A bounded loopback load test of `./auricle serve`: N requests (default 200), C at once (default 16), a mix
of real clips, broken files (corrupt, empty, truncated) and one over the server's upload limit. Every answer
must be 200 with the clip's known text, 400 for a broken file, 413 for the oversize one, or 429 (full queue);
anything else (another status, a wrong text, a connection error) is lost or wrong. Prints counts, wall time,
latency, throughput in audio seconds per second, the server's peak RSS, and (--cli) the single-process CLI's
throughput on the same clips: one `./auricle transcribe` per file, and one for all of them.

Run: $(tools/python/server_venv)/bin/python tools/python/server_load_test.py [--requests 200] [--concurrency 16] [--cli]
"""
import argparse
import collections
import concurrent.futures
import random
import subprocess
import sys
import time

import httpx2 as httpx

from server_common import ROOT, SPEECH, Server

CLIPS = {  # file -> seconds of audio
    SPEECH / "pocketsphinx" / "goforward.flac": 2.786,
    SPEECH / "pocketsphinx" / "something.flac": 2.999,
    SPEECH / "ljspeech_lj001" / "LJ001-0002.flac": 1.900,
    SPEECH / "jfk" / "jfk.mp3": 11.0,
}
BROKEN = {"corrupt.mp3": b"ID3" + bytes(range(256)) * 40, "empty.wav": b"",
          "truncated.wav": (SPEECH / "jfk" / "jfk.wav").read_bytes()[:40]}
MAX_UPLOAD_MB = 2  # the server's limit in this test, so that an oversize upload stays cheap to send
OVERSIZE = {"oversize.wav": (SPEECH / "jfk" / "jfk.wav").read_bytes() * 7}  # 2.4 MB


def post(client, url, name, data):
    files = {"file": (name, data)}
    try:
        r = client.post(url + "/v1/audio/transcriptions", files=files, data={"model": "whisper-1"}, timeout=900)
        return r.status_code, r.text
    except httpx.HTTPError as e:
        return -1, repr(e)


def cli_throughput(paths, seconds):
    """Wall time of the single-process CLI on the same clips: one process per file, then one for all."""
    base = [str(ROOT / "auricle"), "transcribe", "--model", "tiny.en", "--verbose", "False", "-f", "txt",
            "-o", "/tmp/auricle-load-cli"]
    subprocess.run([str(ROOT / "auricle"), "--version"], check=True, capture_output=True)  # builds first if stale
    start = time.time()
    for p in paths:
        subprocess.run(base + [str(p)], check=True, capture_output=True)
    each = time.time() - start
    start = time.time()
    subprocess.run(base + [str(p) for p in paths], check=True, capture_output=True)
    once = time.time() - start
    return seconds / each, seconds / once, each, once


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--queue", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cli", action="store_true", help="also time the CLI on the same clips")
    args = ap.parse_args()
    blobs = {p.name: p.read_bytes() for p in CLIPS}
    seconds = {p.name: s for p, s in CLIPS.items()}
    rng = random.Random(args.seed)
    names = list(blobs) + list(BROKEN) + list(OVERSIZE)
    weights = [6, 6, 6, 2] + [1, 1, 1] + [1]  # mostly short clips, some long, some broken, some too big
    plan = rng.choices(names, weights=weights, k=args.requests)
    payload = {**blobs, **BROKEN, **OVERSIZE}
    server_args = ["--workers", str(args.workers), "--queue", str(args.queue), "--max-upload-mb", str(MAX_UPLOAD_MB)]
    with Server(*server_args) as server, httpx.Client(limits=httpx.Limits(max_connections=args.concurrency)) as client:
        expected = {}
        for name, data in blobs.items():  # each clip's text, one at a time, before the load
            code, body = post(client, server.url, name, data)
            assert code == 200, body
            expected[name] = body
        outcomes = collections.Counter()
        audio = 0.0
        wrong = []
        latencies = []

        def timed(name):
            t0 = time.time()
            code, body = post(client, server.url, name, payload[name])
            return code, body, time.time() - t0

        start = time.time()
        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            futures = {pool.submit(timed, n): n for n in plan}
            for f in concurrent.futures.as_completed(futures):
                name = futures[f]
                code, body, latency = f.result()
                if code == 200 and name in blobs and body == expected[name]:
                    outcomes["200 right text"] += 1
                    audio += seconds[name]
                    latencies.append(latency)
                elif code == 400 and name in BROKEN and '"code":"invalid_file"' in body:
                    outcomes["400 broken file"] += 1
                elif code == 413 and name in OVERSIZE and '"code":"request_too_large"' in body:
                    outcomes["413 oversize"] += 1
                elif code == 429:
                    outcomes["429 busy"] += 1
                else:
                    outcomes["LOST OR WRONG"] += 1
                    wrong.append((name, code, body[:200]))
        wall = time.time() - start
        rss = server.peak_rss_kib()
    print(f"requests {args.requests}, {args.concurrency} at once, server {' '.join(server_args)}")
    print("plan: " + ", ".join(f"{n} x{plan.count(n)}" for n in names))
    for k, v in sorted(outcomes.items()):
        print(f"  {k}: {v}")
    for w in wrong[:10]:
        print("  wrong:", w)
    print(f"wall {wall:.1f} s; audio transcribed {audio:.1f} s; throughput {audio / wall:.2f} audio s/s")
    if latencies:
        latencies.sort()
        print(f"latency of the 200s: median {latencies[len(latencies) // 2]:.1f} s, max {latencies[-1]:.1f} s")
    print(f"server peak RSS {rss / 1024:.0f} MiB")
    if args.cli:
        paths = list(CLIPS)
        each, once, t_each, t_once = cli_throughput(paths, sum(CLIPS.values()))
        print(f"CLI on the {len(paths)} clips ({sum(CLIPS.values()):.1f} s of audio): one process per file "
              f"{t_each:.1f} s = {each:.2f} audio s/s; one process for all {t_once:.1f} s = {once:.2f} audio s/s")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
