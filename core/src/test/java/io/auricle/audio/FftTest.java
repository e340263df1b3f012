package io.auricle.audio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FftTest {

    /** Each lane's power spectrum against a direct DFT in double. */
    @ParameterizedTest
    @ValueSource(ints = {400, 8, 10, 40, 200, 1000})
    void powerMatchesDirectDft(int n) {
        int lanes = Fft.LANES, half = n / 2;
        double[][] x = new double[lanes][n];
        Random random = new Random(n);
        for (double[] frame : x) for (int i = 0; i < n; i++) frame[i] = (float) random.nextGaussian();
        x[0][3] += 20; // one frame with a large outlier, one pure tone
        for (int i = 0; i < n; i++) x[lanes - 1][i] = (float) Math.cos(2 * Math.PI * 7 * i / n);

        float[] even = new float[half * lanes], odd = new float[half * lanes], power = new float[(half + 1) * lanes];
        for (int j = 0; j < lanes; j++) {
            for (int i = 0; i < half; i++) {
                even[i * lanes + j] = (float) x[j][2 * i];
                odd[i * lanes + j] = (float) x[j][2 * i + 1];
            }
        }
        new Fft(n).power(even, odd, power);

        for (int j = 0; j < lanes; j++) {
            double energy = 0;
            for (double v : x[j]) energy += v * v;
            for (int k = 0; k <= half; k++) {
                double re = 0, im = 0;
                for (int i = 0; i < n; i++) {
                    re += x[j][i] * Math.cos(2 * Math.PI * k * i / n);
                    im -= x[j][i] * Math.sin(2 * Math.PI * k * i / n);
                }
                double expected = re * re + im * im;
                double error = Math.abs(power[k * lanes + j] - expected);
                // float32 rounding: relative to the frame's total energy (Parseval: Σ|X|² = n·Σx²)
                assertTrue(error <= 1e-5 * n * energy,
                        "n " + n + " lane " + j + " bin " + k + ": " + power[k * lanes + j] + " vs " + expected);
            }
        }
    }
}
