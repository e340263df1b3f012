"""Reference ggml files for io.auricle.model.GgmlWriter/GgmlReader, checked by whisper.cpp itself.

tiny.en's weights (the CT2 model from tools/fetch-models, read with numpy) are written as whisper.cpp's
models/convert-pt-to-ggml.py writes a .pt (f16 rules: 1-D tensors, conv biases and positional embeddings in
f32; conv biases as [d, 1]; state-dict order; raw token bytes), and the quantized types as its quantize tool
rewrites that file (2-D tensors except the skipped ones, from the f16 values, with gguf.quants = ggml-quants.c).
whisper.cpp (pywhispercpp) then loads each file and transcribes jfk.wav, which proves the layout (all but f32:
whisper.cpp 1.8.5 aborts on an all-f32 file, whose conv weights its CPU im2col cannot take).

The fixture records, per type, sha256 of the 48-byte header and of everything after the mel filters (the
filters are the one part computed differently here: faster-whisper's, the Java side the mel code's), plus
whisper.cpp's transcript.

Run: $(tools/python/venv)/bin/python tools/python/ggml_convert_fixture.py
Writes core/src/test/resources/model/ggml_tiny_en.json.
"""

import hashlib
import json
import struct
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile
from gguf import GGMLQuantizationType, quants

sys.path.insert(0, str(Path(__file__).parent))
from ct2_weights_fixture import CACHE, OUT, bytes_to_unicode, parse_model_bin, to_openai  # noqa: E402

SPEECH = Path(__file__).resolve().parents[3] / "shared/data/speech"
KEPT_F32 = {"encoder.conv1.bias", "encoder.conv2.bias", "encoder.positional_embedding", "decoder.positional_embedding"}
# (file ftype, ggml type of quantized tensors, gguf type)
TYPES = {"f32": (0, 0, None), "f16": (1, 1, None), "q8_0": (2007, 8, "Q8_0"), "q5_0": (2008, 6, "Q5_0"),
         "q5_1": (2009, 7, "Q5_1"), "q4_0": (2002, 2, "Q4_0"), "q4_1": (2003, 3, "Q4_1")}


def state_dict_order(n_audio, n_text):
    """openai-whisper's state_dict key order (module buffers/parameters before children)."""
    names = ["encoder.positional_embedding", "encoder.conv1.weight", "encoder.conv1.bias", "encoder.conv2.weight",
             "encoder.conv2.bias"]

    def block(p, cross):
        out = []
        for a in ["attn"] + (["cross_attn"] if cross else []):
            out += [f"{p}{a}.query.weight", f"{p}{a}.query.bias", f"{p}{a}.key.weight", f"{p}{a}.value.weight",
                    f"{p}{a}.value.bias", f"{p}{a}.out.weight", f"{p}{a}.out.bias", f"{p}{a}_ln.weight",
                    f"{p}{a}_ln.bias"]
        return out + [f"{p}mlp.0.weight", f"{p}mlp.0.bias", f"{p}mlp.2.weight", f"{p}mlp.2.bias",
                      f"{p}mlp_ln.weight", f"{p}mlp_ln.bias"]

    for i in range(n_audio):
        names += block(f"encoder.blocks.{i}.", False)
    names += ["encoder.ln_post.weight", "encoder.ln_post.bias", "decoder.positional_embedding",
              "decoder.token_embedding.weight"]
    for i in range(n_text):
        names += block(f"decoder.blocks.{i}.", True)
    return names + ["decoder.ln.weight", "decoder.ln.bias"]


def write_ggml(path, dims, tensors, tokens, filters, kind):
    ftype, qtype, gguf_type = TYPES[kind]
    with open(path, "wb") as f:
        f.write(struct.pack("i", 0x67676D6C))
        for key in ("n_vocab", "n_audio_ctx", "n_audio_state", "n_audio_head", "n_audio_layer", "n_text_ctx",
                    "n_text_state", "n_text_head", "n_text_layer", "n_mels"):
            f.write(struct.pack("i", dims[key]))
        f.write(struct.pack("i", ftype))
        header_end = f.tell()
        f.write(struct.pack("ii", *filters.shape))
        f.write(filters.astype("<f4").tobytes())
        body_start = f.tell()
        f.write(struct.pack("i", len(tokens)))
        for t in tokens:
            f.write(struct.pack("i", len(t)) + t)
        for name in state_dict_order(dims["n_audio_layer"], dims["n_text_layer"]):
            data = tensors[name]
            if name in ("encoder.conv1.bias", "encoder.conv2.bias"):
                data = data.reshape(data.shape[0], 1)
            if kind == "f32":
                data, ttype = data.astype(np.float32), 0
            elif data.ndim < 2 or name in KEPT_F32:
                data, ttype = data.astype(np.float32), 0
            else:
                data, ttype = data.astype(np.float16), 1
                if gguf_type and data.ndim == 2:  # the quantize tool: f16 -> f32 -> blocks
                    data = quants.quantize(data.astype(np.float32), GGMLQuantizationType[gguf_type])
                    ttype = qtype
            shape = tensors[name].shape if name not in ("encoder.conv1.bias", "encoder.conv2.bias") \
                else (tensors[name].shape[0], 1)
            encoded = name.encode()
            f.write(struct.pack("iii", len(shape), len(encoded), ttype))
            for k in reversed(shape):
                f.write(struct.pack("i", k))
            f.write(encoded)
            f.write(data.tobytes())
    raw = Path(path).read_bytes()
    return hashlib.sha256(raw[:header_end]).hexdigest(), hashlib.sha256(raw[body_start:]).hexdigest()


def main():
    from faster_whisper.feature_extractor import FeatureExtractor
    from pywhispercpp.model import Model

    model_dir = CACHE / "models/tiny.en"
    v, _ = parse_model_bin(model_dir / "model.bin")
    d = v["decoder/embeddings/weight"].shape[1]
    tensors = to_openai(v, 4, 4, d)
    dims = {"n_vocab": 51864, "n_audio_ctx": 1500, "n_audio_state": d, "n_audio_head": 6, "n_audio_layer": 4,
            "n_text_ctx": 448, "n_text_state": d, "n_text_head": 6, "n_text_layer": 4, "n_mels": 80}
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    char_to_byte = {c: b for b, c in bytes_to_unicode().items()}
    tokens = [bytes(char_to_byte[c] for c in tok.id_to_token(i)) for i in range(tok.token_to_id("<|endoftext|>"))]
    filters = FeatureExtractor(feature_size=80).mel_filters.astype(np.float32)

    audio, rate = soundfile.read(SPEECH / "jfk/jfk.wav", dtype="float32")
    assert rate == 16000
    golden = {"source": "tiny.en", "types": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in TYPES:
            path = Path(tmp) / f"ggml-tiny.en-{kind}.bin"
            header, body = write_ggml(path, dims, tensors, tokens, filters, kind)
            if kind == "f32":
                # whisper.cpp 1.8.5's CPU conv (im2col) asserts F16 kernels, so it aborts on the all-f32 layout
                # convert-pt-to-ggml.py writes with use-f32; that file is checked by its hashes only.
                text = None
            else:
                model = Model(str(path), redirect_whispercpp_logs_to=None, n_threads=2)
                text = "".join(s.text for s in model.transcribe(audio, language="en")).strip()
                del model
            print(kind, path.stat().st_size, repr(text), file=sys.stderr)
            golden["types"][kind] = {"header_sha256": header, "body_sha256": body, "size": path.stat().st_size,
                                     "whisper_cpp_text": text}
    (OUT / "ggml_tiny_en.json").write_text(json.dumps(golden, indent=1) + "\n")


if __name__ == "__main__":
    main()
