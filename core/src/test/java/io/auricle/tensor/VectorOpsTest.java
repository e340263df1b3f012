package io.auricle.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kernel of {@link VectorOps} against {@link ScalarOps}, on odd sizes (not multiples of the vector length
 * or the register tile), one to many rows, every weight type, both micro-kernels and one to three threads.
 *
 * <p>Tolerances: a product may differ from the scalar one only by the order of float additions, so each output
 * is held to {@code 1e-6 · (Σ|x·w| + |bias|)}, about eight float ulps of the absolute sum (measured: at most
 * 1.5e-7 at depth 384 for every type; the int8 path divides each sum by the row's scale where the scalar one
 * multiplies each weight by 1/scale). Attention outputs are averages of O(1) values:
 * {@code 2e-6} absolute, weights {@code 1e-6}. GELU and LayerNorm: see their tests.
 */
class VectorOpsTest {
    private static final ScalarOps REF = new ScalarOps();
    private static final VectorOps ONE_THREAD = new VectorOps(1, 5);
    private static final VectorOps TWO_THREADS = new VectorOps(2, Gemm.DEFAULT_MR);
    /** The other micro-kernel than this CPU's default, with an uneven thread count. */
    private static final VectorOps OTHER_KERNEL = new VectorOps(3, Gemm.DEFAULT_MR == 5 ? 8 : 5);
    private static final VectorOps[] ALL = {ONE_THREAD, TWO_THREADS, OTHER_KERNEL};

    static void assertProductClose(float[] x, int n, Tensor w, float[] bias, float[] expected, float[] actual, String what) {
        int out = w.rows(), in = (int) (w.numel() / out);
        float[] wv = w.toFloatArray();
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double abs = bias == null ? 0 : Math.abs(bias[o]);
                for (int c = 0; c < in; c++) abs += Math.abs(x[i * in + c] * wv[o * in + c]);
                double err = Math.abs(expected[i * out + o] - actual[i * out + o]);
                worst = Math.max(worst, err / Math.max(abs, 1e-30));
            }
        }
        assertTrue(worst <= 1e-6, what + ": worst error " + worst + " of the absolute sum");
    }

    private static void checkMatmul(Random random, DType type, int n, int out, int in, boolean withBias) {
        Tensor w = Weights.random(random, type, out, in);
        float[] x = Weights.floats(random, n * in, 1f);
        float[] bias = withBias ? Weights.floats(random, out, 1f) : null;
        float[] expected = new float[n * out];
        REF.matmul(x, n, REF.prepare(w), bias, expected);
        for (VectorOps ops : ALL) {
            float[] actual = new float[n * out];
            ops.matmul(x, n, ops.prepare(w), bias, actual);
            assertProductClose(x, n, w, bias, expected, actual,
                    type + " n=" + n + " " + out + "x" + in + " threads=" + ops.threads());
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulMatchesScalarForEveryWeightTypeAndRowCount(DType type) {
        Random random = new Random(type.ordinal());
        int in = type.blockSize == 32 ? 96 : 45;
        for (int n : new int[] {1, 2, 3, 5, 17, 40}) {
            checkMatmul(random, type, n, 37, in, n % 2 == 1);
        }
        checkMatmul(random, type, 2, 64, type.blockSize == 32 ? 384 : 384, true);
    }

    @Test
    void gemmMatchesScalarOnEncoderSizedInputs() {
        Random random = new Random(7);
        checkMatmul(random, DType.F16, 1500, 72, 384, true);
        checkMatmul(random, DType.F32, 211, 67, 531, false);
    }

    @Test
    void aMatrixGivesTheSameResultBeforeAndAfterPacking() {
        Random random = new Random(8);
        Tensor w = Weights.random(random, DType.F16, 50, 64);
        float[] x = Weights.floats(random, 64 * 20, 1f);
        Matrix m = TWO_THREADS.prepare(w);
        float[] before = new float[50];
        TWO_THREADS.matmul(x, 1, m, null, before);
        assertTrue(!((PreparedMatrix) m).isPacked(), "a one-row product must not pack the weight");
        float[] many = new float[20 * 50];
        TWO_THREADS.matmul(x, 20, m, null, many);
        assertTrue(((PreparedMatrix) m).isPacked());
        float[] after = new float[50];
        TWO_THREADS.matmul(x, 1, m, null, after);
        assertArrayEquals(before, after, "the skinny path still reads the stored weights");
    }

    /**
     * The three ways of keeping a weight's GEMM panels give the same bits: a decoder weight (prepared for few rows)
     * keeps none and packs them per product; any other keeps compact panels (fp16 for fp16, int8 and scales for int8
     * and q8_0), widened per product; against float32 panels kept once. Every type; prompt-sized and audio-sized
     * products, edge panels, several depth passes, more rows than a task's block, 2 and 3 threads. Below
     * {@link VectorOps#PACKING_GEMM_MIN_ROWS} rows a decoder weight is read row by row instead: each row's product is
     * then the one it has alone.
     */
    @Test
    void everyPanelStoreGivesTheSameProductsAsFloat32Panels() {
        Random random = new Random(9);
        for (VectorOps ops : new VectorOps[] {TWO_THREADS, new VectorOps(3, 8)}) {
            for (DType type : DType.values()) {
                for (int[] shape : new int[][] {{200, 384, 150}, {67, 1024, 37}, {1500, 64, 16}, {40, 96, 600}}) {
                    int out = shape[0], in = shape[1], n = shape[2];
                    Tensor w = Weights.random(random, type, out, in);
                    float[] x = Weights.floats(random, n * in, 1f), bias = Weights.floats(random, out, 1f);
                    Matrix perProduct = ops.prepareForFewRows(w), compact = ops.prepare(w);
                    Matrix full = new PreparedMatrix(w, PreparedMatrix.Store.FLOAT);
                    assertEquals(PreparedMatrix.Store.PER_PRODUCT, ((PreparedMatrix) perProduct).store());
                    assertEquals(PreparedMatrix.Store.COMPACT, ((PreparedMatrix) compact).store());
                    float[] expected = new float[n * out];
                    ops.matmul(x, n, full, bias, expected);
                    String what = type + " " + out + "x" + in + " by " + n + " rows, " + ops.threads() + " threads";
                    for (Matrix m : new Matrix[] {perProduct, compact}) {
                        float[] y = new float[n * out];
                        ops.matmul(x, n, m, bias, y);
                        if (m == perProduct && n < VectorOps.PACKING_GEMM_MIN_ROWS) {
                            float[] alone = new float[n * out], row = new float[out];
                            for (int i = 0; i < n; i++) {
                                ops.matmul(Arrays.copyOfRange(x, i * in, (i + 1) * in), 1, m, bias, row);
                                System.arraycopy(row, 0, alone, i * out, out);
                            }
                            assertArrayEquals(alone, y, "row by row: " + what);
                            assertArrayEquals(expected, y, 1e-3f, what);
                        } else {
                            assertArrayEquals(expected, y, what);
                        }
                    }
                    assertTrue(!((PreparedMatrix) perProduct).isPacked(), "no panels kept: " + what);
                }
            }
        }
    }

    /** Compact panels are as small as the type allows: fp16 for fp16, a byte a value for int8 and q8_0. */
    @Test
    void compactPanelsHoldTheStoredTypesBytes() {
        Random random = new Random(10);
        for (DType type : DType.values()) {
            PreparedMatrix m = (PreparedMatrix) TWO_THREADS.prepare(Weights.random(random, type, 70, 96));
            Gemm.Panels panels = m.panels(new Parallel(2, 0));
            Class<?> expected = switch (type) {
                case F16 -> Gemm.HalfPacked.class;
                case I8_ROW_SCALED, Q8_0 -> Gemm.BytePacked.class;
                default -> Gemm.Packed.class;
            };
            assertEquals(expected, panels.getClass(), type.toString());
        }
    }

    /**
     * Attention over keys and values in two parts (a fork's shared prompt, then its own rows) gives the bits the same
     * rows in one array give, on 2 and 3 threads, for every split from none shared to all.
     */
    @Test
    void attentionOverSharedAndOwnRowsEqualsOneArray() {
        Random random = new Random(11);
        int nHead = 6, hd = 64, d = nHead * hd;
        for (VectorOps ops : new VectorOps[] {TWO_THREADS, new VectorOps(3, 8)}) {
            for (int nk : new int[] {1, 37, 300}) {
                float[] k = Weights.floats(random, nk * d, 1f), v = Weights.floats(random, nk * d, 1f);
                float[] q = Weights.floats(random, d, 1f);
                float[] expected = new float[d];
                ops.attention(q, 1, k, v, nk, nHead, hd, nk - 1, expected, null);
                for (int shared : new int[] {0, 1, nk / 2, nk - 1, nk}) {
                    float[] own = java.util.Arrays.copyOfRange(k, shared * d, nk * d + 5 * d); // room past the end
                    float[] ownV = java.util.Arrays.copyOfRange(v, shared * d, nk * d + 5 * d);
                    float[] out = new float[d];
                    ops.attention(q, k, v, shared, own, ownV, nk, nHead, hd, out);
                    assertArrayEquals(expected, out, nk + " keys, " + shared + " shared, " + ops.threads() + " threads");
                    float[] reference = new float[d];
                    REF.attention(q, k, v, shared, own, ownV, nk, nHead, hd, reference);
                    float[] referenceWhole = new float[d];
                    REF.attention(q, 1, k, v, nk, nHead, hd, nk - 1, referenceWhole, null);
                    assertArrayEquals(referenceWhole, reference);
                }
            }
        }
    }

    @Test
    void layerNormMatchesScalar() {
        Random random = new Random(3);
        for (int d : new int[] {384, 17, 1}) {
            for (int n : new int[] {1, 3, 200}) {
                float[] x = Weights.floats(random, n * d, 3f);
                for (int i = 0; i < x.length; i++) x[i] += 40f; // a large mean, as in the residual stream
                float[] gamma = Weights.floats(random, d, 1f), beta = Weights.floats(random, d, 1f);
                float[] expected = new float[n * d];
                REF.layerNorm(x, n, d, gamma, beta, expected);
                for (VectorOps ops : ALL) {
                    float[] actual = x.clone();
                    ops.layerNorm(actual, n, d, gamma, beta, actual);
                    for (int i = 0; i < expected.length; i++) {
                        // The statistics are in float (the reference uses double): with a mean of 40 and sigma 3,
                        // the float mean alone is off by up to ulp(40)/2 / 3 = 6e-7 of the normalized value;
                        // allow a few of those, scaled by gamma, plus the rounding of the final multiply-add.
                        float tol = 3e-6f * Math.abs(gamma[i % d]) + 4e-7f * Math.abs(expected[i]);
                        assertEquals(expected[i], actual[i], tol, "d=" + d + " n=" + n + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void geluMatchesScalarAcrossTheRangeIncludingTheNegativeTail() {
        Random random = new Random(4);
        int len = 100_003;
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) ((random.nextDouble() - 0.5) * 20);
        x[0] = 0f;
        x[1] = -0f;
        x[2] = 1e-30f;
        x[3] = -9.5f;
        x[4] = 30f;
        float[] expected = x.clone();
        REF.gelu(expected, len);
        for (VectorOps ops : ALL) {
            float[] actual = x.clone();
            ops.gelu(actual, len);
            for (int i = 0; i < len; i++) {
                // The fit's own 1.2e-7 absolute error in erf, plus float rounding: 4e-7 relative to |x|.
                float tol = 4e-7f * Math.abs(x[i]) + 1e-30f;
                assertEquals(expected[i], actual[i], tol, "gelu(" + x[i] + ")");
            }
        }
    }

    @Test
    void logSumExpMatchesScalarOverAVocabularyOfLogits() {
        Random random = new Random(8);
        int len = 51_865; // tiny's vocabulary, plus one: not a multiple of any vector length
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (random.nextGaussian() * 4 + 10);
        for (int i = 0; i < len; i += 7) x[i] = Float.NEGATIVE_INFINITY; // suppressed tokens
        float[] allSuppressed = new float[33];
        java.util.Arrays.fill(allSuppressed, Float.NEGATIVE_INFINITY);
        for (VectorOps ops : ALL) {
            for (int[] range : new int[][] {{0, len}, {50_363, len}, {3, 10}, {5, 5 + 1}}) {
                double expected = REF.logSumExp(x, range[0], range[1]);
                assertEquals(expected, ops.logSumExp(x, range[0], range[1]), 1e-6 * Math.max(1, Math.abs(expected)),
                        "logSumExp over " + range[0] + ".." + range[1]);
            }
            assertEquals(Double.NEGATIVE_INFINITY, ops.logSumExp(allSuppressed, 0, 33));
        }
    }

    @Test
    void addInPlaceIsExact() {
        Random random = new Random(5);
        for (int len : new int[] {1, 15, 100_001}) {
            float[] x = Weights.floats(random, len, 1f), y = Weights.floats(random, len, 1f);
            float[] expected = x.clone();
            REF.addInPlace(expected, y, len);
            for (VectorOps ops : ALL) {
                float[] actual = x.clone();
                ops.addInPlace(actual, y, len);
                assertArrayEquals(expected, actual);
            }
        }
    }

    private static void checkAttention(Random random, int nq, int nk, int rowsOfK, int nHead, int headDim,
                                       int causalOffset, boolean withWeights) {
        int d = nHead * headDim;
        float[] q = Weights.floats(random, nq * d, 1f);
        float[] k = Weights.floats(random, rowsOfK * d, 1f);
        float[] v = Weights.floats(random, rowsOfK * d, 1f);
        float[] expected = new float[nq * d];
        float[] expectedWeights = withWeights ? new float[nHead * nq * nk] : null;
        REF.attention(q, nq, k, v, nk, nHead, headDim, causalOffset, expected, expectedWeights);
        for (VectorOps ops : ALL) {
            float[] actual = new float[nq * d];
            float[] actualWeights = withWeights ? new float[nHead * nq * nk] : null;
            if (withWeights) java.util.Arrays.fill(actualWeights, Float.NaN);
            ops.attention(q, nq, k, v, nk, nHead, headDim, causalOffset, actual, actualWeights);
            String what = "nq=" + nq + " nk=" + nk + " heads=" + nHead + "x" + headDim + " causal=" + causalOffset
                    + " threads=" + ops.threads();
            assertArrayEquals(expected, actual, 2e-6f, what);
            if (withWeights) assertArrayEquals(expectedWeights, actualWeights, 1e-6f, what + " weights");
        }
    }

    @Test
    void encoderAttentionMatchesScalar() {
        Random random = new Random(6);
        checkAttention(random, 150, 150, 150, 3, 64, -1, false);
        checkAttention(random, 37, 53, 53, 2, 20, -1, true);
    }

    @Test
    void decoderSelfAttentionWithCacheMatchesScalar() {
        Random random = new Random(9);
        checkAttention(random, 1, 10, 448, 6, 64, 9, true);   // one step, cache longer than filled
        checkAttention(random, 3, 8, 448, 4, 20, 5, true);    // three new tokens after five cached
        checkAttention(random, 20, 20, 448, 6, 64, 0, true);  // a prompt: blocked path with a mask
        checkAttention(random, 30, 45, 448, 2, 64, 15, false);
    }

    @Test
    void crossAttentionMatchesScalar() {
        Random random = new Random(10);
        checkAttention(random, 1, 1500, 1500, 6, 64, -1, true);
        checkAttention(random, 5, 1500, 1500, 6, 64, -1, false);
    }

    @Test
    void conv1dMatchesScalarForBothStrides() {
        Random random = new Random(11);
        for (int stride : new int[] {1, 2}) {
            for (int len : new int[] {1, 2, 37, 3000}) {
                int inCh = len == 3000 ? 80 : 5, outCh = len == 3000 ? 48 : 7;
                Tensor w = Weights.random(random, DType.F16, new int[] {outCh, inCh, 3});
                float[] x = Weights.floats(random, len * inCh, 1f);
                float[] bias = Weights.floats(random, outCh, 1f);
                int outLen = Ops.convOutputLength(len, stride);
                float[] expected = new float[outLen * outCh];
                REF.conv1d(x, len, inCh, REF.prepare(w), bias, stride, expected);
                // Σ|x·w| + |bias| for each output: the scale of the tolerance, as for matmul.
                float[] absSum = new float[outLen * outCh];
                REF.conv1d(abs(x), len, inCh, REF.prepare(Tensor.ofFloats("abs", w.shape(), abs(w.toFloatArray()))), abs(bias),
                        stride, absSum);
                for (VectorOps ops : ALL) {
                    float[] actual = new float[outLen * outCh];
                    ops.conv1d(x, len, inCh, ops.prepare(w), bias, stride, actual);
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], actual[i], 1e-6f * absSum[i],
                                "stride " + stride + " len " + len + " at " + i);
                    }
                }
            }
        }
    }

    private static float[] abs(float[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) r[i] = Math.abs(a[i]);
        return r;
    }
}
