package io.auricle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The job takes the CLI's transcription flags with the same meaning (one shared TranscribeFlags); no Spark needed. */
class JobFlagsTest {
    /** What only the CLI has: where and how it writes, and its progress printing. */
    static final Set<String> CLI_ONLY = Set.of("--output_dir", "-o", "--output_format", "-f", "--verbose",
            "--highlight_words", "--max_line_width", "--max_line_count", "--max_words_per_line");

    @Test
    void everyTranscriptionFlagOfTheCliIsAJobFlag() {
        Set<String> cli = new HashSet<>(new CommandLine(new Main()).getSubcommands().get("transcribe")
                .getCommandSpec().optionsMap().keySet());
        cli.removeAll(CLI_ONLY);
        Set<String> job = new CommandLine(new TranscribeJob()).getCommandSpec().optionsMap().keySet();
        cli.removeAll(job);
        assertEquals(Set.of(), cli, "CLI flags the job does not take");
    }

    @Test
    void flagsReachTheOptionsAndTheOptionsColumn() throws IOException {
        TranscribeJob job = new TranscribeJob();
        new CommandLine(job).parseArgs("--input", "in", "--output", "out", "--model", "tiny.en", "--beam_size", "5",
                "--vad_filter", "True", "--compression_ratio_threshold", "None", "--threads", "2", "--batch_size", "4",
                "--vad_min_silence_duration_ms", "500");
        TranscribeSettings settings = job.settings();
        assertEquals(5, settings.options().decoding().beamSize());
        assertTrue(Double.isNaN(settings.options().compressionRatioThreshold()));
        assertTrue(settings.options().vadFilter());
        assertEquals(4, settings.options().batchSize());
        assertEquals(500, settings.options().vadOptions().minSilenceDurationMs());
        assertEquals(2, settings.threads());
        JsonNode options = new ObjectMapper().readTree(settings.json());
        assertEquals(5, options.get("beam_size").asInt());
        assertTrue(options.get("compression_ratio_threshold").isNull());
        assertTrue(options.get("vad_filter").asBoolean());
        assertEquals(4, options.get("batch_size").asInt());
        assertEquals(500, options.get("vad_min_silence_duration_ms").asInt());
        assertTrue(!options.has("threads") && !options.has("model"), options.toString());
        assertEquals(TranscribeSettings.of("tiny.en", "--beam_size", "5", "--vad_filter", "True",
                "--compression_ratio_threshold", "None", "--batch_size", "4", "--vad_min_silence_duration_ms", "500").json(),
                settings.json(), "the DataFrame API's key is the job's");
    }

    @Test
    void aBadValueIsTheSameLineInTheJobAndTheCli() {
        String[] bad = {"--audio-ctx", "2000"};
        String cli = stderr(() -> Main.run(concat(new String[] {"transcribe", "x.wav"}, bad)), 2);
        String job = stderr(() -> TranscribeJob.run(concat(new String[] {"--input", "x", "--output", "y", "--model",
                "tiny.en"}, bad)), 2);
        assertEquals("auricle: --audio-ctx must be 0..1500, got 2000\n", cli);
        assertEquals(cli, job);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String stderr(Callable<Integer> run, int expectedExit) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(expectedExit, run.call());
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
