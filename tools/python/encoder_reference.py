"""Reference encoder output: CTranslate2's Whisper encoder (float32) on faster-whisper's log-mel of one clip.

Writes every --stride-th row of the encoder output [1500, d] (little-endian float32, gzip) for the Java
encoder test; with --full also the whole output as .npy for a one-off max |diff|. The mel is computed as
faster-whisper's transcribe does (160 samples of padding, last frame dropped, zero-padded to 3000 frames).

Usage:
  $(tools/python/venv)/bin/python tools/python/encoder_reference.py [--audio ../shared/data/speech/jfk/jfk.wav]
      [--model ~/.cache/auricle/models/tiny.en] [--out core/src/test/resources/io/auricle/model/jfk_encoder_rows.f32.gz]
"""

import argparse
import gzip
import os
from pathlib import Path

import ctranslate2
import numpy as np
from faster_whisper.audio import decode_audio, pad_or_trim
from faster_whisper.feature_extractor import FeatureExtractor


def main():
    repo = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser()
    ap.add_argument("--audio", default=str(repo.parent / "shared/data/speech/jfk/jfk.wav"))
    ap.add_argument("--model", default=os.path.expanduser("~/.cache/auricle/models/tiny.en"))
    ap.add_argument("--out", default=str(repo / "core/src/test/resources/io/auricle/model/jfk_encoder_rows.f32.gz"))
    ap.add_argument("--stride", type=int, default=15)
    ap.add_argument("--full", help="also write the whole output and the mel window to this .npz")
    args = ap.parse_args()

    audio = decode_audio(args.audio)
    features = FeatureExtractor(feature_size=80)(audio)[:, :-1]
    window = pad_or_trim(features[:, :3000]).astype(np.float32)
    model = ctranslate2.models.Whisper(args.model, device="cpu", compute_type="float32", intra_threads=1)
    out = np.array(model.encode(ctranslate2.StorageView.from_array(window[None]), to_cpu=True))[0]
    print("encoder output", out.shape, "rows kept", len(range(0, out.shape[0], args.stride)))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.out, "wb", mtime=0) as g:
        g.write(np.ascontiguousarray(out[::args.stride]).astype("<f4").tobytes())
    if args.full:
        np.savez(args.full, encoder=out, mel=window)


if __name__ == "__main__":
    main()
