package io.auricle.audio;

import static io.auricle.audio.AudioTestSupport.speechDir;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.AuricleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compressed files with damaged bytes inside decode what they can, or fail with one line; never crash or hang. */
class DamagedStreamTest {
    @TempDir
    Path tmp;

    @Test
    void damagedBytesInsideCompressedStreams() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (String name : new String[] {"jfk_source.mp3", "jfk.opus", "jfk.m4a", "jfk.flac", "jfk.ogg"}) {
            byte[] original = Files.readAllBytes(speechDir().resolve("jfk").resolve(name));
            for (int i = 0; i < 4; i++) {
                byte[] bytes = original.clone();
                // Spray a few bursts of garbage over the body, leaving the first 4 KiB (headers) alone.
                for (int burst = 0; burst < 4; burst++) {
                    int at = 4096 + random.nextInt(bytes.length - 4096 - 64);
                    for (int k = 0; k < 1 + random.nextInt(64); k++) bytes[at + k] = (byte) random.nextInt(256);
                }
                Path f = Files.write(tmp.resolve(name), bytes);
                List<String> warnings = new ArrayList<>();
                try {
                    float[] samples = AudioFile.readAll(f, warnings::add);
                    assertTrue(samples.length < 16000 * 15, name + ": " + samples.length + " samples from 11 s");
                    for (float v : samples) assertTrue(v >= -1f && v < 1f, name + ": sample " + v);
                } catch (AuricleException e) {
                    assertTrue(e.getMessage().startsWith(f + ": ") && !e.getMessage().contains("\n"), e.getMessage());
                }
                for (String w : warnings) assertTrue(w.startsWith(f + ": "), w);
            }
        }
    }
}
