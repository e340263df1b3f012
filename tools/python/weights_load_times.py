"""Load time and RSS of tiny.en and base in each checkpoint format, cold and warm, for docs/weights.md.

Each format is written by `auricle convert` from the cached CTranslate2 model (the .pt with torch.save, as in
ecosystem_check.py), then tools/java/WeightsLoadTime.java loads it in a fresh JVM: once right after evicting the
model's files from the page cache (posix_fadvise DONTNEED: cold), then twice more (warm, the faster kept).
The JVM and Auricle's jars stay cached in both cases; only the model files are cold.

Run (under nice: the machine is shared): nice -n 10 $(tools/python/eco-venv)/bin/python tools/python/weights_load_times.py
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ecosystem_check import CACHE, ROOT, auricle, write_pt  # noqa: E402

JAVA = subprocess.run([str(ROOT / "bin/find-jdk")], capture_output=True, text=True, check=True).stdout.strip()
CP = "%s:%s/*" % (ROOT / "cli/target/auricle-cli.jar", ROOT / "cli/target/lib")


def evict(path):
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    for f in files:
        fd = os.open(f, os.O_RDONLY)
        try:
            os.fdatasync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def measure(path):
    out = subprocess.run([JAVA + "/bin/java", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                          "-XX:+UseParallelGC", "-cp", CP, str(ROOT / "tools/java/WeightsLoadTime.java"), str(path)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("%s: %s" % (path, out.stderr.strip()))
    return [float(x) for x in out.stdout.split()]


def size_mb(path):
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(f.stat().st_size for f in files) / 1e6


def main():
    only_pt = "--only-pt" in sys.argv  # to add the .pt rows once torch is there
    try:
        import torch  # noqa: F401
        has_torch = True
    except ImportError:
        has_torch = False
        print("(no torch in this environment: the .pt rows are left out)", file=sys.stderr)
    auricle("--version")  # builds the jar if the sources changed
    print("| model | format | size MB | cold: open / ready ms | warm: open / ready ms | warm CPU: open / ready ms "
          "| RSS added MB | of which anonymous MB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for model in ("tiny.en", "base"):
        source = CACHE / "models" / model
        work = CACHE / "load-times" / model
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        formats = [("ct2 float16", source)]
        for qtype in () if only_pt else ("f16", "q8_0", "q4_0"):
            out = work / ("ggml-%s.bin" % qtype)
            auricle("convert", "--model", source, "--to", "ggml", "--type", qtype, "-o", out)
            formats.append(("ggml " + qtype, out))
        hf = work / "hf-f16"
        auricle("convert", "--model", source, "--to", "safetensors", "--type", "f16", "-o", hf)
        formats.append(("safetensors f16", hf))
        if only_pt:
            formats = []
        if has_torch:
            pt_dir = work / "pt"
            pt_dir.mkdir()
            write_pt(hf, pt_dir / (model + ".pt"))
            shutil.copy(source / "tokenizer.json", pt_dir / "tokenizer.json")
            formats.append((".pt f16", pt_dir / (model + ".pt")))
        for name, path in formats:
            evict(path)
            cold = measure(path)
            warm = min((measure(path) for _ in range(2)), key=lambda r: r[1])
            print("| %s | %s | %.0f | %.0f / %.0f | %.0f / %.0f | %.0f / %.0f | %.0f | %.0f |" % (
                model, name, size_mb(path), cold[0], cold[1], warm[0], warm[1], warm[2], warm[3], warm[4], warm[5]),
                flush=True)


if __name__ == "__main__":
    main()
