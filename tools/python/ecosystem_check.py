"""Opt-in ecosystem check: files written by `auricle convert` load and transcribe jfk in each format's own runtime.

  (a) ggml f16, q8_0, q5_0, q4_0        -> whisper.cpp (pywhispercpp)
  (b) safetensors directory (f16)       -> Hugging Face transformers (WhisperProcessor, WhisperForConditionalGeneration)
  (c) .pt from the same weights         -> openai-whisper (written here with torch.save in openai's layout: dims +
                                           model_state_dict), then read back by Auricle's TorchReader and
                                           compared tensor by tensor with the safetensors it came from
  (d) ct2 directory (float16, int8)     -> CTranslate2 via faster-whisper; and ctranslate2's own converter run on
                                           the (b) directory must write the same model.bin bytes

Every runtime decodes greedily (temperature 0, one beam). The reference text is faster-whisper's on the original
CTranslate2 model; a row passes when its words are the same (case and punctuation aside: whisper.cpp decodes with
timestamps and splits segments differently, so its punctuation may differ). Not part of bin/test (needs torch: several GB).

Run: $(tools/python/eco-venv)/bin/python tools/python/ecosystem_check.py [--model tiny.en] [--work DIR]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import soundfile

from openai_checkpoint import write_pt

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("AURICLE_CACHE", Path.home() / ".cache/auricle"))
SPEECH = Path(os.environ.get("AURICLE_SPEECH_DIR", ROOT.parent / "shared/data/speech"))
THREADS = 2


JAVA_CMD = []


def auricle(*args):
    """Runs the CLI (./auricle builds it once; then its jar is run directly, so later source edits do not rebuild
    it mid-run); returns its stdout."""
    if not JAVA_CMD:
        built = subprocess.run([str(ROOT / "auricle"), "--version"], capture_output=True, text=True)
        if built.returncode != 0:
            sys.exit("auricle failed to build: " + built.stderr.strip())
        java = subprocess.run([str(ROOT / "bin/find-jdk")], capture_output=True, text=True, check=True).stdout.strip()
        JAVA_CMD.extend([java + "/bin/java", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                         "-XX:+UseParallelGC", "-cp", "%s:%s/*" % (ROOT / "cli/target/auricle-cli.jar", ROOT / "cli/target/lib"),
                         "io.auricle.cli.Main"])
    done = subprocess.run(JAVA_CMD + list(map(str, args)), capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("auricle %s failed: %s" % (" ".join(map(str, args)), done.stderr.strip()))
    return done.stdout.strip()


def faster_whisper(model_dir, audio):
    from faster_whisper import WhisperModel
    model = WhisperModel(str(model_dir), device="cpu", compute_type="default", cpu_threads=THREADS)
    segments, _ = model.transcribe(audio, beam_size=1, temperature=0.0, language="en", vad_filter=False)
    return "".join(s.text for s in segments)


def whisper_cpp(ggml_file, audio):
    from pywhispercpp.model import Model
    model = Model(str(ggml_file), n_threads=THREADS, print_progress=False, print_realtime=False,
                  redirect_whispercpp_logs_to=None)
    return " ".join(s.text for s in model.transcribe(audio, language="en", temperature=0.0))


def transformers_text(hf_dir, audio):
    import torch
    from transformers import WhisperForConditionalGeneration, WhisperProcessor
    torch.set_num_threads(THREADS)
    processor = WhisperProcessor.from_pretrained(str(hf_dir))
    model = WhisperForConditionalGeneration.from_pretrained(str(hf_dir), torch_dtype=torch.float32).eval()
    features = processor(audio, sampling_rate=16000, return_tensors="pt").input_features
    with torch.no_grad():
        ids = model.generate(features, num_beams=1, do_sample=False)
    return processor.batch_decode(ids, skip_special_tokens=True)[0]


def openai_whisper(pt_file, audio):
    import torch
    import whisper
    torch.set_num_threads(THREADS)
    model = whisper.load_model(str(pt_file), device="cpu")
    result = model.transcribe(audio, language="en", temperature=0.0, beam_size=None, fp16=False,
                              condition_on_previous_text=False)
    return result["text"]


def same_tensors(a_dir, b_dir):
    """Whether two safetensors directories hold the same names, shapes, dtypes and bytes."""
    from safetensors.numpy import load_file
    a, b = load_file(str(a_dir / "model.safetensors")), load_file(str(b_dir / "model.safetensors"))
    return a.keys() == b.keys() and all(a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k]) for k in a)


def same_as_ct2_converter(hf_dir, ours, out, quantization):
    """ctranslate2's own converter (ct2-transformers-converter's code) run on the safetensors directory of (b)."""
    import ctranslate2
    ctranslate2.converters.TransformersConverter(str(hf_dir)).convert(str(out), quantization=quantization, force=True)
    return (out / "model.bin").read_bytes() == (ours / "model.bin").read_bytes()


def norm(text):
    return re.sub(r"\s+", " ", text).strip()


def words(text):
    """The words, for comparing runtimes whose segmenting and punctuation differ (whisper.cpp decodes with
    timestamps, the others here without)."""
    return re.sub(r"[^\w\s']", " ", text).lower().split()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--work", type=Path, default=None, help="where converted files go (default: the cache)")
    args = parser.parse_args()
    source = CACHE / "models" / args.model
    work = args.work or CACHE / "eco-check" / args.model
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    audio, rate = soundfile.read(str(SPEECH / "jfk/jfk.wav"), dtype="float32")
    assert rate == 16000 and audio.ndim == 1, (rate, audio.shape)

    reference = faster_whisper(source, audio)
    rows = [("reference", "original CTranslate2 " + args.model, "faster-whisper", reference, None)]

    def row(check, what, runtime, fn, *fn_args):
        start = time.time()
        try:
            text = fn(*fn_args)
        except Exception as e:  # a runtime refusing the file is a result to report, not a crash of the check
            text = "ERROR: %s: %s" % (type(e).__name__, str(e).splitlines()[0][:160])
        rows.append((check, what, runtime, text, words(text) == words(reference)))
        print("%-4s %-28s %-16s %5.1fs  %s" % (check, what, runtime, time.time() - start, text), file=sys.stderr)

    for qtype in ("f16", "q8_0", "q5_0", "q4_0"):
        out = work / ("ggml-%s-%s.bin" % (args.model, qtype))
        auricle("convert", "--model", source, "--to", "ggml", "--type", qtype, "-o", out)
        row("(a)", "ggml " + qtype, "whisper.cpp", whisper_cpp, out, audio)

    hf = work / "hf-f16"
    auricle("convert", "--model", source, "--to", "safetensors", "--type", "f16", "-o", hf)
    row("(b)", "safetensors f16", "transformers", transformers_text, hf, audio)

    pt_dir = work / "pt"
    pt_dir.mkdir()
    pt = pt_dir / (args.model + ".pt")
    write_pt(hf, pt)
    shutil.copy(source / "tokenizer.json", pt_dir / "tokenizer.json")  # a .pt has no vocabulary of its own
    row("(c)", ".pt (torch.save) f16", "openai-whisper", openai_whisper, pt, audio)
    back = work / "pt-back-hf"
    auricle("convert", "--model", pt, "--to", "safetensors", "--type", "f16", "-o", back)
    identical = same_tensors(hf, back)
    rows.append(("(c)", ".pt read back by TorchReader", "auricle", "tensors identical to the safetensors"
                 if identical else "TENSORS DIFFER", identical))

    for ctype in ("float16", "int8"):
        out = work / ("ct2-" + ctype)
        auricle("convert", "--model", source, "--to", "ct2", "--type", ctype, "-o", out)
        row("(d)", "ct2 " + ctype, "faster-whisper", faster_whisper, out, audio)
        try:
            # ctranslate2's "int8" keeps the unquantized tensors in the source's type; ours keeps float32: its int8_float32
            theirs = "int8_float32" if ctype == "int8" else ctype
            same = same_as_ct2_converter(hf, out, work / ("ct2-" + ctype + "-by-ctranslate2"), theirs)
            text = "model.bin byte-identical to ours" if same else "model.bin DIFFERS from ours"
        except Exception as e:
            same, text = False, "ERROR: %s: %s" % (type(e).__name__, str(e).splitlines()[0][:160])
        rows.append(("(d)", "ctranslate2's converter on (b), " + theirs, "ctranslate2", text, same))

    print("| check | file written by `auricle convert` | runtime | jfk text | same words as reference |")
    print("| --- | --- | --- | --- | --- |")
    for check, what, runtime, text, same in rows:
        print("| %s | %s | %s | %s | %s |" % (check, what, runtime, norm(text), "—" if same is None else
                                             ("yes" if same else "**no**")))
    return 0 if all(same is not False for *_, same in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
