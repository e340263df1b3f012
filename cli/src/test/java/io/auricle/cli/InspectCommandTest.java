package io.auricle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auricle inspect}, run in-process through {@link Main#run}: output, warnings and exit codes. */
class InspectCommandTest {
    private static final Path SPEECH = Path.of(System.getProperty("auricle.speech.dir", "../../shared/data/speech"));

    @TempDir
    Path tmp;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void describesAFile() {
        Path f = SPEECH.resolve("jfk/jfk_44k_stereo.wav");
        CliRun r = run("inspect", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(f + "\n"
                + "  format:    wav\n"
                + "  codec:     pcm_s16le\n"
                + "  rate:      44100 Hz\n"
                + "  channels:  2\n"
                + "  duration:  11.000 s\n"
                + "  decoded:   11.000 s (176000 samples at 16000 Hz mono), peak 0.7827, rms -16.9 dBFS\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void badFileIsOneLineAndExitTwo() {
        Path f = SPEECH.resolve("edge_cases/corrupt_random_bytes.wav");
        CliRun r = run("inspect", f.toString());
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertEquals("auricle: " + f + ": not a recognised audio or video file (Invalid data found when processing input)\n", r.err());
    }

    @Test
    void verboseShowsTheStackTrace() {
        CliRun r = run("inspect", "--verbose", tmp.resolve("missing.flac").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("io.auricle.AuricleException: " + tmp.resolve("missing.flac") + ": no such file"), r.err());
        assertTrue(r.err().contains("\tat io.auricle.audio.AudioFile"), r.err());
    }

    @Test
    void goodFilesStillPrintWhenOneIsBad() {
        Path good = SPEECH.resolve("edge_cases/short_0p02s_16k.flac");
        CliRun r = run("inspect", tmp.toString(), good.toString());
        assertEquals(2, r.exit());
        assertTrue(r.out().startsWith(good + "\n  format:    flac\n"), r.out());
        assertEquals("auricle: " + tmp + ": is a directory, not an audio file\n", r.err());
    }

    @Test
    void truncatedFileWarnsAndSucceeds() {
        Path f = SPEECH.resolve("edge_cases/corrupt_truncated_mid.mp3");
        CliRun r = run("inspect", f.toString());
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("  decoded:   3.999 s (63982 samples at 16000 Hz mono)"), r.out());
        assertEquals("auricle: warning: " + f
                + ": truncated or damaged mp3 audio: decoded 3.999 s of the 8.072 s the header declares\n", r.err());
    }

    @Test
    void writesTheSpectrogramAndTheSamples() throws IOException {
        Path png = tmp.resolve("mel.png");
        Path f = SPEECH.resolve("jfk/jfk.wav");
        CliRun r = run("inspect", f.toString(), "--png", png.toString(), "--dump-samples", tmp.toString());
        assertEquals(0, r.exit(), r.err());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1100, image.getWidth(), "one column per 10 ms frame");
        assertEquals(240, image.getHeight(), "80 mel bins, 3 pixels each");
        // Speech at 0.4 s is loud in the low bins; the top bins before speech starts are near the quietest colour.
        assertTrue(brightness(image.getRGB(40, 230)) > brightness(image.getRGB(5, 2)));
        assertEquals(176000L * 4, Files.size(tmp.resolve("jfk.wav.f32")));
    }

    @Test
    void noFrameNoPicture() {
        Path png = tmp.resolve("empty.png");
        Path empty = Path.of(System.getProperty("user.dir")).resolve("../core/src/test/resources/audio/wav/s16_16k_empty.wav");
        CliRun r = run("inspect", empty.toString(), "--png", png.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("  png:       none (too short for one mel frame)"), r.out());
        assertTrue(Files.notExists(png));
    }

    @Test
    void ffmpegsOwnLogStaysOffTheTerminal() throws Exception {
        // FFmpeg writes to the process's stderr directly, so only a separate JVM can see it.
        // At its default level it would say "invalid new backstep -1" about this file.
        Path f = SPEECH.resolve("edge_cases/corrupt_truncated_mid.mp3");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.auricle.cli.Main", "inspect", f.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        String ours = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).reduce("", (a, b) -> a + b + "\n");
        assertEquals("auricle: warning: " + f
                + ": truncated or damaged mp3 audio: decoded 3.999 s of the 8.072 s the header declares\n", ours);
    }

    private static int brightness(int rgb) {
        return ((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF);
    }
}
