#!/usr/bin/env python3
"""Golden fixtures for io.auricle.audio.LogMel / MelFilters, from faster-whisper's numpy FeatureExtractor.

Run: $(tools/python/venv)/bin/python tools/python/make_mel_fixtures.py [speech_dir]
Writes float32 .npy files to core/src/test/resources/mel/.

Our target is openai-whisper's log_mel_spectrogram(audio, n_mels, padding). faster-whisper's extractor
computes the same thing (periodic Hann, centred reflect-padded STFT, |X|^2 without the last frame,
librosa's Slaney filters, log10 floor 1e-10, clamp to max - 8, (x + 4) / 4) when called with the same
padding; its only differences are its default padding=160 (openai: 0) and float32 numpy FFT instead of torch.
So every fixture here calls it with an explicit padding.
"""
import os
import sys

import numpy as np
import soundfile as sf
from faster_whisper.feature_extractor import FeatureExtractor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "core", "src", "test", "resources", "mel")
SPEECH = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "speech")
N_SAMPLES = 480000  # 30 s at 16 kHz: openai-whisper's transcribe pads the audio with this many zeros


def save(name, array):
    array = np.ascontiguousarray(array, dtype="<f4")
    np.save(os.path.join(OUT, name + ".npy"), array)
    print(f"{name}: shape {array.shape}")


def log_mel(audio, n_mels, padding):
    return FeatureExtractor(feature_size=n_mels)(audio, padding=padding)


def log_mel_float64(audio, n_mels, padding):
    """The same definition in float64, to show how far the float32 reference itself is from exact."""
    audio = np.pad(audio.astype(np.float64), (0, padding))
    window = np.hanning(401)[:-1]
    stft = FeatureExtractor.stft(audio, 400, 160, window=window, return_complex=True)
    power = np.abs(stft[..., :-1]) ** 2
    mel = FeatureExtractor.get_mel_filters(16000, 400, n_mels) @ power
    log_spec = np.log10(np.maximum(mel, 1e-10))
    log_spec = np.maximum(log_spec, log_spec.max() - 8.0)
    return (log_spec + 4.0) / 4.0


def chirp_and_noise():
    """2 s: a 100 Hz -> 7 kHz linear chirp at 0.5 plus white noise at 0.01, then 0.25 s of silence."""
    sr = 16000
    t = np.arange(2 * sr) / sr
    chirp = 0.5 * np.sin(2 * np.pi * (100 * t + (7000 - 100) / (2 * 2.0) * t * t))
    noise = 0.01 * np.random.default_rng(1234).standard_normal(len(t))
    return np.concatenate([chirp + noise, np.zeros(sr // 4)]).astype(np.float32)


def main():
    os.makedirs(OUT, exist_ok=True)
    for n_mels in (80, 128):
        save(f"filters_{n_mels}", FeatureExtractor.get_mel_filters(16000, 400, n_mels))

    jfk, sr = sf.read(os.path.join(SPEECH, "jfk", "jfk.wav"), dtype="float32")
    assert sr == 16000 and jfk.ndim == 1, (sr, jfk.shape)
    inputs = {
        "chirp": chirp_and_noise(),
        "short": (0.3 * np.sin(np.arange(1000) * 0.05)).astype(np.float32),   # 6 frames
        "tiny": np.linspace(-0.5, 0.5, 180, dtype=np.float32),  # 1 frame; numpy reflects more than once
    }
    for name, audio in inputs.items():
        save(f"input_{name}", audio)

    cases = [("jfk", jfk, 80, 0), ("jfk", jfk, 128, 0), ("chirp", inputs["chirp"], 80, 0),
             ("chirp", inputs["chirp"], 128, 0), ("short", inputs["short"], 80, 0),
             ("tiny", inputs["tiny"], 80, 0), ("short", inputs["short"], 80, 160)]
    for name, audio, n_mels, padding in cases:
        mel = log_mel(audio, n_mels, padding)
        exact = log_mel_float64(audio, n_mels, padding)
        print(f"  {name} {n_mels} pad {padding}: float32 reference vs float64 max |diff| "
              f"{np.abs(mel - exact).max():.2e}")
        save(f"mel_{name}_{n_mels}_pad{padding}", mel)

    # The form transcribe uses: 30 s of zeros appended before the STFT. Frames 1000..1199 cover the end of the
    # speech (frame 1100) and the padding after it.
    padded = log_mel(jfk, 80, N_SAMPLES)
    print(f"  jfk padded: {padded.shape[1]} frames")
    save("mel_jfk_80_padN_frames1000to1200", padded[:, 1000:1200])


if __name__ == "__main__":
    main()
