package io.auricle.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The skinny product for a few rows (the decoder's tokens): {@code y[i, o] = x[i, :] · W[o, :]} for output rows
 * {@code [o0, o1)}, reading each weight row once in its stored type. Four weight rows at a time are decoded
 * into an L1 buffer, then every input row is dotted against them with four independent accumulators.
 */
final class Gemv {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int GROUP = 4;
    /**
     * Rows decoded per call: about 12 KB of floats (8 rows of tiny.en, 4 of base), well inside a 32 KB L1 beside
     * the inputs. With 24 KB the decoded rows spilled from L1 on this Zen 4 host and a tiny.en step took 4.2-4.6 ms
     * instead of 2.6-3.0 (base 7.6-8.2 against 4.8-5.6; DecoderStepBenchmark, 2 threads, interleaved runs).
     */
    private static final int STAGED_FLOATS = 3 * 1024;

    private Gemv() {}

    static void multiply(float[] x, int n, WeightRows w, float[] bias, float[] y, int o0, int o1, Scratch s) {
        int k = w.cols(), out = w.rows();
        if (w.fusedDot()) {
            multiplyFused(x, n, w, bias, y, o0, o1, s);
            return;
        }
        int staged = Math.max(GROUP, STAGED_FLOATS / k / GROUP * GROUP);
        float[] buf = s.rows(staged * k);
        for (int o = o0; o < o1; o += staged) {
            int count = Math.min(staged, o1 - o);
            w.decode(o, count, buf, 0, s);
            for (int o2 = 0; o2 < count; o2 += GROUP) {
                int g = Math.min(GROUP, count - o2), i = 0;
                if (g == GROUP) {
                    // Rows in threes for an odd count (a beam step's five: 3 + 2), else in pairs.
                    if (n >= 3 && n % 2 == 1) {
                        dot4x3(x, 0, buf, o2 * k, k, y, o + o2, out);
                        i = 3;
                    }
                    for (; i + 1 < n; i += 2) dot4x2(x, i * k, buf, o2 * k, k, y, i * out + o + o2, out);
                }
                for (; i < n; i++) {
                    int yo = i * out + o + o2;
                    if (g == GROUP) {
                        dot4(x, i * k, buf, o2 * k, k, y, yo);
                    } else {
                        for (int r = 0; r < g; r++) y[yo + r] = dot(x, i * k, buf, (o2 + r) * k, k);
                    }
                }
                if (bias != null) {
                    for (int r = 0; r < n; r++) {
                        for (int c = 0; c < g; c++) y[r * out + o + o2 + c] += bias[o + o2 + c];
                    }
                }
            }
        }
    }

    /** As {@link #multiply}, four int8 rows at a time staged as bytes ({@link WeightRows#stage4}) and dotted in registers. */
    private static void multiplyFused(float[] x, int n, WeightRows w, float[] bias, float[] y, int o0, int o1, Scratch s) {
        int k = w.cols(), out = w.rows();
        int whole = o0 + (o1 - o0) / GROUP * GROUP;
        byte[] staged = s.bytes(GROUP * k);
        for (int o = o0; o < whole; o += GROUP) {
            w.stage4(o, staged);
            int i = 0;
            for (; i + 1 < n; i += 2) w.dot4x2(o, staged, x, i * k, y, i * out + o, out);
            for (; i < n; i++) w.dot4(o, staged, x, i * k, y, i * out + o);
        }
        if (whole < o1) {
            float[] buf = s.rows(GROUP * k);
            w.decode(whole, o1 - whole, buf, 0, s);
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < o1 - whole; r++) y[i * out + whole + r] = dot(x, i * k, buf, r * k, k);
            }
        }
        if (bias != null) {
            for (int i = 0; i < n; i++) {
                for (int o = o0; o < o1; o++) y[i * out + o] += bias[o];
            }
        }
    }

    private static void dot4(float[] x, int xo, float[] w, int wo, int k, float[] y, int yo) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (int bound = F.loopBound(k); i < bound; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            a0 = FloatVector.fromArray(F, w, wo + i).fma(xv, a0);
            a1 = FloatVector.fromArray(F, w, wo + k + i).fma(xv, a1);
            a2 = FloatVector.fromArray(F, w, wo + 2 * k + i).fma(xv, a2);
            a3 = FloatVector.fromArray(F, w, wo + 3 * k + i).fma(xv, a3);
        }
        finish4(x, xo, w, wo, k, i, a0, a1, a2, a3, y, yo);
    }

    /** Stores each accumulator's lane sum, then adds the elements from {@code i} on that no whole vector covered. */
    private static void finish4(float[] x, int xo, float[] w, int wo, int k, int i, FloatVector a0, FloatVector a1,
                                FloatVector a2, FloatVector a3, float[] y, int yo) {
        Lanes.sum4(a0, a1, a2, a3, y, yo);
        for (; i < k; i++) {
            float xi = x[xo + i];
            y[yo] += xi * w[wo + i];
            y[yo + 1] += xi * w[wo + k + i];
            y[yo + 2] += xi * w[wo + 2 * k + i];
            y[yo + 3] += xi * w[wo + 3 * k + i];
        }
    }

    /**
     * {@link #dot4} for two input rows at once ({@code x[xo ..]} and the next row, into {@code y[yo ..]} and
     * {@code y[yo + out ..]}): eight independent accumulators keep both FMA units busy where four chains wait on
     * their latency, and each weight vector loaded serves two rows (batched and beam steps have several rows).
     */
    private static void dot4x2(float[] x, int xo, float[] w, int wo, int k, float[] y, int yo, int out) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        int i = 0, xo2 = xo + k;
        for (int bound = F.loopBound(k); i < bound; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i), xw = FloatVector.fromArray(F, x, xo2 + i);
            FloatVector w0 = FloatVector.fromArray(F, w, wo + i), w1 = FloatVector.fromArray(F, w, wo + k + i);
            FloatVector w2 = FloatVector.fromArray(F, w, wo + 2 * k + i), w3 = FloatVector.fromArray(F, w, wo + 3 * k + i);
            a0 = w0.fma(xv, a0);
            a1 = w1.fma(xv, a1);
            a2 = w2.fma(xv, a2);
            a3 = w3.fma(xv, a3);
            b0 = w0.fma(xw, b0);
            b1 = w1.fma(xw, b1);
            b2 = w2.fma(xw, b2);
            b3 = w3.fma(xw, b3);
        }
        finish4(x, xo, w, wo, k, i, a0, a1, a2, a3, y, yo);
        finish4(x, xo2, w, wo, k, i, b0, b1, b2, b3, y, yo + out);
    }

    /**
     * {@link #dot4x2} for three input rows (into {@code y[yo ..]}, {@code y[yo + out ..]}, {@code y[yo + 2 * out ..]}):
     * twelve accumulators, each weight vector loaded once for three rows. With an odd row count the last row would
     * otherwise run {@link #dot4} alone, whose four chains wait on the FMA latency.
     */
    private static void dot4x3(float[] x, int xo, float[] w, int wo, int k, float[] y, int yo, int out) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0;
        int i = 0, xo2 = xo + k, xo3 = xo + 2 * k;
        for (int bound = F.loopBound(k); i < bound; i += F.length()) {
            FloatVector w0 = FloatVector.fromArray(F, w, wo + i), w1 = FloatVector.fromArray(F, w, wo + k + i);
            FloatVector w2 = FloatVector.fromArray(F, w, wo + 2 * k + i), w3 = FloatVector.fromArray(F, w, wo + 3 * k + i);
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            a0 = w0.fma(xv, a0);
            a1 = w1.fma(xv, a1);
            a2 = w2.fma(xv, a2);
            a3 = w3.fma(xv, a3);
            xv = FloatVector.fromArray(F, x, xo2 + i);
            b0 = w0.fma(xv, b0);
            b1 = w1.fma(xv, b1);
            b2 = w2.fma(xv, b2);
            b3 = w3.fma(xv, b3);
            xv = FloatVector.fromArray(F, x, xo3 + i);
            c0 = w0.fma(xv, c0);
            c1 = w1.fma(xv, c1);
            c2 = w2.fma(xv, c2);
            c3 = w3.fma(xv, c3);
        }
        finish4(x, xo, w, wo, k, i, a0, a1, a2, a3, y, yo);
        finish4(x, xo2, w, wo, k, i, b0, b1, b2, b3, y, yo + out);
        finish4(x, xo3, w, wo, k, i, c0, c1, c2, c3, y, yo + 2 * out);
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
        float sum = Lanes.sum(acc0.add(acc1));
        for (; i < len; i++) sum += a[ao + i] * b[bo + i];
        return sum;
    }
}
