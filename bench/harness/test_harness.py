"""Cheap checks of the harness (no engine runs): python3 -m unittest discover -s bench/harness

The normaliser checks need openai-whisper's normalisers, which bench/harness/venv unpacks; they are skipped
where that environment is absent. The speech-set checks need ../shared/data/speech.
"""
import os
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import engines  # noqa: E402
import scoring  # noqa: E402
import speechsets  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SPEECH = Path(os.environ.get("AURICLE_SPEECH_DIR", ROOT / ".." / "shared" / "data" / "speech")).resolve()
NORMALIZERS = Path(os.environ.get("AURICLE_CACHE", Path.home() / ".cache" / "auricle")) / "bench-venv" / \
    "whisper-normalizers"


class EditDistanceTest(unittest.TestCase):
    def test_counts_substitutions_deletions_and_insertions(self):
        self.assertEqual(scoring.edit_distance("a b c".split(), "a b c".split()), 0)
        self.assertEqual(scoring.edit_distance("a b c".split(), "a x c".split()), 1)
        self.assertEqual(scoring.edit_distance("a b c".split(), "a c".split()), 1)
        self.assertEqual(scoring.edit_distance("a b c".split(), "a b c d e".split()), 2)
        self.assertEqual(scoring.edit_distance([], "a b".split()), 2)
        self.assertEqual(scoring.edit_distance("a b".split(), []), 2)

    def test_corpus_wer_pools_words_and_counts_no_speech_separately(self):
        total = scoring.score([("a b c d", "a b c"), ("e f", "e g"), ("", "thank you"), ("x", None)],
                              lambda text, language: text.split())
        self.assertEqual((total.errors, total.ref_words, total.clips), (3, 7, 3))
        self.assertAlmostEqual(total.wer, 3 / 7)
        self.assertEqual((total.no_speech_clips, total.no_speech_words), (1, 2))


@unittest.skipUnless((NORMALIZERS / "english.py").is_file(), "no bench venv (bench/harness/venv)")
class NormaliserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        try:
            cls.normalize = staticmethod(scoring.load_english_normalizer(NORMALIZERS))
        except ImportError as e:  # regex / more-itertools live in the bench venv
            raise unittest.SkipTest(f"normaliser dependencies missing: {e}")

    def test_case_punctuation_and_spelling(self):
        self.assertEqual(self.normalize("And so, my fellow Americans, ask not!"),
                         "and so my fellow americans ask not")
        self.assertEqual(self.normalize("The colour of honour"), "the color of honor")

    def test_numbers_and_currency(self):
        # openai-whisper's own outputs: spelled digits join into one number, written ones stay apart.
        self.assertEqual(self.normalize("two nine three four zero"), "29340")
        self.assertEqual(self.normalize("2 9 3 4 0"), "2 9 3 4 0")
        self.assertEqual(self.normalize("ten of clubs"), "10 of clubs")
        self.assertEqual(self.normalize("42 people paid $17.50 each."), "42 people paid $17.50 each")
        self.assertEqual(self.normalize("On March 3rd, 1999, at 10:45 pm"), "on march 3rd 1999 at 10 45 pm")
        self.assertEqual(self.normalize("Mr. Smith"), "mister smith")

    def test_other_languages_use_the_basic_normaliser_and_unspaced_scripts_count_characters(self):
        words = scoring.load_normalizers(NORMALIZERS)
        self.assertEqual(words("Hij zei: 'Goedemorgen!'", "nl"), ["hij", "zei", "goedemorgen"])
        self.assertEqual(words("東京に行きます。", "ja"), ["東", "京", "に", "行", "き", "ま", "す"])
        self.assertEqual(words("Mr. Smith", "en"), ["mister", "smith"])


@unittest.skipUnless((SPEECH / "jfk" / "manifest.tsv").is_file(), "no speech data")
class SpeechSetsTest(unittest.TestCase):
    def test_loads_a_set_and_leaves_out_corrupt_files(self):
        jfk = speechsets.load(SPEECH, "jfk")
        self.assertEqual(len(jfk.clips), 15)
        self.assertTrue(all(c.path.is_file() for c in jfk.clips))
        edge = speechsets.load(SPEECH, "edge_cases")
        self.assertNotIn("corrupt_empty", [c.id for c in edge.clips])

    def test_glob_and_no_speech_selections(self):
        self.assertEqual([c.id for c in speechsets.load(SPEECH, "edge_cases/declaration*").clips],
                         ["declaration", "declaration_sil20start_sil20mid"])
        no_speech = speechsets.load(SPEECH, "edge_cases/:nospeech")
        self.assertEqual([c.id for c in no_speech.clips],
                         ["silence_30s", "white_noise_m40dbfs_30s", "pink_noise_5s", "short_0p02s"])
        self.assertTrue(all(c.is_no_speech for c in no_speech.clips))

    def test_groups_expand_in_order(self):
        self.assertEqual(speechsets.expand(["short", "jfk", "long"]),
                         [("jfk", True), ("pocketsphinx", True), ("ljspeech_lj001", True),
                          ("ljspeech_lj001_longform", True), ("edge_cases/declaration*", True)])
        self.assertEqual(speechsets.expand(["jfk", "dev"]),
                         [("jfk", True), ("pocketsphinx", False), ("ljspeech_lj001", False),
                          ("ljspeech_lj001_longform", False), ("mfa_tests", False), ("edge_cases", False),
                          ("fillets_nl", False), ("multilingual_leopard", False)])

    def test_a_multilingual_model_keeps_every_language(self):
        self.assertEqual(len(speechsets.load(SPEECH, "multilingual_leopard").clips), 3)
        everything = speechsets.load(SPEECH, "multilingual_leopard", languages=None)
        self.assertEqual(len(everything.clips), 10)
        self.assertIn("ja", {c.language for c in everything.clips})
        with self.assertRaises(speechsets.NoClips):
            speechsets.load(SPEECH, "fillets_nl")


# Stands in for ./auricle: answers as `auricle transcribe` does (segments on stdout; with the full CLI also
# <name>.json in --output_dir), with "text of <name>" as the transcript of a file named <name>.<ext>.
FAKE_AURICLE = textwrap.dedent("""\
    #!/usr/bin/env python3
    import json, os, sys
    FULL = {full}
    args = sys.argv[2:]
    if args == ["--help"]:
        print("Usage: auricle transcribe [--model=NAME|DIR] [--audio-ctx=N] " + ("FILE..." if FULL else "FILE"))
        if FULL:
            print("  --output_format=F --output_dir=DIR --threads=N --beam_size=N --language=L")
        sys.exit(0)
    if not FULL and any(a.startswith("--") and a not in ("--model",) for a in args):
        sys.exit("Unknown option")
    files = args[:args.index("--model")]
    language = files[files.index("--language") + 1] if "--language" in files else "en"
    files = [f for i, f in enumerate(files) if f != "--language" and (i == 0 or files[i - 1] != "--language")]
    if not FULL and len(files) != 1:
        sys.exit("Unmatched arguments")
    for f in files:
        name = os.path.splitext(os.path.basename(f))[0]
        print("[00:00.000 --> 00:01.000]  text of " + name, flush=True)
        if FULL:
            out = args[args.index("--output_dir") + 1]
            with open(os.path.join(out, name + ".json"), "w") as j:
                json.dump({{"text": " text of " + name + " in " + language, "segments": [], "language": language}}, j)
    """)


class MergeTest(unittest.TestCase):
    @staticmethod
    def raw(command, rows):
        meta = {"command": command, "started": "2026-12-06 10:00", "finished": "2026-12-06 10:10", "threads": 2,
                "model": "tiny.en", "machine": {"load": 1.0, "load_end": 1.0}, "versions": {}}
        return {"meta": meta, "results": [dict(set=s, decode=d, engine=e) for s, d, e in rows]}

    def test_rows_of_a_set_group_by_decoding_with_auricle_first_then_run_order(self):
        import bench
        first = self.raw("run 1", [("jfk", "greedy", "auricle"), ("jfk", "greedy", "faster-whisper"),
                                   ("jfk", "beam5", "auricle"), ("jfk", "beam5", "faster-whisper"),
                                   ("long", "greedy", "auricle")])
        second = self.raw("run 2", [("jfk", "greedy", "openai-whisper"), ("jfk", "beam5", "openai-whisper")])
        _, rows = bench.merge([first, second])
        self.assertEqual([(r["set"], r["decode"], r["engine"]) for r in rows], [
            ("jfk", "greedy", "auricle"), ("jfk", "greedy", "faster-whisper"), ("jfk", "greedy", "openai-whisper"),
            ("jfk", "beam5", "auricle"), ("jfk", "beam5", "faster-whisper"), ("jfk", "beam5", "openai-whisper"),
            ("long", "greedy", "auricle")])


class AuricleAdapterTest(unittest.TestCase):
    def run_fake(self, full: bool, decode="greedy", languages=("en", "en")):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "repo"
            root.mkdir()
            (root / "auricle").write_text(FAKE_AURICLE.format(full=full))
            (root / "auricle").chmod(0o755)
            audio = Path(tmp) / "audio"
            audio.mkdir()
            # Two inputs with one stem, as in the jfk set: the adapter must keep their outputs apart.
            clips = tuple(speechsets.Clip("t", cid, audio / name, 1.0, lang, "x")
                          for (cid, name), lang in zip([("a", "jfk.wav"), ("b", "jfk.flac")], languages))
            for c in clips:
                c.path.write_bytes(b"")
            work = Path(tmp) / "work"
            work.mkdir()
            cli = engines.auricle_cli(root)
            run = engines.run_auricle(engines.ENGINES["auricle"], speechsets.SpeechSet("t", clips), decode, 2,
                                      {"auricle": "tiny.en"}, root, work, cli)
        return cli, run

    def test_full_cli_runs_all_clips_in_one_process_and_reads_each_json(self):
        cli, run = self.run_fake(full=True)
        self.assertTrue(cli.many_files and cli.writes_json)
        self.assertIsNone(run.error)
        self.assertEqual(run.exit_code, 0)
        self.assertEqual(run.texts, {"a": "text of a in en", "b": "text of b in en"})
        self.assertEqual(run.command[run.command.index("--threads") + 1], "2")
        self.assertEqual(run.command[run.command.index("--beam_size") + 1], "1")
        self.assertEqual(run.notes, [])
        self.assertGreater(run.peak_rss_mb, 1)
        self.assertIsNotNone(run.first_segment_s)
        self.assertLessEqual(run.first_segment_s, run.wall_s)

    def test_clips_in_different_languages_get_one_process_per_language_told_its_language(self):
        cli, run = self.run_fake(full=True, languages=("en", "nl"))
        self.assertIsNone(run.error)
        self.assertEqual(run.texts, {"a": "text of a in en", "b": "text of b in nl"})
        self.assertEqual(run.notes, ["one process per language (2): wall and CPU times summed"])

    def test_basic_cli_gets_one_process_per_clip_and_its_printed_segments(self):
        cli, run = self.run_fake(full=False)
        self.assertFalse(cli.many_files or cli.writes_json)
        self.assertIsNone(run.error)
        self.assertEqual(run.texts, {"a": "text of a", "b": "text of b"})
        self.assertNotIn("--threads", run.command)
        self.assertEqual(len(run.notes), 3)
        self.assertIsNotNone(run.first_segment_s)

    def test_beam_search_is_refused_until_the_cli_has_beam_size(self):
        _, run = self.run_fake(full=False, decode="beam5")
        self.assertEqual(run.error, "auricle transcribe has no --beam_size yet")
        self.assertEqual(run.texts, {})


# A stand-in for whisper-cli: for each "-f FILE -of BASE" writes BASE.txt and prints a segment line; like the
# real one it reports a file it cannot read (here: .m4a) and goes on with the next.
FAKE_WHISPER_CLI = r"""#!/usr/bin/env python3
import sys
args = sys.argv[1:]
files = [args[i + 1] for i, a in enumerate(args) if a == "-f"]
outs = [args[i + 1] for i, a in enumerate(args) if a == "-of"]
for f, o in zip(files, outs):
    if f.endswith(".m4a"):
        print("error: failed to read audio file '" + f + "'", file=sys.stderr)
        continue
    print("[00:00:00.000 --> 00:00:01.000]   text of " + f.rsplit("/", 1)[-1], flush=True)
    open(o + ".txt", "w").write(" text of\n" + f.rsplit("/", 1)[-1] + "\n")
"""


class WhisperCliAdapterTest(unittest.TestCase):
    def test_runs_the_clips_in_one_process_and_reads_each_txt(self):
        with tempfile.TemporaryDirectory() as tmp:
            binary = Path(tmp) / "whisper-cli"
            binary.write_text(FAKE_WHISPER_CLI)
            binary.chmod(0o755)
            audio = Path(tmp) / "audio"
            audio.mkdir()
            clips = tuple(speechsets.Clip("t", cid, audio / name, 1.0, "en", "x")
                          for cid, name in [("a", "jfk.wav"), ("b", "jfk.flac"), ("c", "jfk.m4a")])
            for c in clips:
                c.path.write_bytes(b"")
            work = Path(tmp) / "work"
            work.mkdir()
            run = engines.run_whisper_cli(engines.ENGINES["whispercpp-cli"], speechsets.SpeechSet("t", clips),
                                          "beam5", 2, {"ggml": "/models/ggml-tiny.en.bin"}, str(binary), work)
        self.assertEqual(run.exit_code, 0)
        self.assertIsNone(run.error)
        self.assertEqual(run.texts, {"a": "text of a.wav", "b": "text of b.flac"})
        self.assertEqual(run.notes, ["1 clips without a result (whisper-cli cannot read them: jfk.m4a)"])
        self.assertEqual(run.command[:14], [str(binary), "-m", "/models/ggml-tiny.en.bin", "-t", "2", "-l", "en",
                                            "-bs", "5", "-bo", "5", "-sns", "-otxt", "-np"])
        self.assertIsNotNone(run.first_segment_s)
        self.assertLessEqual(run.first_segment_s, run.wall_s)

    def test_the_q8_0_engines_read_the_q8_0_file(self):
        models = {"ggml": "/m/ggml-tiny.en.bin", "ggml-q8_0": "/m/ggml-tiny.en-q8_0.bin"}
        self.assertEqual(models[engines.ggml_key(engines.ENGINES["whispercpp-cli-q8_0"])], "/m/ggml-tiny.en-q8_0.bin")
        self.assertEqual(models[engines.ggml_key(engines.ENGINES["whispercpp-q8_0"])], "/m/ggml-tiny.en-q8_0.bin")
        self.assertEqual(models[engines.ggml_key(engines.ENGINES["whispercpp"])], "/m/ggml-tiny.en.bin")


# A stand-in for the openai-whisper environment's interpreter: records its arguments, answers as worker.py does.
FAKE_PYTHON = """#!/usr/bin/env python3
import json, sys
args = sys.argv[1:]
open(sys.argv[0] + ".args", "w").write(json.dumps(args))
clips = json.load(open(args[args.index("--clips") + 1]))
print("SEGMENT", flush=True)
json.dump({c["id"]: {"text": "words of " + c["id"], "segments": []} for c in clips},
          open(args[args.index("--out") + 1], "w"))
"""


class OpenaiWhisperAdapterTest(unittest.TestCase):
    def test_runs_the_worker_with_its_own_interpreter_on_the_pt_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            python = Path(tmp) / "python"
            python.write_text(FAKE_PYTHON)
            python.chmod(0o755)
            clips = tuple(speechsets.Clip("t", cid, Path(tmp) / (cid + ".wav"), 1.0, "en", "x") for cid in ("a", "b"))
            work = Path(tmp) / "work"
            work.mkdir()
            run = engines.run_peer(engines.ENGINES["openai-whisper"], speechsets.SpeechSet("t", clips), "beam5", 2,
                                   {"ct2": "/m/tiny.en", "ggml": "/m/ggml.bin", "pt": "/m/openai-tiny.en.pt"},
                                   str(python), work)
            args = __import__("json").loads(Path(str(python) + ".args").read_text())
        self.assertIsNone(run.error)
        self.assertEqual(run.texts, {"a": "words of a", "b": "words of b"})
        self.assertEqual(args[1:8], ["openai", "--model", "/m/openai-tiny.en.pt", "--threads", "2", "--beam", "5"])
        self.assertTrue(args[0].endswith("worker.py"))

    def test_transformers_names_map_back_to_openai_whispers(self):
        sys.path.insert(0, str(ROOT / "tools" / "python"))
        from openai_checkpoint import openai_name
        # transformers' names as `auricle convert --to safetensors` writes them (SafetensorsWriter.hfName)
        for hf, openai in [
                ("model.encoder.embed_positions.weight", "encoder.positional_embedding"),
                ("model.decoder.embed_positions.weight", "decoder.positional_embedding"),
                ("model.decoder.embed_tokens.weight", "decoder.token_embedding.weight"),
                ("model.encoder.layer_norm.bias", "encoder.ln_post.bias"),
                ("model.decoder.layer_norm.weight", "decoder.ln.weight"),
                ("model.encoder.layers.3.self_attn.q_proj.weight", "encoder.blocks.3.attn.query.weight"),
                ("model.encoder.layers.0.self_attn_layer_norm.bias", "encoder.blocks.0.attn_ln.bias"),
                ("model.decoder.layers.1.encoder_attn.k_proj.weight", "decoder.blocks.1.cross_attn.key.weight"),
                ("model.decoder.layers.1.encoder_attn.out_proj.bias", "decoder.blocks.1.cross_attn.out.bias"),
                ("model.decoder.layers.2.encoder_attn_layer_norm.weight", "decoder.blocks.2.cross_attn_ln.weight"),
                ("model.decoder.layers.2.self_attn.v_proj.bias", "decoder.blocks.2.attn.value.bias"),
                ("model.encoder.layers.1.final_layer_norm.weight", "encoder.blocks.1.mlp_ln.weight"),
                ("model.encoder.layers.1.fc1.weight", "encoder.blocks.1.mlp.0.weight"),
                ("model.decoder.layers.0.fc2.bias", "decoder.blocks.0.mlp.2.bias")]:
            self.assertEqual(openai_name(hf), openai, hf)


if __name__ == "__main__":
    unittest.main()
