"""An openai-whisper checkpoint (what whisper.load_model reads: {"dims": ..., "model_state_dict": ...}, torch.save'd)
from a transformers directory that `auricle convert --to safetensors` wrote from the same weights. Used by the
ecosystem check (tools/python/ecosystem_check.py) and the benchmark's openai-whisper engine (bench/harness).

Run: $(tools/python/eco-venv)/bin/python tools/python/openai_checkpoint.py HF_DIR OUT.pt
"""

import json
import sys
from pathlib import Path

# transformers' names back to openai-whisper's (the inverse of convert_openai_to_hf.py's mapping)
HF_TO_OPENAI = [
    ("encoder.embed_positions.weight", "encoder.positional_embedding"),
    ("decoder.embed_positions.weight", "decoder.positional_embedding"),
    ("decoder.embed_tokens", "decoder.token_embedding"), ("encoder.layer_norm", "encoder.ln_post"),
    ("decoder.layer_norm", "decoder.ln"), (".layers.", ".blocks."),
    (".encoder_attn_layer_norm", ".cross_attn_ln"), (".encoder_attn.q_proj", ".cross_attn.query"),
    (".encoder_attn.k_proj", ".cross_attn.key"), (".encoder_attn.v_proj", ".cross_attn.value"),
    (".encoder_attn.out_proj", ".cross_attn.out"), (".self_attn_layer_norm", ".attn_ln"),
    (".self_attn.q_proj", ".attn.query"), (".self_attn.k_proj", ".attn.key"), (".self_attn.v_proj", ".attn.value"),
    (".self_attn.out_proj", ".attn.out"), (".final_layer_norm", ".mlp_ln"), (".fc1", ".mlp.0"), (".fc2", ".mlp.2"),
]


def write_pt(hf_dir, pt_file):
    """An openai-whisper checkpoint from a transformers directory: {"dims": ..., "model_state_dict": ...}."""
    import torch
    from safetensors.torch import load_file
    config = json.loads((hf_dir / "config.json").read_text())
    state = {}
    for name, tensor in load_file(str(hf_dir / "model.safetensors")).items():
        state[openai_name(name)] = tensor
    dims = {"n_mels": config["num_mel_bins"], "n_vocab": config["vocab_size"],
            "n_audio_ctx": config["max_source_positions"], "n_audio_state": config["d_model"],
            "n_audio_head": config["encoder_attention_heads"], "n_audio_layer": config["encoder_layers"],
            "n_text_ctx": config["max_target_positions"], "n_text_state": config["d_model"],
            "n_text_head": config["decoder_attention_heads"], "n_text_layer": config["decoder_layers"]}
    torch.save({"dims": dims, "model_state_dict": state}, str(pt_file))


def openai_name(hf_name):
    """openai-whisper's name for a transformers tensor name ("model." prefix included)."""
    n = hf_name[len("model."):] if hf_name.startswith("model.") else hf_name
    for hf, openai in HF_TO_OPENAI:
        n = n.replace(hf, openai)
    return n


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: openai_checkpoint.py HF_DIR OUT.pt")
    write_pt(Path(sys.argv[1]), Path(sys.argv[2]))
