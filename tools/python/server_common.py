"""Shared by the server checks: start `./auricle serve` on a free loopback port, wait until ready, stop it."""
import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEECH = Path(os.environ.get("AURICLE_SPEECH_DIR", ROOT.parent / "shared" / "data" / "speech"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`./auricle serve` as a child process; a context manager that stops it (SIGTERM: drains) on exit."""

    def __init__(self, *args, model="tiny.en"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [str(ROOT / "auricle"), "serve", "--model", model, "--port", str(self.port), *args]
        self.proc = None

    def __enter__(self):
        self.log = open(f"/tmp/auricle-serve-{self.port}.log", "w")
        self.proc = subprocess.Popen(self.args, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 600  # the first run builds the jar
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as r:
                    if json.load(r)["status"] == "ok":
                        return self
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("server not ready in time")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=120)
        self.log.close()

    def peak_rss_kib(self):
        """VmHWM of the server's JVM (the launcher execs java, so it is this very process)."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return -1
