package io.auricle.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The skinny product for a few rows (the decoder's tokens): {@code y[i, o] = x[i, :] · W[o, :]} for output rows
 * {@code [o0, o1)}, reading each weight row once in its stored type. Four weight rows at a time are decoded
 * into an L1 buffer, then every input row is dotted against them with four independent accumulators.
 */
final class Gemv {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int GROUP = 4;

    private Gemv() {}

    static void multiply(float[] x, int n, WeightRows w, float[] bias, float[] y, int o0, int o1, Scratch s) {
        int k = w.cols(), out = w.rows();
        float[] buf = s.rows(GROUP * k);
        for (int o = o0; o < o1; o += GROUP) {
            int g = Math.min(GROUP, o1 - o);
            w.decode(o, g, buf, 0, s);
            for (int i = 0; i < n; i++) {
                int yo = i * out + o;
                if (g == GROUP) {
                    dot4(x, i * k, buf, k, y, yo);
                } else {
                    for (int r = 0; r < g; r++) y[yo + r] = dot(x, i * k, buf, r * k, k);
                }
                if (bias != null) {
                    for (int r = 0; r < g; r++) y[yo + r] += bias[o + r];
                }
            }
        }
    }

    private static void dot4(float[] x, int xo, float[] w, int k, float[] y, int yo) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (int bound = F.loopBound(k); i < bound; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            a0 = FloatVector.fromArray(F, w, i).fma(xv, a0);
            a1 = FloatVector.fromArray(F, w, k + i).fma(xv, a1);
            a2 = FloatVector.fromArray(F, w, 2 * k + i).fma(xv, a2);
            a3 = FloatVector.fromArray(F, w, 3 * k + i).fma(xv, a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; i < k; i++) {
            float xi = x[xo + i];
            s0 += xi * w[i];
            s1 += xi * w[k + i];
            s2 += xi * w[2 * k + i];
            s3 += xi * w[3 * k + i];
        }
        y[yo] = s0;
        y[yo + 1] = s1;
        y[yo + 2] = s2;
        y[yo + 3] = s3;
    }

    /** A vectorized dot product of {@code len} floats. */
    static float dot(float[] a, int ao, float[] b, int bo, int len) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        int vl = F.length(), i = 0;
        for (int bound = len - 2 * vl; i <= bound; i += 2 * vl) {
            acc0 = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc0);
            acc1 = FloatVector.fromArray(F, a, ao + i + vl).fma(FloatVector.fromArray(F, b, bo + i + vl), acc1);
        }
        for (int bound = F.loopBound(len); i < bound; i += vl) {
            acc0 = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) sum += a[ao + i] * b[bo + i];
        return sum;
    }
}
