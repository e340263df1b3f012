package io.auricle.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AudioEncoderTest {

    /** Against CTranslate2's float32 encoder on the same mel (tools/python/encoder_reference.py). */
    @Test
    void jfkEncoderOutputMatchesCTranslate2() throws Exception {
        WhisperModel model = TinyEn.model();
        float[][] mel = ReferenceFixtures.mel("jfk", 80);
        long t0 = System.nanoTime();
        float[] out = model.embedAudio(mel);
        System.out.printf("tiny.en encoder: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        float[] rows = ReferenceFixtures.floats("/io/auricle/model/jfk_encoder_rows.f32.gz");
        int d = 384, stride = 15;
        assertEquals(1500 * d, out.length);
        double maxDiff = 0, maxRef = 0;
        for (int r = 0; r < rows.length / d; r++) {
            for (int c = 0; c < d; c++) {
                maxDiff = Math.max(maxDiff, Math.abs(out[r * stride * d + c] - rows[r * d + c]));
                maxRef = Math.max(maxRef, Math.abs(rows[r * d + c]));
            }
        }
        System.out.printf("encoder max |diff| %.3g (max |ref| %.3g)%n", maxDiff, maxRef);
        assertTrue(maxDiff < 2e-3, "max |diff| " + maxDiff);
    }

    /** The encoder reuses its working arrays across windows: a shorter context in between must leave no trace. */
    @Test
    void reusedBuffersGiveTheSameOutputs() throws Exception {
        WhisperModel model = TinyEn.model();
        float[][] mel = ReferenceFixtures.mel("jfk", 80);
        float[] full = model.embedAudio(mel);
        float[] short1 = model.embedAudio(mel, 550);
        float[] full2 = model.embedAudio(mel);
        float[] short2 = model.embedAudio(mel, 550);
        assertEquals(550 * 384, short1.length);
        assertArrayEquals(full, full2);
        assertArrayEquals(short1, short2);
        // The first 550 positions see only 11 s of audio, so they differ from the full window's.
        assertFalse(Arrays.equals(Arrays.copyOf(full, short1.length), short1));
    }

    @Test
    void sinusoidsMatchOpenAiFormula() {
        float[] s = AudioEncoder.sinusoids(3, 8);
        // position 2, channel 1: sin(2 * exp(-ln(10000)/3 * 1)); channel 5: cos of the same
        double arg = 2 * Math.exp(-Math.log(10000) / 3);
        assertEquals(Math.sin(arg), s[2 * 8 + 1], 1e-6);
        assertEquals(Math.cos(arg), s[2 * 8 + 5], 1e-6);
        assertEquals(0f, s[0]);
        assertEquals(1f, s[4]);
    }
}
