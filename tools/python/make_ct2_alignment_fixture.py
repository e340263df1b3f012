"""Side-by-side fixture for io.auricle.timing.AlignmentPass + WordAligner on real attention: faster-whisper's
word alignment (CTranslate2's Whisper.align: alignment-head attention, median filter, DTW in C++; then
faster-whisper's port of openai-whisper's find_alignment) of the JFK transcript on the tiny.en CT2 model.

Run with the shared venv: $(tools/python/venv)/bin/python tools/python/make_ct2_alignment_fixture.py
Reads the model from ~/.cache/auricle/models/tiny.en and ../shared/data/speech/jfk/jfk.wav; writes
core/src/test/resources/timing/jfk_ct2_alignment.json.
"""

import json
import os

import ctranslate2
import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio, pad_or_trim

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(os.environ.get("AURICLE_CACHE", os.path.expanduser("~/.cache/auricle")), "models", "tiny.en")
AUDIO = os.path.join(HERE, "..", "..", "..", "shared", "data", "speech", "jfk", "jfk.wav")
OUT = os.path.join(HERE, "..", "..", "core", "src", "test", "resources", "timing", "jfk_ct2_alignment.json")
TEXT = " And so, my fellow Americans, ask not what your country can do for you, ask what you can do for your country."


def main():
    model = WhisperModel(MODEL, device="cpu", compute_type="float32")
    tokenizer_model = model.hf_tokenizer
    from faster_whisper.tokenizer import Tokenizer
    tokenizer = Tokenizer(tokenizer_model, model.model.is_multilingual)
    audio = decode_audio(AUDIO, sampling_rate=16000)
    features = model.feature_extractor(audio)
    content_frames = features.shape[-1] - 1  # as faster-whisper's transcribe
    num_frames = min(content_frames, 3000)
    segment = pad_or_trim(features[:, :num_frames])
    encoder_output = model.encode(segment)
    text_tokens = tokenizer.encode(TEXT)
    result = model.model.align(encoder_output, tokenizer.sot_sequence, [text_tokens], num_frames,
                               median_filter_width=7)[0]
    words = model.find_alignment(tokenizer, [text_tokens], encoder_output, num_frames)[0]
    data = dict(
        model="tiny.en (CTranslate2, float32)",
        ctranslate2=ctranslate2.__version__,
        sot_sequence=tokenizer.sot_sequence,
        text=TEXT,
        text_tokens=text_tokens,
        num_frames=int(num_frames),
        text_token_probs=[float(p) for p in result.text_token_probs],
        text_indices=[int(a) for a, _ in result.alignments],
        time_indices=[int(b) for _, b in result.alignments],
        words=[dict(word=w["word"], tokens=w["tokens"], start=float(w["start"]), end=float(w["end"]),
                    probability=float(w["probability"])) for w in words],
    )
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(len(words), "words;", [(w["word"], round(w["start"], 2), round(w["end"], 2)) for w in words])


if __name__ == "__main__":
    main()
