"""Golden fixtures for the CTranslate2 reader (io.auricle.model.Ct2Reader).

1. tiny.en (the real model from tools/fetch-models): model.bin parsed here with numpy, fused tensors split
   into openai-whisper names; a few values, sums and shapes per tensor; the regular vocabulary's bytes as
   decoded by the `tokenizers` library (sha256 + samples).
2. Synthetic CT2 models written by CTranslate2's own converter code (WhisperLoader + WhisperSpec, the code
   path of ct2-transformers-converter) from random weights under openai-whisper names, in float32 and
   int8_float16, so the Java reader is checked against the reference writer and quantizer.

Run: $(tools/python/venv)/bin/python tools/python/ct2_weights_fixture.py
Writes core/src/test/resources/model/{tiny_en_ct2.json, synthetic_f32/, synthetic_int8_f16/, synthetic.json}.
"""

import hashlib
import json
import os
import shutil
import struct
import sys
import tempfile
import types
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "core/src/test/resources/model"
CACHE = Path(os.environ.get("AURICLE_CACHE", Path.home() / ".cache/auricle"))

CT2_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}


def parse_model_bin(path):
    """CT2 model.bin (binary version 6) -> {name: ndarray}, {alias: target}."""
    data = Path(path).read_bytes()
    pos = 0

    def take(fmt):
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    def string():
        nonlocal pos
        (n,) = take("H")
        s = data[pos:pos + n - 1].decode()
        pos += n
        return s

    (version,) = take("I")
    assert version == 6, version
    spec = string()
    take("I")
    assert spec == "WhisperSpec"
    (count,) = take("I")
    variables = {}
    for _ in range(count):
        name = string()
        (rank,) = take("B")
        shape = take("I" * rank) if rank else ()
        (dtype,) = take("B")
        (size,) = take("I")
        variables[name] = np.frombuffer(data, CT2_DTYPES[dtype], count=size // np.dtype(CT2_DTYPES[dtype]).itemsize,
                                        offset=pos).reshape(shape)
        pos += size
    (n_alias,) = take("I")
    aliases = dict((string(), string()) for _ in range(n_alias))
    return variables, aliases


def dequantized(v, name):
    """Float32 value of a CT2 variable (int8 rows divided by their weight_scale)."""
    x = v[name]
    if x.dtype == np.int8 and name + "_scale" in v:
        scale = v[name + "_scale"].astype(np.float32)
        return (x.reshape(x.shape[0], -1).astype(np.float32) / scale[:, None]).reshape(x.shape)
    return x.astype(np.float32)


def to_openai(v, enc_layers, dec_layers, d):
    """CT2 variables -> openai-whisper state-dict names (fused Q;K;V and K;V split by rows, key bias dropped)."""
    g = lambda n: dequantized(v, n)
    out = {}

    def linear(o, c):
        out[o + ".weight"], out[o + ".bias"] = g(c + "/weight"), g(c + "/bias")

    def norm(o, c):
        out[o + ".weight"], out[o + ".bias"] = g(c + "/gamma"), g(c + "/beta")

    def self_attn(o, c):
        w, b = g(c + "self_attention/linear_0/weight"), g(c + "self_attention/linear_0/bias")
        out[o + "attn.query.weight"], out[o + "attn.query.bias"] = w[:d], b[:d]
        out[o + "attn.key.weight"] = w[d:2 * d]
        assert not b[d:2 * d].any(), "CT2 stores the key bias as zeros"
        out[o + "attn.value.weight"], out[o + "attn.value.bias"] = w[2 * d:], b[2 * d:]
        linear(o + "attn.out", c + "self_attention/linear_1")
        norm(o + "attn_ln", c + "self_attention/layer_norm")

    def mlp(o, c):
        linear(o + "mlp.0", c + "ffn/linear_0")
        linear(o + "mlp.2", c + "ffn/linear_1")
        norm(o + "mlp_ln", c + "ffn/layer_norm")

    linear("encoder.conv1", "encoder/conv1")
    linear("encoder.conv2", "encoder/conv2")
    out["encoder.positional_embedding"] = g("encoder/position_encodings/encodings")
    for i in range(enc_layers):
        self_attn(f"encoder.blocks.{i}.", f"encoder/layer_{i}/")
        mlp(f"encoder.blocks.{i}.", f"encoder/layer_{i}/")
    norm("encoder.ln_post", "encoder/layer_norm")
    out["decoder.token_embedding.weight"] = g("decoder/embeddings/weight")
    out["decoder.positional_embedding"] = g("decoder/position_encodings/encodings")
    for i in range(dec_layers):
        o, c = f"decoder.blocks.{i}.", f"decoder/layer_{i}/"
        self_attn(o, c)
        linear(o + "cross_attn.query", c + "attention/linear_0")
        w, b = g(c + "attention/linear_1/weight"), g(c + "attention/linear_1/bias")
        out[o + "cross_attn.key.weight"] = w[:d]
        assert not b[:d].any()
        out[o + "cross_attn.value.weight"], out[o + "cross_attn.value.bias"] = w[d:], b[d:]
        linear(o + "cross_attn.out", c + "attention/linear_2")
        norm(o + "cross_attn_ln", c + "attention/layer_norm")
        mlp(o, c)
    norm("decoder.ln", "decoder/layer_norm")
    return out


def summary(x, picks=8):
    flat = x.reshape(-1).astype(np.float64)
    idx = sorted(set(np.linspace(0, flat.size - 1, picks).astype(int).tolist()))
    return {"shape": list(x.shape), "sum": float(flat.sum()), "abs_sum": float(np.abs(flat).sum()),
            "samples": [[i, float(flat[i])] for i in idx]}


def bytes_to_unicode():
    """GPT-2's byte <-> printable character table (openai/gpt-2 encoder.py)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def vocabulary_golden(model_dir):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    char_to_byte = {c: b for b, c in bytes_to_unicode().items()}
    eot = tok.token_to_id("<|endoftext|>")
    digest = hashlib.sha256()
    tokens = []
    for i in range(eot):
        raw = bytes(char_to_byte[c] for c in tok.id_to_token(i))
        # Cross-check the byte table against the tokenizers library's own ByteLevel decoder.
        try:
            text = raw.decode("utf-8")
            assert tok.decode([i]) == text, (i, tok.decode([i]), text)
        except UnicodeDecodeError:
            pass
        tokens.append(raw)
        digest.update(struct.pack("<I", len(raw)) + raw)
    samples = [0, 11, 198, 220, 262, 1849, 40345, eot - 1]
    return {"count": eot, "sha256_len_prefixed": digest.hexdigest(),
            "samples": {str(i): tokens[i].hex() for i in samples}}


def tiny_en():
    model_dir = CACHE / "models/tiny.en"
    v, aliases = parse_model_bin(model_dir / "model.bin")
    import ctranslate2

    ct2 = ctranslate2.models.Whisper(str(model_dir), device="cpu")
    d = v["decoder/embeddings/weight"].shape[1]
    tensors = to_openai(v, 4, 4, d)
    picks = ["encoder.conv1.weight", "encoder.conv2.bias", "encoder.positional_embedding",
             "encoder.blocks.0.attn.query.weight", "encoder.blocks.0.attn.key.weight",
             "encoder.blocks.0.attn.value.bias", "encoder.blocks.3.mlp.2.weight", "encoder.ln_post.weight",
             "decoder.token_embedding.weight", "decoder.positional_embedding",
             "decoder.blocks.1.attn.value.weight", "decoder.blocks.3.cross_attn.key.weight",
             "decoder.blocks.3.cross_attn.value.weight", "decoder.blocks.3.cross_attn.value.bias",
             "decoder.blocks.2.cross_attn_ln.bias", "decoder.ln.bias"]
    config = json.loads((model_dir / "config.json").read_text())
    return {
        "dims": {"n_mels": ct2.n_mels, "n_audio_ctx": v["encoder/position_encodings/encodings"].shape[0],
                 "n_audio_state": v["encoder/conv1/weight"].shape[0], "n_audio_head": int(v["encoder/num_heads"]),
                 "n_audio_layer": 4, "n_vocab": v["decoder/embeddings/weight"].shape[0],
                 "n_text_ctx": v["decoder/position_encodings/encodings"].shape[0], "n_text_state": d,
                 "n_text_head": int(v["decoder/num_heads"]), "n_text_layer": 4},
        "is_multilingual": ct2.is_multilingual,
        "tensor_count": len(tensors),
        "aliases": aliases,
        "alignment_heads": config["alignment_heads"],
        "suppress_ids": config["suppress_ids"],
        "suppress_ids_begin": config["suppress_ids_begin"],
        "tensors": {name: summary(tensors[name]) for name in picks},
        "vocabulary": vocabulary_golden(model_dir),
    }


# --- synthetic models through CTranslate2's converter --------------------------------------------------------

N_MELS, AUDIO_CTX, TEXT_CTX, D, HEADS, LAYERS, VOCAB = 80, 6, 5, 4, 2, 2, 51864


def synthetic_weights(rng):
    """Random weights under openai-whisper names (float32), including rows of zeros to hit CT2's scale rule."""
    w = {}

    def lin(name, o, i, bias=True):
        w[name + ".weight"] = rng.standard_normal((o, i)).astype(np.float32)
        if bias:
            w[name + ".bias"] = rng.standard_normal(o).astype(np.float32)

    def ln(name):
        w[name + ".weight"] = (1 + 0.1 * rng.standard_normal(D)).astype(np.float32)
        w[name + ".bias"] = (0.1 * rng.standard_normal(D)).astype(np.float32)

    def block(p, cross):
        for a in (["attn"] + (["cross_attn"] if cross else [])):
            lin(p + a + ".query", D, D)
            lin(p + a + ".key", D, D, bias=False)
            lin(p + a + ".value", D, D)
            lin(p + a + ".out", D, D)
            ln(p + a + "_ln")
        lin(p + "mlp.0", 4 * D, D)
        lin(p + "mlp.2", D, 4 * D)
        ln(p + "mlp_ln")

    w["encoder.conv1.weight"] = rng.standard_normal((D, N_MELS, 3)).astype(np.float32)
    w["encoder.conv1.bias"] = rng.standard_normal(D).astype(np.float32)
    w["encoder.conv2.weight"] = rng.standard_normal((D, D, 3)).astype(np.float32)
    w["encoder.conv2.bias"] = rng.standard_normal(D).astype(np.float32)
    w["encoder.positional_embedding"] = rng.standard_normal((AUDIO_CTX, D)).astype(np.float32)
    for i in range(LAYERS):
        block(f"encoder.blocks.{i}.", False)
    ln("encoder.ln_post")
    w["decoder.token_embedding.weight"] = rng.standard_normal((VOCAB, D)).astype(np.float32)
    w["decoder.token_embedding.weight"][7] = 0  # an all-zero row: CT2 gives it scale 1
    w["decoder.positional_embedding"] = rng.standard_normal((TEXT_CTX, D)).astype(np.float32)
    for i in range(LAYERS):
        block(f"decoder.blocks.{i}.", True)
    ln("decoder.ln")
    return w


def as_hf_model(w):
    """The openai weights dressed as a transformers WhisperForConditionalGeneration (attributes only)."""
    ns = types.SimpleNamespace

    def linear(p, bias=True):
        return ns(weight=w[p + ".weight"], bias=w.get(p + ".bias") if bias else None)

    def norm(p):
        return ns(weight=w[p + ".weight"], bias=w[p + ".bias"])

    def attention(p):
        return ns(q_proj=linear(p + ".query"), k_proj=linear(p + ".key", False), v_proj=linear(p + ".value"),
                  out_proj=linear(p + ".out"))

    def layer(p, cross):
        lay = ns(self_attn=attention(p + "attn"), self_attn_layer_norm=norm(p + "attn_ln"), fc1=linear(p + "mlp.0"),
                 fc2=linear(p + "mlp.2"), final_layer_norm=norm(p + "mlp_ln"))
        if cross:
            lay.encoder_attn = attention(p + "cross_attn")
            lay.encoder_attn_layer_norm = norm(p + "cross_attn_ln")
        return lay

    config = ns(encoder_layers=LAYERS, decoder_layers=LAYERS, encoder_attention_heads=HEADS,
                decoder_attention_heads=HEADS, d_model=D, scale_embedding=False)
    encoder = ns(config=config, conv1=linear("encoder.conv1"), conv2=linear("encoder.conv2"),
                 embed_positions=ns(weight=w["encoder.positional_embedding"]), layer_norm=norm("encoder.ln_post"),
                 layers=[layer(f"encoder.blocks.{i}.", False) for i in range(LAYERS)], embed_scale=1.0)
    decoder = ns(config=config, embed_tokens=ns(weight=w["decoder.token_embedding.weight"]),
                 embed_positions=ns(weight=w["decoder.positional_embedding"]), layer_norm=norm("decoder.ln"),
                 layers=[layer(f"decoder.blocks.{i}.", True) for i in range(LAYERS)], embed_scale=1.0)
    return ns(config=config, model=ns(encoder=encoder, decoder=decoder),
              proj_out=ns(weight=w["decoder.token_embedding.weight"], bias=None))


def synthetic():
    import ctranslate2.converters.transformers as ct2_transformers
    from ctranslate2.specs import whisper_spec  # noqa: F401

    # set_linear asks isinstance(module, transformers.Conv1D); transformers is not installed and not needed.
    ct2_transformers.transformers = types.SimpleNamespace(Conv1D=type("Conv1D", (), {}))
    weights = synthetic_weights(np.random.default_rng(20261125))
    golden = {"dims": {"n_mels": N_MELS, "n_audio_ctx": AUDIO_CTX, "n_audio_state": D, "n_audio_head": HEADS,
                       "n_audio_layer": LAYERS, "n_vocab": VOCAB, "n_text_ctx": TEXT_CTX, "n_text_state": D,
                       "n_text_head": HEADS, "n_text_layer": LAYERS}, "variants": {}}
    for variant, quantization in [("synthetic_f32", "float32"), ("synthetic_int8_f16", "int8_float16")]:
        loader = ct2_transformers.WhisperLoader()
        spec = loader.get_model_spec(as_hf_model(weights))
        spec.config.suppress_ids = [1, 2, 3]
        spec.config.suppress_ids_begin = [220, 50256]
        spec.config.lang_ids = []
        spec.config.alignment_heads = [[1, 1], [0, 0]]
        spec.register_vocabulary(["t%d" % i for i in range(VOCAB)])
        spec.validate()
        spec.optimize(quantization=quantization)
        with tempfile.TemporaryDirectory() as tmp:
            spec.save(tmp)
            target = OUT / variant
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            for name in ("model.bin", "config.json"):  # the test writes its own vocabulary
                shutil.copy(Path(tmp) / name, target / name)
        v, _ = parse_model_bin(OUT / variant / "model.bin")
        got = to_openai(v, LAYERS, LAYERS, D)
        assert set(got) == set(weights), set(got) ^ set(weights)
        if quantization == "float32":
            for name in weights:  # the whole round trip through the reference converter is exact in float32
                assert np.array_equal(got[name], weights[name]), name
        expected = {}
        for name, x in got.items():
            if name == "decoder.token_embedding.weight":
                expected[name] = {"shape": list(x.shape), "rows": {str(r): x[r].tolist() for r in (0, 7, 50000, VOCAB - 1)}}
            else:
                expected[name] = {"shape": list(x.shape), "values": x.reshape(-1).tolist()}
        golden["variants"][variant] = {"dtypes": sorted({str(a.dtype) for a in v.values()}), "tensors": expected}
    return golden


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tiny_en_ct2.json").write_text(json.dumps(tiny_en(), indent=1) + "\n")
    (OUT / "synthetic.json").write_text(json.dumps(synthetic()) + "\n")
    print("wrote", OUT, file=sys.stderr)


if __name__ == "__main__":
    main()
