package io.auricle.audio;

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
