"""openai-whisper-style .pt checkpoints for io.auricle.model.TorchReader, written without torch (not installed):
the synthetic weights of ct2_weights_fixture.py pickled as torch.save does (protocol 2; persistent ids
('storage', torch.<Type>Storage, key, 'cpu', numel); torch._utils._rebuild_tensor_v2 with an empty OrderedDict
of hooks; the state dict an OrderedDict carrying _metadata) into an uncompressed zip laid out as torch's
(<root>/data.pkl, <root>/data/<key>, <root>/version, <root>/byteorder). Two tensors share one storage at
different offsets, the token embedding is a HalfStorage, the rest FloatStorage.
Also hostile.pt: the same layout whose pickle calls os.system.

Run: $(tools/python/venv)/bin/python tools/python/torch_weights_fixture.py
Writes core/src/test/resources/model/synthetic.pt and hostile.pt.
"""

import collections
import io
import os
import pickle
import sys
import types
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from ct2_weights_fixture import (AUDIO_CTX, D, HEADS, LAYERS, N_MELS, OUT, TEXT_CTX, VOCAB,  # noqa: E402
                                 synthetic_weights)

torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
sys.modules["torch"], sys.modules["torch._utils"] = torch, torch_utils


def _rebuild_tensor_v2(*args):
    raise AssertionError("never called: this module only pickles")


_rebuild_tensor_v2.__module__ = "torch._utils"
torch_utils._rebuild_tensor_v2 = _rebuild_tensor_v2
for storage_name in ("HalfStorage", "FloatStorage"):
    cls = type(storage_name, (), {"__module__": "torch"})
    setattr(torch, storage_name, cls)


class Storage:
    def __init__(self, key, cls, array):
        self.key, self.cls, self.array = key, cls, array


class Tensor:
    def __init__(self, storage, offset, shape):
        self.storage, self.offset, self.shape = storage, offset, shape

    def __reduce_ex__(self, protocol):
        stride = tuple(int(np.prod(self.shape[i + 1:])) for i in range(len(self.shape)))
        return _rebuild_tensor_v2, (self.storage, self.offset, tuple(self.shape), stride, False, collections.OrderedDict())


class TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", obj.cls, obj.key, "cpu", obj.array.size)
        return None


def write_pt(path, root, top, storages):
    buf = io.BytesIO()
    TorchPickler(buf, protocol=2).dump(top)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr(f"{root}/data.pkl", buf.getvalue())
        z.writestr(f"{root}/byteorder", "little")
        for s in storages:
            z.writestr(f"{root}/data/{s.key}", s.array.astype(s.array.dtype.newbyteorder("<")).tobytes())
        z.writestr(f"{root}/version", "3\n")


def main():
    w = synthetic_weights(np.random.default_rng(20261125))
    state = collections.OrderedDict()
    storages = []
    q, k = "encoder.blocks.0.attn.query.weight", "encoder.blocks.0.attn.key.weight"
    shared = Storage("0", torch.FloatStorage, np.concatenate([w[q].ravel(), w[k].ravel()]))
    storages.append(shared)
    for name, value in w.items():
        if name == q:
            state[name] = Tensor(shared, 0, value.shape)
        elif name == k:
            state[name] = Tensor(shared, w[q].size, value.shape)
        else:
            half = name == "decoder.token_embedding.weight"
            s = Storage(str(len(storages)), torch.HalfStorage if half else torch.FloatStorage,
                        value.astype(np.float16 if half else np.float32).ravel())
            storages.append(s)
            state[name] = Tensor(s, 0, value.shape)
    state._metadata = collections.OrderedDict({"": {"version": 1}})
    dims = {"n_mels": N_MELS, "n_vocab": VOCAB, "n_audio_ctx": AUDIO_CTX, "n_audio_state": D, "n_audio_head": HEADS,
            "n_audio_layer": LAYERS, "n_text_ctx": TEXT_CTX, "n_text_state": D, "n_text_head": HEADS,
            "n_text_layer": LAYERS}
    write_pt(OUT / "synthetic.pt", "synthetic", {"dims": dims, "model_state_dict": state}, storages)

    class Hostile:
        def __reduce__(self):
            return os.system, ("echo pwned",)

    write_pt(OUT / "hostile.pt", "hostile", {"dims": dims, "model_state_dict": Hostile()}, [])
    print("wrote", OUT / "synthetic.pt", OUT / "hostile.pt", file=sys.stderr)


if __name__ == "__main__":
    main()
