"""The engines compared, each run as a cold subprocess over a whole set, measured from outside.

Every engine gets the same clips, the same weights (tiny.en CTranslate2; whisper.cpp a ggml file converted
from it), the same thread count and the same decoding (beam 1 = greedy, or beam 5). A run's wall time
includes process start, model load and audio decoding: what a user waits for. Peak RSS is the process's
ru_maxrss from wait4.
"""
import json
import os
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

HARNESS = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Engine:
    name: str   # as given to --engines
    label: str  # as shown in the table
    kind: str   # auricle | faster-whisper | whispercpp
    compute_type: str = ""


ENGINES = {e.name: e for e in [
    Engine("auricle", "Auricle", "auricle"),
    Engine("faster-whisper", "faster-whisper float32", "faster-whisper", "float32"),
    Engine("faster-whisper-int8", "faster-whisper int8", "faster-whisper", "int8"),
    Engine("whispercpp", "whisper.cpp (pywhispercpp)", "whispercpp"),
]}
DEFAULT_ENGINES = ["auricle", "faster-whisper", "faster-whisper-int8", "whispercpp"]

DECODES = {"greedy": 1, "beam5": 5}

# Auricle prints each segment as openai-whisper's CLI does: "[00:00.000 --> 00:11.000]  text".
AURICLE_SEGMENT = re.compile(r"^\[\d+:\d\d\.\d{3} --> \d+:\d\d\.\d{3}\]")
WORKER_SEGMENT = re.compile(r"^SEGMENT$")


@dataclass
class Run:
    """One engine over one set: the measurements and the text it produced per clip id."""
    engine: str
    set_name: str
    decode: str
    command: list
    exit_code: int = None
    wall_s: float = None
    first_segment_s: float = None
    peak_rss_mb: float = None
    user_s: float = None
    sys_s: float = None
    texts: dict = field(default_factory=dict)
    error: str = None


def measure(command, env, log_path: Path, segment_line: re.Pattern, cwd=None):
    """Runs command; returns (exit code, wall s, first-segment s or None, peak RSS MiB, user s, sys s, stdout)."""
    with open(log_path, "w", encoding="utf-8") as log:
        start = time.monotonic()
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, env=env, cwd=cwd, text=True,
                                bufsize=1)
        first = None
        lines = []
        for line in proc.stdout:
            if first is None and segment_line.search(line):
                first = time.monotonic() - start
            lines.append(line)
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    # Linux reports ru_maxrss in KiB; for a launcher that execs (./auricle) it is the JVM's own.
    return (proc.returncode, wall, first, usage.ru_maxrss / 1024, usage.ru_utime, usage.ru_stime,
            "".join(lines))


def peer_env(threads: int):
    env = dict(os.environ)
    # Both peers take their thread count as a parameter; this keeps any OpenMP pool to the same number.
    env["OMP_NUM_THREADS"] = str(threads)
    return env


def run_peer(engine: Engine, speech_set, decode: str, threads: int, models: dict, python: str, work: Path) -> Run:
    model = models["ct2"] if engine.kind == "faster-whisper" else models.get("ggml")
    clips_file = work / "clips.json"
    clips_file.write_text(json.dumps([{"id": c.id, "path": str(c.path)} for c in speech_set.clips]))
    out = work / "result.json"
    command = [python, str(HARNESS / "worker.py"), engine.kind, "--model", str(model), "--threads",
               str(threads), "--beam", str(DECODES[decode]), "--clips", str(clips_file), "--out", str(out)]
    if engine.compute_type:
        command += ["--compute-type", engine.compute_type]
    run = Run(engine.name, speech_set.name, decode, command)
    (run.exit_code, run.wall_s, run.first_segment_s, run.peak_rss_mb, run.user_s, run.sys_s,
     _) = measure(command, peer_env(threads), work / "stderr.log", WORKER_SEGMENT)
    if run.exit_code == 0 and out.is_file():
        run.texts = {k: v["text"] for k, v in json.loads(out.read_text(encoding="utf-8")).items()}
    else:
        run.error = f"exit {run.exit_code}: " + excerpt(work / "stderr.log")
    return run


def run_auricle(engine: Engine, speech_set, decode: str, threads: int, models: dict, root: Path,
                work: Path) -> Run:
    """All clips of a set in one `auricle transcribe` call. Each clip is linked as <id><ext> so that the
    JSON outputs (named after the input file, as openai-whisper names them) cannot collide: the jfk set has
    jfk.wav, jfk.flac, jfk.mp3, ..."""
    links = work / "in"
    links.mkdir(exist_ok=True)
    paths = []
    for c in speech_set.clips:
        link = links / (c.id + c.path.suffix)
        if not link.exists():
            link.symlink_to(c.path)
        paths.append(str(link))
    out_dir = work / "out"
    out_dir.mkdir(exist_ok=True)
    command = [str(root / "auricle"), "transcribe", *paths, "--model", models["auricle"], "--output_format",
               "json", "--output_dir", str(out_dir), "--threads", str(threads), "--beam_size",
               str(DECODES[decode])]
    run = Run(engine.name, speech_set.name, decode, command)
    (run.exit_code, run.wall_s, run.first_segment_s, run.peak_rss_mb, run.user_s, run.sys_s,
     stdout) = measure(command, dict(os.environ), work / "stderr.log", AURICLE_SEGMENT, cwd=root)
    for c in speech_set.clips:
        result = out_dir / (c.id + ".json")
        if result.is_file():
            run.texts[c.id] = json.loads(result.read_text(encoding="utf-8"))["text"].strip()
    if not run.texts and run.exit_code == 0 and len(speech_set.clips) == 1:
        # No JSON written (an older CLI): the printed segments are the transcript of the one clip.
        run.texts[speech_set.clips[0].id] = " ".join(
            AURICLE_SEGMENT.sub("", line).strip() for line in stdout.splitlines() if AURICLE_SEGMENT.search(line))
    if run.exit_code != 0:
        run.error = f"exit {run.exit_code}: " + excerpt(work / "stderr.log")
    elif len(run.texts) < len(speech_set.clips):
        run.error = f"{len(speech_set.clips) - len(run.texts)} clips without a JSON result in {out_dir}"
    return run


def meaningful_lines(text: str) -> list:
    """stderr lines less the JVM's notice that the Vector API is an incubator module and the launcher's
    notice that it is building."""
    return [line.strip() for line in text.splitlines()
            if line.strip() and "Using incubator modules" not in line and not line.startswith("auricle: building")]


def excerpt(path: Path) -> str:
    """The first two lines of a failed run's stderr (the reason, for a CLI) and its last (for a traceback)."""
    try:
        text = meaningful_lines(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return "no log"
    picked = text[:2] + text[-1:] if len(text) > 3 else text
    return " | ".join(picked) or "exited without output"
