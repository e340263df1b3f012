package io.auricle.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MelKernelTest {

    @Test
    void log10IsWithinTwoUlpOfTheExactValue() {
        Random random = new Random(7);
        float[] x = new float[1 << 12];
        // log-uniform over the range the spectrogram sees: the 1e-10 floor up to 1e12, and both ends exactly
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.pow(10, -10 + 22 * random.nextDouble());
        x[0] = 1f;
        x[1] = 1e-10f;
        float[] log = x.clone();
        MelKernel.log10(log, log.length);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double exact = Math.log10(x[i]);
            double ulps = Math.abs(log[i] - exact) / Math.ulp((float) exact);
            worst = Math.max(worst, ulps);
            assertTrue(ulps <= 2, "log10(" + x[i] + ") = " + log[i] + ", exact " + exact);
        }
        assertEquals(0f, log[0]);
        assertTrue(worst > 0); // the check above saw real differences, not a copy of Math.log10
    }

    @Test
    void vectorAndPlainLoopPathsGiveTheSameBits() {
        float[] jfk = MelFixtures.jfk();
        // Both ends of the audio plus padding: reflected, interior and silent blocks, a partial last block.
        // (Only 64 frames: the forced vector path runs uncompiled here, which is slow.)
        MelKernel.Signal signal = new MelKernel.Signal(jfk, 0, jfk.length, jfk.length + 1000L);
        int frames = (jfk.length + 1000) / 160, head = 24, tail = 40;
        float[][] vector = new float[80][head + tail], scalar = new float[80][head + tail];
        MelKernel v = new MelKernel(MelFilters.whisper(80), true), s = new MelKernel(MelFilters.whisper(80), false);
        for (MelKernel k : new MelKernel[] {v, s}) {
            float[][] out = k == v ? vector : scalar;
            k.frames(signal, 0, head, out, 0);
            k.frames(signal, frames - tail, frames, out, head);
        }
        for (int m = 0; m < 80; m++) assertArrayEquals(vector[m], scalar[m], "mel " + m);
        assertEquals(v.max(), s.max());
        float[] one = {3e-7f, 1e-10f, 0.5f, 12345f, Float.POSITIVE_INFINITY};
        for (float x : one) {
            float[] lanes = new float[Fft.LANES];
            java.util.Arrays.fill(lanes, x);
            MelKernel.log10(lanes, lanes.length);
            assertEquals(lanes[0], MelKernel.log10(x), "log10 " + x);
        }
    }

    @Test
    void log10OfSpecialValues() {
        float[] x = new float[Fft.LANES];
        java.util.Arrays.fill(x, 100f);
        x[0] = Float.POSITIVE_INFINITY;
        x[1] = Float.NaN;
        MelKernel.log10(x, x.length);
        assertEquals(Float.POSITIVE_INFINITY, x[0]);
        assertTrue(Float.isNaN(x[1]));
        assertEquals(2f, x[2]);
        assertEquals(-10f, MelKernel.SILENCE, 1e-6f);
    }
}
