package io.auricle.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class LanesTest {
    /**
     * The same bits as the butterfly written out in scalar code, whichever tier runs it: the first calls run
     * interpreted, the later ones compiled. Values of mixed magnitude make any other order show in the last bits.
     */
    @Test
    void sumIsTheButterflyInEveryTier() {
        Random random = new Random(7);
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[lanes];
        for (int round = 0; round < 50_000; round++) {
            for (int i = 0; i < lanes; i++) x[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(8) - 4));
            float got = Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0));
            assertEquals(Float.floatToRawIntBits(butterfly(x)), Float.floatToRawIntBits(got), "round " + round);
        }
    }

    /** Four vectors summed at once give the bits of four {@link Lanes#sum}s, in every tier. */
    @Test
    void sum4IsFourButterflies() {
        Random random = new Random(11);
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[4 * lanes];
        float[] y = new float[6];
        for (int round = 0; round < 50_000; round++) {
            for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(8) - 4));
            FloatVector[] v = new FloatVector[4];
            for (int j = 0; j < 4; j++) v[j] = FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, j * lanes);
            Lanes.sum4(v[0], v[1], v[2], v[3], y, 1);
            for (int j = 0; j < 4; j++) {
                float[] one = java.util.Arrays.copyOfRange(x, j * lanes, (j + 1) * lanes);
                assertEquals(Float.floatToRawIntBits(butterfly(one)), Float.floatToRawIntBits(y[1 + j]), "round " + round + ", vector " + j);
            }
            assertEquals(0f, y[0]);
            assertEquals(0f, y[5]);
        }
    }

    private static float butterfly(float[] x) {
        float[] v = x.clone();
        for (int s = v.length / 2; s >= 1; s /= 2) {
            float[] next = new float[v.length];
            for (int i = 0; i < v.length; i++) next[i] = v[i] + v[i ^ s];
            v = next;
        }
        return v[0];
    }
}
