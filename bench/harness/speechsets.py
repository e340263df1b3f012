"""Speech sets: the shared manifests (id, file, seconds, language, text), chosen by name.

A set name is a folder under the speech directory, optionally narrowed to some ids with a glob:
`edge_cases/declaration*`. A few group names expand to several sets (SET_GROUPS).
"""
import csv
import fnmatch
from dataclasses import dataclass
from pathlib import Path

# Timed sets are short clips (per-call overhead matters) or long-form files; the dev sets are scored for
# accuracy only. `nospeech` is the edge cases whose reference is empty: the right output is no words.
# Sets from the `dev` group are scored for accuracy only: the report shows no timings for them.
ACCURACY_ONLY_GROUPS = ("dev",)
SET_GROUPS = {
    "short": ["jfk", "pocketsphinx", "ljspeech_lj001"],
    "long": ["ljspeech_lj001_longform", "edge_cases/declaration*"],
    "nospeech": ["edge_cases/:nospeech"],
    # Every dev set, for the accuracy-only runs (fillets_nl and the non-English clips need a multilingual model).
    "dev": ["jfk", "pocketsphinx", "ljspeech_lj001", "ljspeech_lj001_longform", "mfa_tests", "edge_cases",
            "fillets_nl", "multilingual_leopard"],
}
DEFAULT_SETS = ["jfk", "pocketsphinx", "ljspeech_lj001", "nospeech"]


class NoClips(SystemExit):
    """A set with no clip in the model's languages (fillets_nl for an English-only model)."""


@dataclass(frozen=True)
class Clip:
    set_name: str
    id: str
    path: Path
    seconds: float
    language: str
    text: str  # the reference; empty for a no-speech clip

    @property
    def is_no_speech(self) -> bool:
        return self.text.strip() == ""


@dataclass(frozen=True)
class SpeechSet:
    name: str
    clips: tuple
    timed: bool = True

    @property
    def seconds(self) -> float:
        return sum(c.seconds for c in self.clips)


def expand(names):
    """(set name, timed) for the names with the groups expanded, in order, without repeats; a set named
    both in a timed way and through an accuracy-only group is timed."""
    out = {}
    for name in names:
        for n in SET_GROUPS.get(name, [name]):
            out[n] = out.get(n, False) or name not in ACCURACY_ONLY_GROUPS
    return list(out.items())


def load(speech_dir: Path, name: str, languages=("en",), timed=True) -> SpeechSet:
    """Reads one set. Rows whose text is `ERROR` (corrupt files) are left out: they test error handling,
    not transcription. Only rows in `languages` are kept (tiny.en and base.en are English-only); None keeps
    every language (a multilingual model, told each clip's language)."""
    folder, _, pattern = name.partition("/")
    manifest = speech_dir / folder / "manifest.tsv"
    if not manifest.is_file():
        raise SystemExit(f"bench: no speech set {folder!r}: {manifest} does not exist")
    clips = []
    with manifest.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = row["text"] or ""
            if text == "ERROR" or (languages and row["language"] not in languages):
                continue
            if pattern == ":nospeech":
                if text.strip():
                    continue
            elif pattern and not fnmatch.fnmatchcase(row["id"], pattern):
                continue
            clips.append(Clip(name, row["id"], speech_dir / folder / row["file"], float(row["seconds"]),
                              row["language"], text))
    if not clips:
        raise NoClips(f"bench: speech set {name!r} selects no clips"
                         + (f" in {', '.join(languages)}" if languages else ""))
    label = f"{folder} (no speech)" if pattern == ":nospeech" else name
    return SpeechSet(label, tuple(clips), timed)
