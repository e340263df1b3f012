"""Golden fixtures for io.auricle.timing, computed by openai-whisper's own timing.py (version 20250625).

timing.py needs torch and numba, which the shared venv does not have (and should not: torch is ~3 GB), so
this script runs in its own environment, made once:

    python3 -m venv /tmp/owref
    /tmp/owref/bin/pip install torch numba tiktoken tqdm more-itertools regex
    /tmp/owref/bin/pip download --no-deps --no-binary :all: -d /tmp/ow openai-whisper==20250625
    /tmp/owref/bin/pip install --no-deps /tmp/ow/openai_whisper-20250625.tar.gz
    /tmp/owref/bin/python tools/python/make_timing_fixtures.py

What runs is the reference code itself: median_filter, dtw_cpu, merge_punctuations, find_alignment and
add_word_timestamps (with dtw wrapped to record the matrix it is given and the path). find_alignment wants a model; a stand-in module returns chosen cross-attention logits
(through the same forward hooks the real decoder fires) and logits that give the text tokens chosen
probabilities. The alignment heads' logits are synthetic but real-shaped: a peak per token moving along the
frames, with noise, quantised to 1/16 so the gzip'd fixtures stay small. Word splitting is the real
tiny.en tokenizer (gpt2.tiktoken from the package).

Writes core/src/test/resources/timing/: median_filter.json.gz, dtw.json.gz, alignment.json.gz. Arrays are
{"shape": [...], "f32": base64 of little-endian float32} or, for multiples of 1/64, {"shape": [...],
"x64": [v * 64 as integers, row-major]}.
"""

import base64
import gzip
import json
import os
import random

import numpy as np
import torch
import whisper.timing as timing
from whisper.audio import HOP_LENGTH, SAMPLE_RATE
from whisper.tokenizer import get_tokenizer

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "core", "src", "test", "resources",
                   "timing")
N_AUDIO_FRAMES = 1500  # what the encoder gives for a 30 s window; find_alignment keeps num_frames // 2


def f32(a):
    a = np.ascontiguousarray(np.asarray(a, dtype="<f4"))
    q = a * 64
    if np.all(q == np.round(q)) and np.all(np.abs(q) < 32768):
        # multiples of 1/64 (the quantised inputs) pack far better as 16-bit integers: value = i16 / 64
        return dict(shape=list(a.shape), x64=q.astype(np.int64).ravel().tolist())
    return dict(shape=list(a.shape), f32=base64.b64encode(a.tobytes()).decode())


def write(name, data):
    os.makedirs(OUT, exist_ok=True)
    with gzip.open(os.path.join(OUT, name), "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(data, f, ensure_ascii=False)


def quantised(rng, shape, scale=1.0, step=1 / 16):
    return (np.round(rng.standard_normal(shape) * scale / step) * step).astype(np.float32)


def median_filter_cases(rng):
    cases = []
    shapes = [(3,), (4,), (5,), (8,), (1, 1, 7), (2, 3, 10), (4, 10, 37), (8, 24, 550), (1, 1, 4)]
    for shape in shapes:
        for width in ((7,) if len(shape) == 3 and shape[2] > 100 else (7, 3, 5)):
            # real-valued when small; quantised (its medians are its own values) when large, to pack well
            x = rng.standard_normal(shape).astype(np.float32) if np.prod(shape) < 2000 else quantised(rng, shape)
            if shape == (4, 10, 37):
                x = np.round(x * 2).astype(np.float32)  # many ties
            y = timing.median_filter(torch.from_numpy(x.copy()), width).numpy()
            cases.append(dict(width=width, input=f32(x), output=f32(y)))
    return cases


def dtw_cases(rng):
    cases = []
    shapes = [(1, 1), (1, 6), (6, 1), (3, 7), (7, 3), (2, 2), (20, 300), (30, 750)]
    inputs = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    inputs += [rng.integers(-2, 3, size=s).astype(np.float32) for s in [(10, 40), (25, 100), (5, 5)]]  # ties
    inputs += [np.zeros((6, 9), np.float32), np.ones((9, 6), np.float32)]  # all ties
    for x in inputs:
        text, time = timing.dtw_cpu(x.astype(np.float64))
        cases.append(dict(x=f32(x), text_indices=text.tolist(), time_indices=time.tolist()))
    return cases


class CrossAttention(torch.nn.Module):
    """Stands in for a decoder block's cross-attention: returns (output, qk) as the real one does."""

    def __init__(self, qk):
        super().__init__()
        self.qk = qk

    def forward(self):
        return None, self.qk[None]


class Block(torch.nn.Module):
    def __init__(self, qk):
        super().__init__()
        self.cross_attn = CrossAttention(qk)


class StandIn(torch.nn.Module):
    """Only what find_alignment touches: dims.n_text_layer, decoder.blocks, alignment_heads, device, forward."""

    def __init__(self, qk_per_layer, heads, logits):
        super().__init__()
        n_layer, n_head = len(qk_per_layer), qk_per_layer[0].shape[0]
        self.dims = type("Dims", (), dict(n_text_layer=n_layer))()
        self.decoder = torch.nn.Module()
        self.decoder.blocks = torch.nn.ModuleList(Block(qk) for qk in qk_per_layer)
        mask = torch.zeros(n_layer, n_head, dtype=torch.bool)
        for layer, head in heads:
            mask[layer, head] = True
        self.alignment_heads = mask.to_sparse()
        self.device = torch.device("cpu")
        self.logits = logits

    def forward(self, mel, tokens):
        for block in self.decoder.blocks:
            block.cross_attn()
        return self.logits[None]


def attention_logits(rng, n_rows, first_text_row, spans, n_frames, n_heads):
    """Logits [heads][rows][frames]: each text row peaks over its span (frames), jittered per head."""
    qk = quantised(rng, (n_heads, n_rows, n_frames), scale=0.7)
    frames = np.arange(n_frames)
    for h in range(n_heads):
        shift = rng.integers(-2, 3)
        for r, (a, b) in enumerate(spans):
            centre = (a + b) / 2 + shift
            width = max(1.0, (b - a) / 2)
            peak = np.exp(-(((frames - centre) / width) ** 2)) * rng.uniform(4, 9)
            qk[h, first_text_row + r] += (np.round(peak * 16) / 16).astype(np.float32)
    return qk


def alignment_case(rng, name, tokenizer, segment_texts, seek, num_frames, last_speech, heads, n_layers,
                   n_heads, durations=None, segment_times=None):
    """One window: segments with their tokens, chosen per-token spans, the reference's word timings."""
    segments_tokens = [tokenizer.encode(t) for t in segment_texts]
    text_tokens = [t for s in segments_tokens for t in s]
    n_text = len(text_tokens)
    n_audio = num_frames // 2
    # per-token spans in audio frames (the no-timestamps row first): given durations or random ones
    if durations is None:
        durations = rng.uniform(3, 20, size=n_text + 1)
    edges = np.concatenate([[0], np.cumsum(durations)])
    edges = edges / edges[-1] * (n_audio - 1)
    spans = list(zip(edges[:-1], edges[1:]))
    sot = list(tokenizer.sot_sequence)
    n_rows = len(sot) + 1 + n_text + 1
    qk_heads = attention_logits(rng, n_rows, len(sot), spans, n_audio, len(heads))
    # all layers and heads, the alignment heads holding the designed logits; frames past num_frames // 2
    # hold noise (find_alignment drops them before the softmax)
    qk_layers = [quantised(rng, (n_heads, n_rows, N_AUDIO_FRAMES), scale=2.0) for _ in range(n_layers)]
    for k, (layer, head) in enumerate(heads):
        qk_layers[layer][head, :, :n_audio] = qk_heads[k]
    logits = np.zeros((n_rows, tokenizer.eot + 10), np.float32)
    for k, t in enumerate(text_tokens):
        logits[len(sot) + k, t] = rng.uniform(2, 14)
    model = StandIn([torch.from_numpy(q) for q in qk_layers], heads, torch.from_numpy(logits))

    captured = {}
    real_dtw = timing.dtw

    def dtw_spy(x):
        captured["matrix"] = (-x).numpy().copy()
        result = real_dtw(x)
        captured["path"] = result
        return result

    timing.dtw = dtw_spy
    try:
        alignment = timing.find_alignment(model, tokenizer, text_tokens, torch.zeros(80, num_frames), num_frames)
        probabilities = [
            float(p) for p in torch.from_numpy(logits[len(sot):len(sot) + n_text, :tokenizer.eot])
            .softmax(dim=-1)[np.arange(n_text), text_tokens]
        ]
        time_offset = seek * HOP_LENGTH / SAMPLE_RATE
        if segment_times is None:
            bounds = np.linspace(0, n_audio / 50, len(segment_texts) + 1)
            segment_times = [(time_offset + a, time_offset + b) for a, b in zip(bounds[:-1], bounds[1:])]
        segments = []
        for i, (tokens, (start, end)) in enumerate(zip(segments_tokens, segment_times)):
            ts_start = tokenizer.timestamp_begin + round((start - time_offset) / 0.02)
            ts_end = tokenizer.timestamp_begin + round((end - time_offset) / 0.02)
            segments.append(dict(id=i, seek=seek, start=float(start), end=float(end), text=segment_texts[i],
                                 tokens=[ts_start, *tokens, ts_end]))
        inputs = json.loads(json.dumps(segments))
        timing.add_word_timestamps(segments=segments, model=model, tokenizer=tokenizer,
                                   mel=torch.zeros(80, num_frames), num_frames=num_frames,
                                   last_speech_timestamp=last_speech)
    finally:
        timing.dtw = real_dtw

    words, word_tokens = tokenizer.split_to_word_tokens(text_tokens + [tokenizer.eot])
    return dict(
        name=name,
        num_frames=num_frames,
        sot_sequence=sot,
        eot=tokenizer.eot,
        text_tokens=text_tokens,
        text_token_probs=probabilities,
        qk=f32(qk_heads),  # the alignment heads' rows over the first num_frames // 2 frames
        split=[dict(word=w, tokens=t) for w, t in zip(words, word_tokens)],
        # None when find_alignment returns before aligning (no text tokens)
        matrix=f32(captured["matrix"]) if "matrix" in captured else None,
        text_indices=captured["path"][0].tolist() if "path" in captured else None,
        time_indices=captured["path"][1].tolist() if "path" in captured else None,
        alignment=[dict(word=a.word, tokens=a.tokens, start=float(a.start), end=float(a.end),
                        probability=float(a.probability)) for a in alignment],
        last_speech_timestamp=last_speech,
        segments_in=inputs,
        segments_out=segments,
    )


def alignment_cases(rng):
    tokenizer = get_tokenizer(multilingual=False)
    tiny_en_heads = [(1, 0), (2, 0), (2, 5), (3, 0), (3, 1), (3, 2), (3, 3), (3, 4)]
    cases = [alignment_case(
        rng, "jfk", tokenizer,
        [" And so my fellow Americans, ask not what your country can do for you,",
         " ask what you can do for your country."],
        seek=0, num_frames=1100, last_speech=0.0, heads=tiny_en_heads, n_layers=4, n_heads=6)]
    cases.append(alignment_case(
        rng, "punctuation", tokenizer,
        [" \"Hello,\" she said (quietly) - ¿qué? 'Yes'.", " [Music] {It's} “fine”: ok! Why? 1,000."],
        seek=3000, num_frames=900, last_speech=25.0, heads=tiny_en_heads, n_layers=4, n_heads=6))
    # a long first word after a pause, a long sentence end, and segment times that disagree with the words
    words = " Well. It was a long, long pause before this. And then"
    n = len(tokenizer.encode(words))
    durations = np.full(n + 1, 6.0)
    durations[1] = 120  # " Well" spans ~2.4 s
    durations[2] = 90  # "." spans ~1.8 s
    durations[-4] = 70  # "." at the end of the second sentence
    cases.append(alignment_case(
        rng, "long_words", tokenizer, [" Well.", " It was a long, long pause before this.", " And then"],
        seek=1000, num_frames=1500, last_speech=2.0, heads=tiny_en_heads, n_layers=4, n_heads=6,
        durations=durations, segment_times=[(11.2, 12.0), (12.4, 16.0), (16.2, 17.3)]))
    cases.append(alignment_case(
        rng, "tiny_window", tokenizer, [" Hi there."], seek=200, num_frames=6, last_speech=0.0,
        heads=[(0, 1)], n_layers=1, n_heads=2))
    cases.append(alignment_case(
        rng, "one_token", tokenizer, [" Hi"], seek=0, num_frames=40, last_speech=0.0,
        heads=[(0, 0), (0, 1)], n_layers=1, n_heads=2))
    cases.append(alignment_case(
        rng, "no_text", tokenizer, [""], seek=0, num_frames=300, last_speech=0.0,
        heads=[(0, 0), (0, 1)], n_layers=1, n_heads=2))
    sentences = [" Yes.", " No, never!", " Why not?", " (laughs)", " I said: go.", " Okay", " A-ha.",
                 " Fine, “sure”.", " Ten, nine, eight.", " What?!"]
    for i in range(16):
        k = int(rng.integers(1, 4))
        texts = [sentences[j] for j in rng.choice(len(sentences), size=k, replace=False)]
        n = sum(len(tokenizer.encode(t)) for t in texts)
        durations = rng.uniform(2, 12, size=n + 1)
        durations[rng.integers(0, n + 1, size=2)] *= rng.uniform(4, 12)  # some long tokens
        num_frames = int(rng.integers(60, 400))
        seek = int(rng.integers(0, 5000))
        offset = seek * HOP_LENGTH / SAMPLE_RATE
        cuts = np.sort(rng.uniform(0, num_frames / 100, size=2 * k))
        times = [(round(offset + cuts[2 * j], 2), round(offset + cuts[2 * j + 1], 2)) for j in range(k)]
        cases.append(alignment_case(
            rng, f"random{i}", tokenizer, texts, seek=seek, num_frames=num_frames,
            last_speech=round(max(0.0, offset - float(rng.uniform(0, 3))), 2), heads=[(0, 0), (1, 1), (1, 0)],
            n_layers=2, n_heads=2, durations=durations, segment_times=times))
    return cases


def merge_cases():
    W = timing.WordTiming
    lists = [
        [(" \"", 0, 1), ("Hello", 1, 2), (",\"", 2, 3), (" she", 3, 4), (" (", 4, 5), ("quietly", 5, 6), (")", 6, 7)],
        [(" ¿", 0, 1), (" qué", 1, 2), ("?", 2, 3), (" '", 3, 4), (" '", 4, 5), (" yes", 5, 6), ("'.", 6, 7)],
        [(" -", 0, 1), (" x", 1, 2), (" ", 2, 3), (" y ", 3, 4), (".", 4, 5), ("", 5, 6), (" z", 6, 7)],
        [(" \"", 0, 1)],
        [("!", 0, 1), ("!", 1, 2), (" a", 2, 3), (" [", 3, 4)],
    ]
    cases = []
    for words in lists:
        alignment = [W(w, [100 + i], a, b, 0.5) for i, (w, a, b) in enumerate(words)]
        timing.merge_punctuations(alignment, "\"'“¿([{-", "\"'.。,，!！?？:：”)]}、")
        cases.append(dict(input=[dict(word=w, tokens=[100 + i]) for i, (w, a, b) in enumerate(words)],
                          output=[dict(word=a.word, tokens=a.tokens) for a in alignment]))
    return cases


def main():
    rng = np.random.default_rng(6)
    random.seed(6)
    write("median_filter.json.gz", median_filter_cases(rng))
    write("dtw.json.gz", dtw_cases(rng))
    write("merge_punctuations.json.gz", merge_cases())
    write("alignment.json.gz", alignment_cases(rng))
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)))


if __name__ == "__main__":
    main()
