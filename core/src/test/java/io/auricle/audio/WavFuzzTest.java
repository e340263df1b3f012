package io.auricle.audio;

import static io.auricle.audio.AudioTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.AuricleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged headers never crash, hang or allocate wildly: every mutated or cut file either decodes (within what
 * the file can hold) or fails with an {@link AuricleException}.
 */
class WavFuzzTest {
    private static final String[] SEEDS = {"wav/s16_16k_odd_chunk.wav", "wav/s24_48k_stereo_ext.wav",
            "wav/alaw_8k_mono.wav", "wav/s16_16k_rf64.wav", "wav/f64_22k_mono.wav"};

    @TempDir
    Path tmp;

    @Test
    void cutAtEveryHeaderOffset() throws IOException {
        for (String seed : SEEDS) {
            byte[] bytes = Files.readAllBytes(resource(seed));
            for (int len = 0; len <= Math.min(120, bytes.length); len++) {
                decodeOrFailCleanly(Arrays.copyOf(bytes, len), seed + " cut at " + len);
            }
        }
    }

    @Test
    void mutatedHeaderBytes() throws IOException {
        SplittableRandom random = new SplittableRandom(20261125);
        for (int i = 0; i < 300; i++) {
            String seed = SEEDS[i % SEEDS.length];
            byte[] bytes = Files.readAllBytes(resource(seed));
            int edits = 1 + random.nextInt(4);
            StringBuilder what = new StringBuilder(seed);
            for (int e = 0; e < edits; e++) {
                // Keep the RIFF/WAVE magic so the Java parser (not FFmpeg's probing) meets the damage.
                int pos = 12 + random.nextInt(Math.min(100, bytes.length) - 12);
                int value = random.nextInt(4) == 0 ? 0xFF : random.nextInt(256);
                bytes[pos] = (byte) value;
                what.append(String.format(" [%d]=%02x", pos, value));
            }
            decodeOrFailCleanly(bytes, what.toString());
        }
    }

    private void decodeOrFailCleanly(byte[] bytes, String what) throws IOException {
        Path f = Files.write(tmp.resolve("fuzz.wav"), bytes);
        try {
            float[] samples = AudioFile.readAll(f, w -> { });
            // At most one sample per file byte, times 16 for the largest upsampling allowed (1 kHz -> 16 kHz).
            assertTrue(samples.length <= 16L * bytes.length, what + ": " + samples.length + " samples");
        } catch (AuricleException expected) {
            assertTrue(expected.getMessage().startsWith(f.toString() + ": "), what + ": " + expected.getMessage());
            assertTrue(!expected.getMessage().contains("\n"), what + ": multi-line message");
        }
    }
}
