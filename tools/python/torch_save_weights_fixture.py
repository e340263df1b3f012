"""synthetic_torch_save.pt: the weights of synthetic.pt (torch_weights_fixture.py, written without torch) loaded by
torch itself (torch.load with weights_only=True, so torch accepts that hand-made file) and written back by
torch.save, as openai-whisper checkpoints are. io.auricle.model.TorchReaderTest reads both and compares them.

Run: $(tools/python/eco-venv)/bin/python tools/python/torch_save_weights_fixture.py
Writes core/src/test/resources/model/synthetic_torch_save.pt.
"""

import sys
from pathlib import Path

import torch

OUT = Path(__file__).resolve().parents[2] / "core/src/test/resources/model"

checkpoint = torch.load(OUT / "synthetic.pt", map_location="cpu", weights_only=True)
state = checkpoint["model_state_dict"]
assert state["decoder.token_embedding.weight"].dtype == torch.float16
# Each tensor in its own storage, as a state_dict of a real model is saved (synthetic.pt shares one on purpose).
checkpoint["model_state_dict"] = {name: t.clone() for name, t in state.items()}
torch.save(checkpoint, OUT / "synthetic_torch_save.pt")
print("wrote", OUT / "synthetic_torch_save.pt", "with torch", torch.__version__, file=sys.stderr)
