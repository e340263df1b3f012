"""Writes small WebM, Matroska, MP4 and ADPCM WAV files (audio-only and audio behind a video track) made from 0.5 s of
jfk.wav with PyAV's bundled FFmpeg encoders, plus faster-whisper's decode_audio of each as the golden
reference for ContainerTest (core/src/test/resources/audio/containers/reference.tsv).

Usage: $(tools/python/venv)/bin/python tools/python/audio_make_container_fixtures.py
"""
import fractions
import hashlib
import pathlib

import av
import numpy as np
from faster_whisper.audio import decode_audio

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "core" / "src" / "test" / "resources" / "audio" / "containers"
JFK = ROOT.parent / "shared" / "data" / "speech" / "jfk" / "jfk.wav"

# (file, audio codec, audio rate, channels, video codec or None)
FILES = [
    ("opus_48k.webm", "libopus", 48000, 1, None),
    ("vorbis_44k_stereo.webm", "vorbis", 44100, 2, None),
    ("video_then_flac_22k.mkv", "flac", 22050, 1, "mjpeg"),
    ("video_then_aac_44k_stereo.mp4", "aac", 44100, 2, "mpeg4"),
    # A WAV codec the Java reader leaves to FFmpeg.
    ("adpcm_ms_22k.wav", "adpcm_ms", 22050, 1, None),
]


def jfk_piece():
    src = np.frombuffer(JFK.read_bytes()[44:], dtype="<i2")
    return src[32000:40000]


def write(path, codec, rate, channels, video):
    pcm16k = jfk_piece()
    with av.open(str(path), "w") as out:
        vstream = None
        if video:
            vstream = out.add_stream(video, rate=10)
            vstream.width, vstream.height, vstream.pix_fmt = 16, 16, "yuvj420p" if video == "mjpeg" else "yuv420p"
        # FFmpeg's native Vorbis encoder counts as "experimental".
        options = {"strict": "experimental"} if codec == "vorbis" else {}
        astream = out.add_stream(codec, rate=rate, options=options)
        astream.layout = "stereo" if channels == 2 else "mono"
        # Build the input at the target rate with PyAV's resampler so the encoder gets its own rate.
        frame = av.AudioFrame.from_ndarray(pcm16k.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = 16000
        resampler = av.AudioResampler(format=astream.codec_context.codec.audio_formats[0].name,
                                      layout=astream.layout.name, rate=rate,
                                      frame_size=astream.codec_context.frame_size or 1024)
        if video:
            for i in range(5):
                img = av.VideoFrame.from_ndarray(np.full((16, 16, 3), 40 * i, np.uint8), format="rgb24")
                for packet in vstream.encode(img.reformat(format=vstream.pix_fmt)):
                    out.mux(packet)
            for packet in vstream.encode(None):
                out.mux(packet)
        written = 0
        for f in resampler.resample(frame) + resampler.resample(None):
            f.pts, f.time_base = written, fractions.Fraction(1, rate)
            written += f.samples
            for packet in astream.encode(f):
                out.mux(packet)
        for packet in astream.encode(None):
            out.mux(packet)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rows = ["file\tsamples\tsha256_s16"]
    for name, codec, rate, channels, video in FILES:
        write(OUT / name, codec, rate, channels, video)
        ref = decode_audio(str(OUT / name))
        ints = np.round(np.asarray(ref, dtype=np.float64) * 32768).astype("<i2")
        rows.append(f"{name}\t{len(ref)}\t{hashlib.sha256(ints.tobytes()).hexdigest()}")
        print(name, (OUT / name).stat().st_size, "bytes,", len(ref), "samples")
    (OUT / "reference.tsv").write_text("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
