package io.auricle.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MelKernelTest {

    @Test
    void log10IsWithinTwoUlpOfTheExactValue() {
        Random random = new Random(7);
        float[] x = new float[Fft.LANES];
        double worst = 0;
        for (int round = 0; round < 20000; round++) {
            for (int j = 0; j < x.length; j++) {
                // log-uniform over the range the spectrogram sees: the 1e-10 floor up to 1e12
                x[j] = (float) Math.pow(10, -10 + 22 * random.nextDouble());
            }
            x[0] = round == 0 ? 1f : x[0];
            x[1] = round == 0 ? 1e-10f : x[1];
            float[] log = x.clone();
            MelKernel.log10(log, log.length);
            for (int j = 0; j < x.length; j++) {
                double exact = Math.log10(x[j]);
                double ulps = Math.abs(log[j] - exact) / Math.ulp((float) exact);
                worst = Math.max(worst, ulps);
                assertTrue(ulps <= 2, "log10(" + x[j] + ") = " + log[j] + ", exact " + exact);
            }
        }
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
