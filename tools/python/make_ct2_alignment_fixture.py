"""Side-by-side fixture for io.auricle.timing.AlignmentPass + WordAligner on real attention: faster-whisper's
word alignment (CTranslate2's Whisper.align: alignment-head attention, median filter, DTW in C++; then
faster-whisper's ports of openai-whisper's find_alignment and add_word_timestamps) of known transcripts on
the tiny.en CT2 model, for one 30 s window at seek 0 each.

Run with the shared venv: $(tools/python/venv)/bin/python tools/python/make_ct2_alignment_fixture.py
Reads the model from ~/.cache/auricle/models/tiny.en and audio from ../shared/data/speech; writes
core/src/test/resources/timing/ct2_alignment.json.
"""

import copy
import json
import os

import ctranslate2
from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio, pad_or_trim
from faster_whisper.tokenizer import Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(os.environ.get("AURICLE_CACHE", os.path.expanduser("~/.cache/auricle")), "models", "tiny.en")
SPEECH = os.path.join(HERE, "..", "..", "..", "shared", "data", "speech")
OUT = os.path.join(HERE, "..", "..", "core", "src", "test", "resources", "timing", "ct2_alignment.json")
PREPEND = "\"'“¿([{-"
APPEND = "\"'.。,，!！?？:：”)]}、"

# (name, audio under SPEECH, segments as (text, start, end)) — the texts are the sets' transcripts
CASES = [
    ("jfk", "jfk/jfk.wav", [
        (" And so, my fellow Americans, ask not what your country can do for you,", 0.0, 7.6),
        (" ask what you can do for your country.", 7.6, 11.0)]),
    ("LJ001-0001", "ljspeech_lj001/LJ001-0001.flac", [
        (" Printing, in the only sense with which we are at present concerned,", 0.0, 4.6),
        (" differs from most if not from all the arts and crafts represented in the Exhibition", 4.6, 9.6)]),
]


def case(model, tokenizer, name, path, segment_specs):
    audio = decode_audio(os.path.join(SPEECH, path), sampling_rate=16000)
    features = model.feature_extractor(audio)
    num_frames = min(features.shape[-1] - 1, 3000)  # content frames as faster-whisper's transcribe
    encoder_output = model.encode(pad_or_trim(features[:, :num_frames]))
    segments = []
    for i, (text, start, end) in enumerate(segment_specs):
        tokens = tokenizer.encode(text)
        segments.append(dict(id=i, seek=0, start=start, end=end, text=text,
                             tokens=[tokenizer.timestamp_begin + round(start / 0.02), *tokens,
                                     tokenizer.timestamp_begin + round(end / 0.02)]))
    text_tokens = [t for s in segments for t in s["tokens"] if t < tokenizer.eot]
    result = model.model.align(encoder_output, tokenizer.sot_sequence, [text_tokens], num_frames,
                               median_filter_width=7)[0]
    words = model.find_alignment(tokenizer, [text_tokens], encoder_output, num_frames)[0]
    segments_in = copy.deepcopy(segments)
    model.add_word_timestamps([segments], tokenizer, encoder_output, num_frames, PREPEND, APPEND,
                              last_speech_timestamp=0.0)
    return dict(
        name=name,
        audio=path,
        num_frames=int(num_frames),
        text_tokens=text_tokens,
        text_token_probs=[float(p) for p in result.text_token_probs],
        text_indices=[int(a) for a, _ in result.alignments],
        time_indices=[int(b) for _, b in result.alignments],
        words=[dict(word=w["word"], tokens=w["tokens"], start=float(w["start"]), end=float(w["end"]),
                    probability=float(w["probability"])) for w in words],
        segments_in=segments_in,
        segments_out=[dict(start=float(s["start"]), end=float(s["end"]),
                           words=[dict(word=w["word"], start=float(w["start"]), end=float(w["end"]),
                                       probability=float(w["probability"])) for w in s["words"]])
                      for s in segments],
    )


def main():
    model = WhisperModel(MODEL, device="cpu", compute_type="float32")
    tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual)
    cases = [case(model, tokenizer, *c) for c in CASES]
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(dict(model="tiny.en (CTranslate2, float32)", ctranslate2=ctranslate2.__version__,
                       sot_sequence=tokenizer.sot_sequence, cases=cases), f, ensure_ascii=False, indent=1)
        f.write("\n")
    for c in cases:
        print(c["name"], [(w["word"], w["start"], w["end"]) for s in c["segments_out"] for w in s["words"]])


if __name__ == "__main__":
    main()
