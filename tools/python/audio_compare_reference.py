"""Compares Auricle's decoded audio with faster-whisper's decode_audio (PyAV + swresample), file by file.

Runs `./auricle inspect --dump-samples` on the files, decodes the same files with
faster_whisper.audio.decode_audio, and prints per file: sample counts, max absolute sample error, SNR in dB
(reference power over difference power; "exact" when identical), and how many samples differ; then each
jfk variant's SNR against jfk.wav, decoded by both.
Also writes core/src/test/resources/audio/reference_decode.tsv (sample count, sha256 of the reference int16
samples, reference RMS) that AudioFileTest checks against.

Usage: $(tools/python/venv)/bin/python tools/python/audio_compare_reference.py [FILES...]
       (default: every audio file in ../shared/data/speech/jfk and the valid/truncated ones in edge_cases)
"""
import hashlib
import pathlib
import subprocess
import sys
import tempfile

import numpy as np
from faster_whisper.audio import decode_audio

ROOT = pathlib.Path(__file__).resolve().parents[2]
SPEECH = ROOT.parent / "shared" / "data" / "speech"
FIXTURE = ROOT / "core" / "src" / "test" / "resources" / "audio" / "reference_decode.tsv"


def default_files():
    files = []
    for set_name in ("jfk", "edge_cases"):
        for line in (SPEECH / set_name / "manifest.tsv").read_text().splitlines()[1:]:
            fields = line.split("\t")
            if set_name == "edge_cases" and fields[4] == "ERROR" and float(fields[2]) == 0:
                continue  # unreadable by design
            files.append(SPEECH / set_name / fields[1])
    return files


def snr_db(ref, test):
    n = min(len(ref), len(test))
    ref, test = ref[:n].astype(np.float64), test[:n].astype(np.float64)
    noise = np.sum((ref - test) ** 2)
    return float("inf") if noise == 0 else 10 * np.log10(np.sum(ref ** 2) / noise)


def print_variant_table(tmp):
    """What each jfk format costs: SNR against the 16-bit jfk.wav, for the reference and for us."""
    base_ref = decode_audio(str(SPEECH / "jfk" / "jfk.wav"))
    base_ours = np.fromfile(pathlib.Path(tmp) / "jfk.wav.f32", dtype="<f4")
    print(f"\n{'jfk variant vs jfk.wav':42} {'ref SNR dB':>10} {'ours SNR dB':>11}")
    for line in (SPEECH / "jfk" / "manifest.tsv").read_text().splitlines()[1:]:
        name = line.split("\t")[1]
        ref = decode_audio(str(SPEECH / "jfk" / name))
        ours = np.fromfile(pathlib.Path(tmp) / (name + ".f32"), dtype="<f4")
        print(f"{name:42} {snr_db(base_ref, ref):10.2f} {snr_db(base_ours, ours):11.2f}")


def main():
    files = [pathlib.Path(f) for f in sys.argv[1:]] or default_files()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([str(ROOT / "auricle"), "inspect", "--dump-samples", tmp, *map(str, files)],
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rows = []
        print(f"{'file':42} {'ref n':>8} {'ours n':>8} {'max err':>10} {'SNR dB':>8} {'differ':>8}")
        for f in files:
            ref = decode_audio(str(f))
            ours_path = pathlib.Path(tmp) / (f.name + ".f32")
            ours = np.fromfile(ours_path, dtype="<f4") if ours_path.exists() else np.zeros(0, np.float32)
            n = min(len(ref), len(ours))
            diff = ref[:n].astype(np.float64) - ours[:n]
            max_err = float(np.max(np.abs(diff))) if n else 0.0
            noise = float(np.sum(diff * diff))
            signal = float(np.sum(ref[:n].astype(np.float64) ** 2))
            snr = "exact" if noise == 0 and len(ref) == len(ours) else (
                f"{10 * np.log10(signal / noise):.1f}" if noise > 0 else "inf")
            differ = int(np.count_nonzero(diff))
            print(f"{f.name:42} {len(ref):8d} {len(ours):8d} {max_err:10.3g} {snr:>8} {differ:8d}")
            s16 = np.round(ref * 32768).astype("<i2")
            rms = float(np.sqrt(np.mean(ref.astype(np.float64) ** 2))) if len(ref) else 0.0
            rows.append(f"{f.parent.name}/{f.name}\t{len(ref)}\t{hashlib.sha256(s16.tobytes()).hexdigest()}\t{rms:.6f}")
        if not sys.argv[1:]:
            print_variant_table(tmp)
    if not sys.argv[1:]:
        FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        FIXTURE.write_text("file\tsamples\tsha256_s16\trms\n" + "\n".join(rows) + "\n")
        print(f"wrote {FIXTURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
