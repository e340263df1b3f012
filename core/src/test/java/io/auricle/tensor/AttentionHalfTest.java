package io.auricle.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Ops#attentionHalf} (the decoder's cross-attention to fp16 keys and values, each in its implementation's
 * layout from {@link Ops#halfKeys}) of {@link VectorOps} against {@link ScalarOps}, which widens the same fp16 values
 * to float32 and runs the float32 reference. Only the order of float additions (and where the 1/sqrt(d) scale is
 * applied) differs, so the tolerances are {@link VectorOpsTest}'s for attention: outputs 2e-6 absolute, weights 1e-6.
 */
class AttentionHalfTest {
    private static final ScalarOps REF = new ScalarOps();
    private static final VectorOps[] ALL = {new VectorOps(1, 5), new VectorOps(2, Gemm.DEFAULT_MR), new VectorOps(3, 8)};

    @Test
    void matchesTheScalarReferenceForOneToManyQueries() {
        Random random = new Random(11);
        for (int[] c : new int[][] {{1, 1500, 6, 64}, {1, 37, 3, 20}, {3, 31, 2, 64}, {17, 1500, 8, 64}, {5, 33, 4, 7}, {40, 37, 3, 20}}) {
            check(random, c[0], c[1], c[2], c[3]);
        }
    }

    /** Keys written over an earlier window's array: the same as in a new one, padding included (fewer keys). */
    @Test
    void keysIntoAnEarlierArrayEqualNewOnes() {
        Random random = new Random(12);
        int nHead = 3, hd = 20, d = nHead * hd;
        for (Ops ops : new Ops[] {REF, ALL[1]}) {
            short[] earlier = ops.halfKeys(halves(random, 37 * d), 37, nHead);
            float[] keys = halves(random, 35 * d); // 35 and 37 keys pad to the same length at 8 or 16 lanes
            short[] fresh = ops.halfKeys(keys, 35, nHead);
            if (fresh.length != earlier.length) continue; // the scalar layout has no padding
            short[] reused = ops.halfKeys(keys, 35, nHead, earlier);
            assertTrue(reused == earlier, "written into the earlier array");
            assertTrue(java.util.Arrays.equals(fresh, reused), ops + ": keys over an earlier array differ");
        }
        short[] v = Ops.halfHeadMajor(halves(random, 35 * d), 35, nHead);
        assertTrue(Ops.halfHeadMajor(halves(random, 35 * d), 35, nHead, v) == v);
    }

    private static void check(Random random, int nq, int nk, int nHead, int hd) {
        int d = nHead * hd;
        float[] q = Weights.floats(random, nq * d, 0.5f);
        float[] keys = halves(random, nk * d);
        short[] v = Ops.halfHeadMajor(halves(random, nk * d), nk, nHead);
        float[] expected = new float[nq * d], expectedWeights = new float[nHead * nq * nk];
        REF.attentionHalf(q, nq, REF.halfKeys(keys, nk, nHead), v, nk, nHead, hd, expected, expectedWeights);
        for (VectorOps ops : ALL) {
            short[] k = ops.halfKeys(keys, nk, nHead);
            float[] out = new float[nq * d], weights = new float[nHead * nq * nk];
            ops.attentionHalf(q, nq, k, v, nk, nHead, hd, out, weights);
            String what = "nq=" + nq + " nk=" + nk + " heads=" + nHead + "x" + hd + " threads=" + ops.threads();
            assertTrue(maxDiff(expected, out) <= 2e-6, what + ": output differs by " + maxDiff(expected, out));
            assertTrue(maxDiff(expectedWeights, weights) <= 1e-6, what + ": weights differ by " + maxDiff(expectedWeights, weights));
            float[] noWeights = new float[nq * d];
            ops.attentionHalf(q, nq, k, v, nk, nHead, hd, noWeights, null);
            // Not bit-equal to out: the vector EXP differs in its last bits before and after C2 compiles it.
            assertTrue(maxDiff(expected, noWeights) <= 2e-6, what + ": output without weights differs by "
                    + maxDiff(expected, noWeights));
        }
    }

    /** Floats that fp16 holds exactly, so both implementations see the same keys and values. */
    private static float[] halves(Random random, int n) {
        float[] h = new float[n];
        for (int i = 0; i < n; i++) h[i] = Float.float16ToFloat(Float.floatToFloat16((float) random.nextGaussian()));
        return h;
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
