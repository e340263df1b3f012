"""Golden bytes for io.auricle.model.GgmlQuantizer: ggml's block quantizers as ported to numpy by the gguf
package (llama.cpp's gguf-py, gguf.quants), on random and edge-case blocks.

Run: $(tools/python/venv)/bin/python tools/python/ggml_quant_fixture.py
Writes core/src/test/resources/model/ggml_quant/{input.f32, q8_0.bin, q4_0.bin, q4_1.bin, q5_0.bin, q5_1.bin}.
"""

from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType, quants

OUT = Path(__file__).resolve().parents[2] / "core/src/test/resources/model/ggml_quant"


def blocks():
    rng = np.random.default_rng(4)
    b = [rng.standard_normal((40, 32)).astype(np.float32),
         (rng.standard_normal((4, 32)) * 1e-3).astype(np.float32),
         (rng.standard_normal((4, 32)) * 300).astype(np.float32),
         np.zeros((1, 32), np.float32),                              # d = 0
         np.full((1, 32), 0.75, np.float32),                         # max == min
         (np.arange(32, dtype=np.float32) - 15.5).reshape(1, 32),    # .5 ties after scaling
         np.linspace(-127, 127, 32, dtype=np.float32).reshape(1, 32),
         rng.uniform(-1, 1, (2, 32)).astype(np.float16).astype(np.float32)]  # f16-exact, as from an f16 model
    ties = rng.standard_normal((1, 32)).astype(np.float32)
    ties[0, 3], ties[0, 20] = 2.5, -2.5                              # equal magnitudes: the first one wins
    b.append(ties)
    return np.concatenate(b)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    x = blocks()
    x.astype("<f4").tofile(OUT / "input.f32")
    for name in ("Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1"):
        q = quants.quantize(x, GGMLQuantizationType[name])
        q.tofile(OUT / (name.lower() + ".bin"))
        print(name, q.shape, q.dtype)


if __name__ == "__main__":
    main()
