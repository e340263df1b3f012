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
    kind: str   # auricle | faster-whisper | whispercpp | whispercli | openai
    compute_type: str = ""


ENGINES = {e.name: e for e in [
    Engine("auricle", "Auricle", "auricle"),
    Engine("auricle-int8", "Auricle int8", "auricle", "int8"),
    Engine("faster-whisper", "faster-whisper float32", "faster-whisper", "float32"),
    Engine("faster-whisper-int8", "faster-whisper int8", "faster-whisper", "int8"),
    Engine("whispercpp", "whisper.cpp (pywhispercpp)", "whispercpp"),
    Engine("whispercpp-cli", "whisper.cpp (whisper-cli)", "whispercli"),  # with bench/run --whisper-cli PATH
    # the int8 class: whisper.cpp on a q8_0 file converted from the same weights (opt-in: --engines)
    Engine("whispercpp-q8_0", "whisper.cpp q8_0 (pywhispercpp)", "whispercpp", "q8_0"),
    Engine("whispercpp-cli-q8_0", "whisper.cpp q8_0 (whisper-cli)", "whispercli", "q8_0"),
    # the reference, for accuracy (its speed is shown, not a target); opt-in: its environment holds torch (GBs)
    Engine("openai-whisper", "openai-whisper float32", "openai", "float32"),
]}


def ggml_key(engine: Engine) -> str:
    """The models entry of a whisper.cpp engine's file: "ggml" (f16) or "ggml-q8_0"."""
    return "ggml-" + engine.compute_type if engine.compute_type else "ggml"
DEFAULT_ENGINES = ["auricle", "auricle-int8", "faster-whisper", "faster-whisper-int8", "whispercpp"]

DECODES = {"greedy": 1, "beam5": 5}

# Auricle prints each segment as openai-whisper's CLI does: "[00:00.000 --> 00:11.000]  text".
AURICLE_SEGMENT = re.compile(r"^\[\d+:\d\d\.\d{3} --> \d+:\d\d\.\d{3}\]")
# whisper-cli prints "[00:00:00.000 --> 00:00:07.600]   text".
WHISPER_CLI_SEGMENT = re.compile(r"^\[\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}\]")
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
    notes: list = field(default_factory=list)

    def add_process(self, wall, first, rss, user, sys_s, first_process: bool):
        """One of the run's processes: times summed, the peak RSS the largest, the first segment the first one's."""
        if first_process and first is not None:
            self.first_segment_s = first
        self.wall_s = (self.wall_s or 0.0) + wall
        self.user_s = (self.user_s or 0.0) + user
        self.sys_s = (self.sys_s or 0.0) + sys_s
        self.peak_rss_mb = max(self.peak_rss_mb or 0.0, rss)


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
    """A Python peer in its worker; python is the interpreter of its environment."""
    model = {"faster-whisper": models["ct2"], "openai": models.get("pt")}.get(engine.kind) or models.get(ggml_key(engine))
    clips_file = work / "clips.json"
    clips_file.write_text(json.dumps([{"id": c.id, "path": str(c.path), "language": c.language}
                                      for c in speech_set.clips]))
    out = work / "result.json"
    command = [python, str(HARNESS / "worker.py"), engine.kind, "--model", str(model), "--threads",
               str(threads), "--beam", str(DECODES[decode]), "--clips", str(clips_file), "--out", str(out)]
    if engine.compute_type and engine.kind == "faster-whisper":
        command += ["--compute-type", engine.compute_type]
    run = Run(engine.name, speech_set.name, decode, command)
    (run.exit_code, run.wall_s, run.first_segment_s, run.peak_rss_mb, run.user_s, run.sys_s,
     _) = measure(command, peer_env(threads), work / "stderr.log", WORKER_SEGMENT)
    if run.exit_code == 0 and out.is_file():
        run.texts = {k: v["text"] for k, v in json.loads(out.read_text(encoding="utf-8")).items()}
    else:
        run.error = f"exit {run.exit_code}: " + excerpt(work / "stderr.log")
    return run


@dataclass(frozen=True)
class AuricleCli:
    """What `auricle transcribe` accepts, read from its --help, so the adapter works while the CLI grows."""
    options: frozenset
    many_files: bool

    @property
    def writes_json(self):
        return {"--output_format", "--output_dir"} <= self.options


def auricle_cli(root: Path) -> AuricleCli:
    r = subprocess.run([str(root / "auricle"), "transcribe", "--help"], capture_output=True, text=True, cwd=root)
    help_text = r.stdout + r.stderr
    return AuricleCli(frozenset(re.findall(r"(?<![\w-])--[a-z][a-z_-]*", help_text)),
                      re.search(r"\bFILE(\.\.\.|…)", help_text) is not None)


def run_auricle(engine: Engine, speech_set, decode: str, threads: int, models: dict, root: Path,
                work: Path, cli: AuricleCli) -> Run:
    """All clips of a set in one `auricle transcribe` call (or one call per clip while the CLI takes one FILE).
    Each clip is linked as <id><ext> so that the JSON outputs (named after the input file, as openai-whisper
    names them) cannot collide: the jfk set has jfk.wav, jfk.flac, jfk.mp3, ..."""
    paths = {k: str(v) for k, v in link_clips(speech_set, work).items()}
    out_dir = work / "out"
    out_dir.mkdir(exist_ok=True)
    options = ["--model", models["auricle"]]
    if engine.compute_type:
        options += ["--compute_type", engine.compute_type]
    notes = []
    if "--threads" in cli.options:
        options += ["--threads", str(threads)]
    else:
        notes.append("no --threads yet: Auricle's default thread count")
    if "--beam_size" in cli.options:
        options += ["--beam_size", str(DECODES[decode])]
    elif decode != "greedy":
        run = Run(engine.name, speech_set.name, decode, ["auricle", "transcribe"])
        run.error = "auricle transcribe has no --beam_size yet"
        return run
    if cli.writes_json:
        options += ["--output_format", "json", "--output_dir", str(out_dir)]
    else:
        notes.append("no JSON output yet: transcripts read from the printed segments")
    # One process per language (each told its language, as the peers are), or per clip with a basic CLI.
    by_language = {}
    for c in speech_set.clips:
        by_language.setdefault(c.language, []).append(c)
    if cli.many_files and cli.writes_json:
        batches = [(lang, [paths[c.id] for c in clips]) for lang, clips in by_language.items()]
    else:
        batches = [(c.language, [paths[c.id]]) for c in speech_set.clips]
        notes.append("one process per clip (the CLI takes one FILE): wall and CPU times summed")
    if len(by_language) > 1 and cli.many_files and cli.writes_json:
        notes.append(f"one process per language ({len(by_language)}): wall and CPU times summed")
    if "--language" in cli.options:
        batches = [(lang, files + ["--language", lang]) for lang, files in batches]
    elif set(by_language) != {"en"}:
        notes.append("no --language yet: the model's own choice")
    batches = [files for _, files in batches]
    run = Run(engine.name, speech_set.name, decode, [str(root / "auricle"), "transcribe", *batches[0], *options])
    run.notes = notes
    for i, batch in enumerate(batches):
        command = [str(root / "auricle"), "transcribe", *batch, *options]
        exit_code, wall, first, rss, user, sys_s, stdout = measure(
            command, dict(os.environ), work / f"stderr-{i}.log", AURICLE_SEGMENT, cwd=root)
        run.add_process(wall, first, rss, user, sys_s, i == 0)
        if exit_code != 0:
            run.exit_code = exit_code
            run.error = f"exit {exit_code} on {Path(batch[0]).name}: " + excerpt(work / f"stderr-{i}.log")
            break
        if not cli.writes_json:
            clip_id = Path(batch[0]).stem
            run.texts[clip_id] = " ".join(AURICLE_SEGMENT.sub("", line).strip()
                                          for line in stdout.splitlines() if AURICLE_SEGMENT.search(line))
    else:
        run.exit_code = 0
    if cli.writes_json:
        for c in speech_set.clips:
            result = out_dir / (c.id + ".json")
            if result.is_file():
                run.texts[c.id] = json.loads(result.read_text(encoding="utf-8"))["text"].strip()
    if run.exit_code == 0 and len(run.texts) < len(speech_set.clips):
        run.error = f"{len(speech_set.clips) - len(run.texts)} clips without a result in {out_dir}"
    return run


def link_clips(speech_set, work: Path) -> dict:
    """{clip id: path of a link named <id><ext>}, so outputs named after their input cannot collide (the jfk
    set has jfk.wav, jfk.flac, jfk.mp3, ...)."""
    links = work / "in"
    links.mkdir(exist_ok=True)
    paths = {}
    for c in speech_set.clips:
        link = links / (c.id + c.path.suffix)
        if not link.exists():
            link.symlink_to(c.path)
        paths[c.id] = link
    return paths


def whisper_cli_command(binary: str, ggml: str, threads: int, beam: int, language: str, clips: list,
                        out_dir: Path) -> list:
    """whisper-cli over several clips in one process, each written to out_dir/<id>.txt. Settings as the
    pywhispercpp adapter's: openai's best_of 5 and beam 5 (or greedy), non-speech tokens suppressed; the rest
    whisper-cli's defaults (flash attention on, each file without the previous file's text)."""
    command = [binary, "-m", ggml, "-t", str(threads), "-l", language, "-bs", str(beam), "-bo", "5", "-sns",
               "-otxt", "-np"]
    for clip in clips:
        command += ["-f", str(clip), "-of", str(out_dir / Path(clip).stem)]
    return command


def run_whisper_cli(engine: Engine, speech_set, decode: str, threads: int, models: dict, binary: str,
                    work: Path) -> Run:
    """A natively built whisper-cli on the ggml file: one process per language, clips decoded by whisper.cpp's
    own reader (miniaudio: WAV, FLAC, MP3, resampled to 16 kHz). Clips in another format have no result."""
    paths = link_clips(speech_set, work)
    out_dir = work / "out"
    out_dir.mkdir(exist_ok=True)
    by_language = {}
    for c in speech_set.clips:
        by_language.setdefault(c.language, []).append(paths[c.id])
    run = Run(engine.name, speech_set.name, decode, [])
    run.exit_code = 0
    for i, (language, clips) in enumerate(by_language.items()):
        command = whisper_cli_command(binary, models[ggml_key(engine)], threads, DECODES[decode], language, clips,
                                      out_dir)
        run.command = run.command or command
        exit_code, wall, first, rss, user, sys_s, _ = measure(
            command, peer_env(threads), work / f"stderr-{i}.log", WHISPER_CLI_SEGMENT)
        run.add_process(wall, first, rss, user, sys_s, i == 0)
        if exit_code != 0:
            run.exit_code = exit_code
            run.error = f"exit {exit_code}: " + excerpt(work / f"stderr-{i}.log")
            break
    if len(by_language) > 1:
        run.notes.append(f"one process per language ({len(by_language)}): wall and CPU times summed")
    unread = []
    for c in speech_set.clips:
        result = out_dir / (c.id + ".txt")
        if result.is_file():
            run.texts[c.id] = " ".join(result.read_text(encoding="utf-8", errors="replace").split())
        else:
            unread.append(c.path.name)
    if unread and run.exit_code == 0:
        run.notes.append(f"{len(unread)} clips without a result (whisper-cli cannot read them: "
                         + ", ".join(unread[:4]) + (", ..." if len(unread) > 4 else "") + ")")
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
