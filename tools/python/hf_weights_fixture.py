"""A Hugging Face Whisper checkpoint for io.auricle.model.SafetensorsReader, written by the safetensors
library itself: the synthetic weights of ct2_weights_fixture.py renamed as transformers' WhisperForConditional-
Generation names them (convert_openai_to_hf.py's WHISPER_MAPPING), sharded in two files with an index, the token
embedding in float16 and the rest in float32, with config.json and generation_config.json.

Run: $(tools/python/venv)/bin/python tools/python/hf_weights_fixture.py
Writes core/src/test/resources/model/synthetic_hf/ (the test adds a vocabulary).
"""

import json
import re
import shutil
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

sys.path.insert(0, str(Path(__file__).parent))
from ct2_weights_fixture import (AUDIO_CTX, D, HEADS, LAYERS, N_MELS, OUT, TEXT_CTX, VOCAB,  # noqa: E402
                                 synthetic_weights)

RENAMES = [("blocks", "layers"), ("mlp_ln", "final_layer_norm"), ("mlp.0", "fc1"), ("mlp.2", "fc2"),
           ("cross_attn_ln", "encoder_attn_layer_norm"), ("cross_attn", "encoder_attn"), ("attn_ln", "self_attn_layer_norm"),
           ("attn.query", "self_attn.q_proj"), ("attn.key", "self_attn.k_proj"), ("attn.value", "self_attn.v_proj"),
           ("attn.out", "self_attn.out_proj"), ("encoder_attn.query", "encoder_attn.q_proj"),
           ("encoder_attn.key", "encoder_attn.k_proj"), ("encoder_attn.value", "encoder_attn.v_proj"),
           ("encoder_attn.out", "encoder_attn.out_proj"), ("encoder.ln_post", "encoder.layer_norm"),
           ("decoder.ln", "decoder.layer_norm"), ("encoder.positional_embedding", "encoder.embed_positions.weight"),
           ("decoder.positional_embedding", "decoder.embed_positions.weight"),
           ("decoder.token_embedding", "decoder.embed_tokens")]


def hf_name(name):
    for old, new in RENAMES:
        name = re.sub(r"(?<![a-z_])" + re.escape(old) + r"(?![a-z_])", new, name)
    return "model." + name


def main():
    weights = synthetic_weights(np.random.default_rng(20261125))  # the same weights as synthetic.json's f32 variant
    hf = {hf_name(k): v for k, v in weights.items()}
    hf["model.decoder.embed_tokens.weight"] = hf["model.decoder.embed_tokens.weight"].astype(np.float16)
    target = OUT / "synthetic_hf"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shards = {"model-00001-of-00002.safetensors": {k: v for k, v in hf.items() if k.startswith("model.encoder.")},
              "model-00002-of-00002.safetensors": {k: v for k, v in hf.items() if not k.startswith("model.encoder.")}}
    weight_map = {}
    for file, tensors in shards.items():
        save_file(tensors, target / file, metadata={"format": "pt"})
        weight_map.update({k: file for k in tensors})
    (target / "model.safetensors.index.json").write_text(json.dumps(
        {"metadata": {"total_size": int(sum(v.nbytes for v in hf.values()))}, "weight_map": weight_map}, indent=2))
    (target / "config.json").write_text(json.dumps({
        "architectures": ["WhisperForConditionalGeneration"], "model_type": "whisper", "vocab_size": VOCAB,
        "num_mel_bins": N_MELS, "d_model": D, "encoder_layers": LAYERS, "encoder_attention_heads": HEADS,
        "decoder_layers": LAYERS, "decoder_attention_heads": HEADS, "encoder_ffn_dim": 4 * D, "decoder_ffn_dim": 4 * D,
        "max_source_positions": AUDIO_CTX, "max_target_positions": TEXT_CTX, "scale_embedding": False,
        "activation_function": "gelu", "tie_word_embeddings": True}, indent=2))
    (target / "generation_config.json").write_text(json.dumps({
        "alignment_heads": [[1, 0], [1, 1]], "suppress_tokens": [1, 2, 7], "begin_suppress_tokens": [220, 50256],
        "is_multilingual": False}, indent=2))
    print("wrote", target, sorted(p.name for p in target.iterdir()), file=sys.stderr)


if __name__ == "__main__":
    main()
