"""Writes small WAV files covering every header and encoding case our Java WAV reader handles, plus the
samples faster-whisper's decode_audio (PyAV/FFmpeg) gives for each, as the golden reference for
WavReaderTest (core/src/test/resources/audio/wav/).

Each file holds 0.25 s of jfk.wav (from 2.0 s) in some encoding/layout. reference.tsv lists per file: the
reference sample count, sha256 of the reference int16 samples, and the warning-relevant declared size.

Usage: $(tools/python/venv)/bin/python tools/python/audio_make_wav_fixtures.py
"""
import hashlib
import pathlib
import struct

import numpy as np
from faster_whisper.audio import decode_audio

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "core" / "src" / "test" / "resources" / "audio" / "wav"
JFK = ROOT.parent / "shared" / "data" / "speech" / "jfk" / "jfk.wav"

PCM, FLOAT, ALAW, MULAW, EXTENSIBLE = 1, 3, 6, 7, 0xFFFE


def jfk_piece(rate):
    """0.25 s of jfk.wav at `rate` as float64 in [-1, 1) (linear interpolation is fine: it only makes input)."""
    src = np.frombuffer(JFK.read_bytes()[44:], dtype="<i2").astype(np.float64) / 32768
    src = src[32000:32000 + 4000 + 16]
    t = np.arange(int(0.25 * rate)) * 16000 / rate
    return np.interp(t, np.arange(len(src)), src)


def chunk(tag, body):
    pad = b"\0" if len(body) % 2 else b""
    return tag + struct.pack("<I", len(body)) + body + pad


def fmt_chunk(tag, channels, rate, bits, block, mask=None, cb_size=None):
    body = struct.pack("<HHIIHH", EXTENSIBLE if mask is not None else tag, channels, rate, rate * block, block, bits)
    if mask is not None:
        guid = struct.pack("<H", tag) + bytes.fromhex("000000001000800000aa00389b71")
        body += struct.pack("<HHI", 22, bits, mask) + guid
    elif cb_size is not None:
        body += struct.pack("<H", cb_size)
    return chunk(b"fmt ", body)


def riff(*chunks):
    body = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def alaw_encode(x):
    table = np.array([alaw_decode(a) for a in range(256)])
    s = np.clip(np.round(x * 32768), -32768, 32767)
    return np.abs(s[:, None] - table[None, :]).argmin(axis=1).astype(np.uint8)


def alaw_decode(a):
    a ^= 0x55
    t = a & 0x0F
    seg = (a & 0x70) >> 4
    t = ((t + t + 1 + 32) << (seg + 2)) if seg else ((t + t + 1) << 3)
    return t if a & 0x80 else -t


def s16(x):
    return np.clip(np.round(x * 32768), -32768, 32767).astype("<i2")


def interleave(*channels):
    return np.stack(channels, axis=1).reshape(-1)


def files():
    m16 = jfk_piece(16000)
    yield "u8_16k_mono.wav", riff(fmt_chunk(PCM, 1, 16000, 8, 1), chunk(b"data", (s16(m16) // 256 + 128).astype(np.uint8).tobytes()))
    # An odd-length u8 data chunk: the pad byte must be skipped before the LIST chunk that follows.
    yield "u8_22k_odd_then_list.wav", riff(fmt_chunk(PCM, 1, 22050, 8, 1),
                                           chunk(b"data", (s16(jfk_piece(22050)[:5512 - 23]) // 256 + 128).astype(np.uint8).tobytes()),
                                           chunk(b"LIST", b"INFOISFT\x05\0\0\0test\0\0"))
    yield "alaw_16k_mono.wav", riff(fmt_chunk(ALAW, 1, 16000, 8, 1, cb_size=0), chunk(b"data", alaw_encode(m16).tobytes()))
    yield "alaw_8k_mono.wav", riff(fmt_chunk(ALAW, 1, 8000, 8, 1, cb_size=0), chunk(b"data", alaw_encode(jfk_piece(8000)).tobytes()))
    yield "s32_16k_mono.wav", riff(fmt_chunk(PCM, 1, 16000, 32, 4), chunk(b"data", (s16(m16).astype("<i4") * 65536 + 12345).astype("<i4").tobytes()))
    yield "f64_22k_mono.wav", riff(fmt_chunk(FLOAT, 1, 22050, 64, 8, cb_size=0), chunk(b"data", jfk_piece(22050).astype("<f8").tobytes()))
    # Float beyond full scale must clip, not wrap.
    yield "f32_16k_loud.wav", riff(fmt_chunk(FLOAT, 1, 16000, 32, 4, cb_size=0), chunk(b"data", (m16 * 3).astype("<f4").tobytes()))
    left, right = jfk_piece(16000), -0.5 * jfk_piece(16000)
    yield "s16_16k_stereo.wav", riff(fmt_chunk(PCM, 2, 16000, 16, 4), chunk(b"data", interleave(s16(left), s16(right)).tobytes()))
    x48 = jfk_piece(48000)
    s24 = (s16(x48).astype(np.int32) * 256 + 77)
    s24_pair = interleave(s24, -s24 // 2)
    s24_bytes = b"".join(int(v).to_bytes(4, "little", signed=True)[:3] for v in s24_pair)
    yield "s24_48k_stereo_ext.wav", riff(fmt_chunk(PCM, 2, 48000, 24, 6, mask=0x3), chunk(b"data", s24_bytes))
    x44 = jfk_piece(44100)
    six = [s16(x44 * g) for g in (0.9, 0.7, 0.5, 0.3, 0.6, 0.4)]
    yield "s16_44k_5p1_ext.wav", riff(fmt_chunk(PCM, 6, 44100, 16, 12, mask=0x3F), chunk(b"data", interleave(*six).tobytes()))
    # Headers a streaming writer leaves: data size unknown (0xFFFFFFFF), RIFF size wrong.
    data = s16(m16).tobytes()
    unknown = riff(fmt_chunk(PCM, 1, 16000, 16, 2), b"data" + struct.pack("<I", 0xFFFFFFFF) + data)
    yield "s16_16k_unknown_size.wav", unknown
    # Declares more data than present: read what is there (and warn).
    yield "s16_16k_short_data.wav", riff(fmt_chunk(PCM, 1, 16000, 16, 2), b"data" + struct.pack("<I", len(data) * 3) + data)
    # A 3-byte 'junk' chunk (padded) and a fmt chunk with cbSize before the data.
    yield "s16_16k_odd_chunk.wav", riff(chunk(b"junk", b"abc"), fmt_chunk(PCM, 1, 16000, 16, 2, cb_size=0), chunk(b"data", data))
    # RF64: sizes live in the ds64 chunk.
    ds64 = chunk(b"ds64", struct.pack("<QQQI", 0, len(data), len(data) // 2, 0))
    rf64_body = b"WAVE" + ds64 + fmt_chunk(PCM, 1, 16000, 16, 2) + b"data" + struct.pack("<I", 0xFFFFFFFF) + data
    yield "s16_16k_rf64.wav", b"RF64" + struct.pack("<I", 0xFFFFFFFF) + rf64_body
    yield "s16_16k_empty.wav", riff(fmt_chunk(PCM, 1, 16000, 16, 2), chunk(b"data", b""))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rows = ["file\tsamples\tsha256_s16"]
    for name, content in files():
        (OUT / name).write_bytes(content)
        ref = decode_audio(str(OUT / name))
        ints = np.round(np.asarray(ref, dtype=np.float64) * 32768).astype("<i2")
        rows.append(f"{name}\t{len(ref)}\t{hashlib.sha256(ints.tobytes()).hexdigest()}")
        print(name, len(content), "bytes,", len(ref), "samples")
    (OUT / "reference.tsv").write_text("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
