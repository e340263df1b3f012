package io.auricle.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.transcribe.TranscribeFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auricle transcribe}, in-process through {@link Main#run}: outputs, the verbose lines, refusals, exit codes. */
class TranscribeCommandTest {
    private static final Path SPEECH = Path.of(System.getProperty("auricle.speech.dir", "../../shared/data/speech"));

    @TempDir
    Path tmp;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void transcribesEachFileAndGoesOnPastABadOne() throws IOException {
        Path missing = tmp.resolve("missing.wav");
        CliRun r = run("transcribe", SPEECH.resolve("pocketsphinx/goforward.flac").toString(), missing.toString(),
                "--output_dir", tmp.toString());
        assertEquals(2, r.exit(), r.err());
        assertEquals("[00:00.000 --> 00:02.000]  Go forward 10 meters.\n", r.out());
        assertEquals("auricle: " + missing + ": no such file\n", r.err().replaceAll("(?m)^WARNING.*\n", ""));
        assertEquals("Go forward 10 meters.\n", Files.readString(tmp.resolve("goforward.txt")));
        for (String ext : new String[] {"vtt", "srt", "tsv", "json"}) {
            assertTrue(Files.isRegularFile(tmp.resolve("goforward." + ext)), ext);
        }
        assertArrayEquals(new String[] {"goforward.json", "goforward.srt", "goforward.tsv", "goforward.txt",
                "goforward.vtt"}, Files.list(tmp).map(p -> p.getFileName().toString()).sorted().toArray());
    }

    @Test
    void computeTypeInt8TranscribesAndAnUnknownTypeIsOneLine() {
        CliRun r = run("transcribe", SPEECH.resolve("pocketsphinx/goforward.flac").toString(), "--compute_type", "int8",
                "--output_format", "txt", "--output_dir", tmp.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("[00:00.000 --> 00:02.000]  Go forward 10 meters.\n", r.out());
        r = run("transcribe", "x.wav", "--compute_type", "int4");
        assertEquals(2, r.exit());
        assertEquals("auricle: unknown compute type 'int4' (choose default, float32, float16, int8 or q8_0)\n", r.err());
    }

    @Test
    void badBeamAndBestOfAreOneLine() {
        CliRun r = run("transcribe", "x.wav", "--beam_size", "0");
        assertEquals(2, r.exit());
        assertEquals("auricle: beam_size must be >= 1, got 0\n", r.err());
        r = run("transcribe", "x.wav", "--best_of", "0");
        assertEquals("auricle: best_of must be >= 1, got 0\n", r.err());
    }

    @Test
    void wordOptionsNeedWordTimestamps() {
        CliRun r = run("transcribe", "x.wav", "--max_line_width", "40");
        assertEquals(2, r.exit());
        assertEquals("auricle: --max_line_width requires --word_timestamps True\n", r.err());
        r = run("transcribe", "x.wav", "--output_format", "doc");
        assertEquals("auricle: unknown output format 'doc' (choose txt, vtt, srt, tsv, json or all)\n", r.err());
    }

    @Test
    void temperaturesFollowTheIncrement() {
        TranscribeFlags flags = TranscribeFlags.parse("--temperature", "0", "--temperature_increment_on_fallback", "0.2");
        assertEquals(6, flags.temperatures().length);
        assertEquals(1.0, flags.temperatures()[5], 1e-9);
        assertArrayEquals(new double[] {0.0}, TranscribeFlags.parse("--temperature_increment_on_fallback", "None").temperatures());
    }

    @Test
    void progressLineShowsPositionSpeedAndEta() {
        assertEquals("a.wav  00:30/01:00 [############            ] 3.0x real time, ETA 00:10",
                ProgressBar.line("a.wav", 30, 60, 10));
    }

    /** The segments faster-whisper prints for jfk with tiny.en (see core's WhisperEngineTest). */
    @Test
    void transcribesJfkWithTimestamps() {
        CliRun r = run("transcribe", SPEECH.resolve("jfk/jfk.flac").toString(), "--output_dir", tmp.toString(),
                "--output_format", "txt");
        assertEquals(0, r.exit(), r.err());
        assertEquals("""
                [00:00.000 --> 00:07.740]  And so my fellow Americans ask not what your country can do for you
                [00:07.740 --> 00:10.740]  ask what you can do for your country
                """, r.out());
    }

    @Test
    void unknownModelIsOneClearLine() {
        CliRun r = run("transcribe", SPEECH.resolve("jfk/jfk.wav").toString(), "--model", "no-such-model");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("auricle: unknown model 'no-such-model': give a model file or directory, or one of "),
                r.err());
    }

    @Test
    void badBatchAndVadOptionsAreOneLine() {
        CliRun r = run("transcribe", "x.wav", "--batch_size", "0");
        assertEquals(2, r.exit());
        assertEquals("auricle: --batch_size must be >= 1, got 0\n", r.err());
        r = run("transcribe", "x.wav", "--vad_threshold", "1.5");
        assertEquals("auricle: VAD threshold must be in [0, 1], got 1.5\n", r.err());
        r = run("transcribe", "x.wav", "--vad_max_speech_duration_s", "0");
        assertEquals("auricle: VAD max_speech_duration_s must be positive, got 0.0\n", r.err());
    }

    /** A damaged file's warning is one line, as the CLI's own messages, and the decodable part is transcribed. */
    @Test
    void truncatedFileWarnsInOneLine() {
        Main.oneLineLogs();
        Path f = SPEECH.resolve("edge_cases/corrupt_truncated_mid.mp3");
        CliRun r = run("transcribe", f.toString(), "--model", "tiny.en", "--output_format", "txt",
                "--output_dir", tmp.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("auricle: warning: " + f + ": truncated or damaged mp3 audio: decoded 3.999 s of the 8.072 s the"
                + " header declares\n", r.err().replaceAll("(?m)^WARNING: Using incubator.*\n", ""));
        assertEquals("[00:00.000 --> 00:04.000]  On March 3rd, 1999 at 10 45pm.\n", r.out());
    }

    /** A flag picocli cannot parse is one line too, with a hint, not the whole usage. */
    @Test
    void unparsableFlagsAreOneLine() {
        CliRun r = run("transcribe", "x.wav", "--batch_size", "x");
        assertEquals(2, r.exit());
        assertEquals("auricle: Invalid value for option '--batch_size': 'x' is not an int"
                + " (see 'auricle transcribe --help')\n", r.err());
        r = run("transcribe", "x.wav", "--vad_filter", "maybe");
        assertEquals("auricle: Invalid value for option '--vad_filter': expected True or False, got 'maybe'"
                + " (see 'auricle transcribe --help')\n", r.err());
        r = run("transcribe", "x.wav", "--beam_size", "2x");
        assertEquals("auricle: Invalid value for option '--beam_size': '2x' is not a whole number or None"
                + " (see 'auricle transcribe --help')\n", r.err());
        r = run("transcribe", "x.wav", "--vad_max_speech_duration_s", "long");
        assertEquals("auricle: Invalid value for option '--vad_max_speech_duration_s': 'long' is not seconds or inf"
                + " (see 'auricle transcribe --help')\n", r.err());
        r = run("transcribe", "x.wav", "--word_timestamp", "True");
        assertEquals(2, r.exit());
        assertEquals("auricle: Unknown option: '--word_timestamp'; did you mean --word_timestamps?"
                + " (see 'auricle transcribe --help')\n", r.err());
    }

    @Test
    void vadFlagsFillFasterWhispersVadOptions() {
        TranscribeCommand c = new TranscribeCommand();
        new picocli.CommandLine(c).parseArgs("x.wav", "--batch_size", "8", "--vad_min_silence_duration_ms", "500",
                "--vad_max_speech_duration_s", "inf", "--vad_neg_threshold", "0.2");
        var options = c.options();
        assertEquals(8, options.batchSize());
        assertEquals(new io.auricle.vad.VadOptions(0.5, 0.2, 0, Double.POSITIVE_INFINITY, 500, 400), options.vadOptions());
        TranscribeCommand plain = new TranscribeCommand();
        new picocli.CommandLine(plain).parseArgs("x.wav");
        assertEquals(io.auricle.vad.VadOptions.defaults(), plain.options().vadOptions());
        assertEquals(1, plain.options().batchSize());
    }

    @Test
    void audioContextOutOfRange() {
        CliRun r = run("transcribe", SPEECH.resolve("jfk/jfk.wav").toString(), "--audio-ctx", "2000");
        assertEquals(2, r.exit());
        assertEquals("auricle: --audio-ctx must be 0..1500, got 2000\n", r.err());
    }

    @Test
    void formatsTimestampsAsWhisper() {
        assertEquals("00:07.740", TranscribeCommand.timestamp(7.74));
        assertEquals("01:01:01.001", TranscribeCommand.timestamp(3661.001));
    }
}
