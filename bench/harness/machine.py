"""What the figures were measured on: the CPU, its vector extensions, memory, and each engine's version."""
import os
import platform
import re
import subprocess
from pathlib import Path

# The CPU flags that decide which kernels an engine can use.
SIMD_FLAGS = ("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_bf16",
              "avx512_fp16", "avx512_vnni", "avx_vnni", "amx_tile", "amx_bf16", "amx_int8")


def cpu():
    info = {}
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        text = ""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "model name" and "model" not in info:
            info["model"] = value
        elif key == "flags" and "flags" not in info:
            present = set(value.split())
            info["flags"] = [f for f in SIMD_FLAGS if f in present]
    info.setdefault("model", platform.processor() or "unknown")
    info["cores"] = os.cpu_count()
    try:
        mem_kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                           if line.startswith("MemTotal:")))
        info["memory_gib"] = round(mem_kib / 1024 / 1024, 1)
    except (OSError, StopIteration, ValueError):
        pass
    try:
        info["load"] = os.getloadavg()[0]
    except OSError:
        pass
    info["os"] = f"{platform.system()} {platform.release()}"
    return info


def peer_versions():
    """Versions of the peers in this environment (bench.py runs in the peers' own virtual environment)."""
    import importlib.metadata as metadata
    out = {}
    for package in ("faster-whisper", "ctranslate2", "pywhispercpp"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    try:
        import _pywhispercpp as pw
    except ImportError:
        return out
    # The wheel's own libwhisper carries whisper.cpp's release in its file name (libwhisper-<hash>.so.1.8.5).
    libs = Path(pw.__file__).parent / "pywhispercpp.libs"
    releases = [m.group(1) for f in libs.glob("libwhisper*.so.*") if (m := re.search(r"\.so\.(\d[\d.]*)$", f.name))]
    out["whisper.cpp"] = releases[0] if releases else pw.__version__
    out["whisper.cpp system info"] = pw.whisper_print_system_info().strip()
    return out


def openai_versions(python):
    """openai-whisper's and torch's versions in the environment of python (the openai-whisper engine's)."""
    if not python:
        return {}
    code = "import importlib.metadata as m; print(m.version('openai-whisper'), m.version('torch'))"
    r = subprocess.run([python, "-c", code], capture_output=True, text=True)
    if r.returncode != 0 or len(r.stdout.split()) != 2:
        return {}
    whisper, torch = r.stdout.split()
    return {"openai-whisper": whisper, "torch": torch}


def whisper_cli_version(binary):
    """The whisper-cli given to bench/run (--whisper-cli): its path and the release it reports."""
    if not binary:
        return {}
    r = subprocess.run([binary, "--version"], capture_output=True, text=True)
    reported = (r.stdout + r.stderr).strip().splitlines()
    return {"whisper-cli": f"{binary} ({reported[0] if reported else 'no --version'})"}


def auricle_version(root: Path):
    """The commit measured (and whether the tree had local changes), plus the JDK the launcher picks."""
    def git(*args):
        r = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else ""
    commit = git("rev-parse", "--short=10", "HEAD")
    # Changes to the harness or its output do not change what is measured.
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/run", ":!bench/harness",
                ":!docs/benchmarks.md", ":!docs/benchmarks.png")
    out = {"auricle": commit + (" (with local changes)" if dirty else "")}
    jdk = subprocess.run([str(root / "bin" / "find-jdk")], capture_output=True, text=True)
    if jdk.returncode == 0:
        java = Path(jdk.stdout.strip()) / "bin" / "java"
        r = subprocess.run([str(java), "-version"], capture_output=True, text=True)
        if r.returncode == 0 and r.stderr:
            out["jdk"] = r.stderr.splitlines()[0].strip()
    return out
