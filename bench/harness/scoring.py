"""Word error rate after Whisper's English normaliser, the convention for scoring Whisper.

The normaliser is openai-whisper's own `whisper/normalizers` (English spelling map, numbers, currencies),
unpacked from its source distribution into the benchmark environment by bench/harness/venv and imported by
path, since importing the `whisper` package itself needs torch.
"""
import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path


def normalizers_dir() -> Path:
    return Path(os.environ.get("AURICLE_WHISPER_NORMALIZERS", Path(sys.prefix) / "whisper-normalizers"))


def load_english_normalizer(folder: Path = None):
    """openai-whisper's EnglishTextNormalizer, loaded from `folder` (its relative imports need a package)."""
    folder = Path(folder or normalizers_dir())
    init = folder / "__init__.py"
    if not init.is_file():
        raise FileNotFoundError(f"Whisper's normalisers are not at {folder}; run bench/harness/venv")
    spec = importlib.util.spec_from_file_location("whisper_normalizers", init,
                                                  submodule_search_locations=[str(folder)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.EnglishTextNormalizer()


# Written without spaces between words: scored per character (a character error rate), as Whisper's paper does.
UNSPACED_LANGUAGES = {"ja", "zh", "ko", "th", "lo", "my", "yue"}


def load_normalizers(folder: Path = None):
    """normalize(text, language) -> the words to score: English through EnglishTextNormalizer, other languages
    through Whisper's BasicTextNormalizer, unspaced scripts split into characters."""
    english = load_english_normalizer(folder)
    basic = sys.modules["whisper_normalizers"].BasicTextNormalizer()

    def normalize(text: str, language: str = "en") -> list:
        if language == "en":
            return english(text).split()
        if language in UNSPACED_LANGUAGES:
            return [ch for ch in basic(text) if not ch.isspace()]
        return basic(text).split()
    return normalize


def edit_distance(ref: list, hyp: list) -> int:
    """Levenshtein distance over words: substitutions + deletions + insertions."""
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i]
        for j, h in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1]


@dataclass
class Score:
    """Corpus-level counts: WER = errors / reference words over all clips, not a mean of clip WERs."""
    errors: int = 0
    ref_words: int = 0
    clips: int = 0
    no_speech_clips: int = 0
    no_speech_words: int = 0  # words emitted on clips whose reference is empty (hallucinations)

    @property
    def wer(self):
        return self.errors / self.ref_words if self.ref_words else None

    def add(self, ref_words: list, hyp_words: list):
        if ref_words:
            self.clips += 1
            self.ref_words += len(ref_words)
            self.errors += edit_distance(ref_words, hyp_words)
        else:
            self.no_speech_clips += 1
            self.no_speech_words += len(hyp_words)


def score(pairs, normalize) -> Score:
    """pairs: (reference text, hypothesis text or None for a clip the engine gave no output for[, language]);
    normalize(text, language) gives the words (load_normalizers)."""
    total = Score()
    for ref, hyp, *language in pairs:
        lang = language[0] if language else "en"
        total.add(normalize(ref, lang), normalize(hyp or "", lang))
    return total
