"""Reference fixtures for io.auricle.vad: Silero VAD as faster-whisper runs it (silero_vad_v6.onnx on onnxruntime).

For each dev file: the speech probability of every 32 ms frame (512 samples at 16 kHz) and the speech timestamps of
faster_whisper.vad.get_speech_timestamps with default VadOptions (plus one set with other options). The audio is
decoded as faster-whisper decodes it (faster_whisper.decode_audio). A numpy re-implementation of the graph is
checked against onnxruntime first, and its per-layer outputs for a few jfk frames are written for a layer test.

Run: $(tools/python/venv)/bin/python tools/python/make_vad_fixtures.py [SPEECH_DIR]
"""
import json
import os
import sys

import numpy as np
from faster_whisper import decode_audio
from faster_whisper.utils import get_assets_path
from faster_whisper.vad import VadOptions, get_speech_timestamps, get_vad_model

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(REPO, "core/src/test/resources/io/auricle/vad")
SPEECH = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "../shared/data/speech")
MODEL = os.path.join(get_assets_path(), "silero_vad_v6.onnx")

FILES = {
    "jfk": "jfk/jfk.wav",
    "declaration_sil20start_sil20mid": "edge_cases/declaration_sil20start_sil20mid_22k.flac",
    "numbers_dates_spoken": "edge_cases/numbers_dates_spoken_22k.flac",
    "pink_noise_5s": "edge_cases/pink_noise_5s_16k.flac",
    "short_0p2s_no": "edge_cases/short_0p2s_no_16k.flac",
}
# Non-default options, to pin the branches the defaults never take (max_speech split, min_speech drop).
OTHER_OPTIONS = dict(threshold=0.6, min_speech_duration_ms=250, max_speech_duration_s=5.0,
                     min_silence_duration_ms=300, speech_pad_ms=100)


# --- a minimal protobuf reader, enough for ONNX initializers -------------------------------------------------
def _varint(b, i):
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return r, i


def _fields(b):
    i = 0
    while i < len(b):
        key, i = _varint(b, i)
        wire = key & 7
        if wire == 0:
            v, i = _varint(b, i)
        elif wire == 1:
            v, i = b[i:i + 8], i + 8
        elif wire == 5:
            v, i = b[i:i + 4], i + 4
        else:
            n, i = _varint(b, i)
            v, i = b[i:i + n], i + n
        yield key >> 3, wire, v


def onnx_initializers(path):
    data = open(path, "rb").read()
    out = {}
    for f, _, graph in _fields(data):
        if f != 7:  # ModelProto.graph
            continue
        for g, _, t in _fields(graph):
            if g != 5:  # GraphProto.initializer
                continue
            dims, dtype, name, raw = [], None, "", b""
            for h, wire, v in _fields(t):
                if h == 1:
                    if wire == 2:
                        j = 0
                        while j < len(v):
                            x, j = _varint(v, j)
                            dims.append(x)
                    else:
                        dims.append(v)
                elif h == 2:
                    dtype = v
                elif h == 8:
                    name = v.decode()
                elif h == 9:
                    raw = v
            out[name] = np.frombuffer(raw, dtype={1: np.float32, 7: np.int64}[dtype]).reshape(dims)
    return out


# --- the graph in numpy ---------------------------------------------------------------------------------------
def conv1d(x, w, b, stride, pad):
    """x (C_in, T), w (C_out, C_in, K) -> (C_out, T_out)."""
    x = np.pad(x, ((0, 0), (pad, pad)))
    k = w.shape[2]
    t_out = (x.shape[1] - k) // stride + 1
    cols = np.stack([x[:, t * stride:t * stride + k] for t in range(t_out)], axis=0)  # (T_out, C_in, K)
    y = np.einsum("tck,ock->ot", cols.astype(np.float64), w.astype(np.float64))
    return y + (0 if b is None else b[:, None])


def numpy_vad(w, frames, layers_for=()):
    """frames (N, 576): the graph of silero_vad_v6.onnx frame by frame; returns probs and chosen frames' layers."""
    h = np.zeros(128)
    c = np.zeros(128)
    wi, ri, bi = w["onnx::LSTM_209"][0], w["onnx::LSTM_210"][0], w["onnx::LSTM_211"][0]
    probs, layers = [], {}
    for n, frame in enumerate(frames):
        x = np.pad(frame, (128, 128), mode="reflect")[None, :]
        spec = conv1d(x, w["encoder.feature_extractor.forward_basis_buffer"], None, 128, 0)[:, 1:]
        mag = np.sqrt(spec[:129] ** 2 + spec[129:] ** 2)
        a0 = np.maximum(conv1d(mag, w["encoder.conv_layers.0.weight"], w["encoder.conv_layers.0.bias"], 1, 1), 0)
        a1 = np.maximum(conv1d(a0, w["encoder.conv_layers.1.weight"], w["encoder.conv_layers.1.bias"], 2, 1), 0)
        a2 = np.maximum(conv1d(a1, w["encoder.conv_layers.2.weight"], w["encoder.conv_layers.2.bias"], 2, 1), 0)
        a3 = np.maximum(conv1d(a2, w["encoder.conv_layers.3.weight"], w["encoder.conv_layers.3.bias"], 1, 1), 0)
        g = wi @ a3[:, 0] + ri @ h + bi[:512] + bi[512:]  # ONNX gate order: input, output, forget, cell
        sig = lambda v: 1 / (1 + np.exp(-v))
        i_g, o_g, f_g, c_g = sig(g[:128]), sig(g[128:256]), sig(g[256:384]), np.tanh(g[384:])
        c = f_g * c + i_g * c_g
        h = o_g * np.tanh(c)
        logit = w["decoder.conv1d.weight"][0, :, 0] @ np.maximum(h, 0) + w["decoder.conv1d.bias"][0]
        probs.append(sig(logit))
        if n in layers_for:
            layers[n] = dict(magnitude=mag, conv0=a0, conv1=a1, conv2=a2, conv3=a3, h=h.copy(), c=c.copy(),
                             prob=float(probs[-1]))
    return np.array(probs), layers


def model_input(audio):
    """faster-whisper's framing: pad to a multiple of 512 (always adds), prepend the previous frame's last 64."""
    padded = np.pad(audio, (0, 512 - audio.shape[0] % 512))
    batched = padded.reshape(-1, 512)
    context = np.roll(batched[:, -64:].copy(), 1, 0)
    context[0] = 0
    return padded, np.concatenate([context, batched], 1)


def fmt(v):
    return f"{float(v):.7g}"


def main():
    weights = onnx_initializers(MODEL)
    model = get_vad_model()
    summary = {}
    for name, rel in FILES.items():
        audio = decode_audio(os.path.join(SPEECH, rel))
        padded, frames = model_input(audio)
        probs = model(padded)[:, 0] if model(padded).ndim == 2 else model(padded)
        probs = np.asarray(probs).reshape(-1)
        layer_frames = (0, 40, 100) if name == "jfk" else ()
        mine, layers = numpy_vad(weights, frames.astype(np.float64), layer_frames)
        diff = float(np.max(np.abs(mine - probs)))
        assert diff < 1e-4, f"{name}: numpy graph differs from onnxruntime by {diff}"
        with open(os.path.join(OUT, f"{name}.probs.txt"), "w") as f:
            f.write("\n".join(f"{p:.6f}" for p in probs) + "\n")
        default = get_speech_timestamps(audio, VadOptions())
        other = get_speech_timestamps(audio, VadOptions(**OTHER_OPTIONS))
        summary[name] = dict(file=rel, samples=int(audio.shape[0]), frames=int(len(probs)),
                             numpy_vs_onnxruntime=diff,
                             default=[[s["start"], s["end"]] for s in default],
                             other=[[s["start"], s["end"]] for s in other])
        if layers:
            with open(os.path.join(OUT, f"{name}.layers.json"), "w") as f:
                json.dump({str(n): {k: (np.round(v, 7).tolist() if isinstance(v, np.ndarray) else v)
                                    for k, v in d.items()} for n, d in layers.items()}, f)
        print(name, len(probs), "frames; numpy vs onnxruntime", diff, "; speech", summary[name]["default"])
    with open(os.path.join(OUT, "speech_timestamps.json"), "w") as f:
        json.dump(dict(model="faster_whisper/assets/silero_vad_v6.onnx", other_options=OTHER_OPTIONS,
                       files=summary), f, indent=1)


if __name__ == "__main__":
    main()
