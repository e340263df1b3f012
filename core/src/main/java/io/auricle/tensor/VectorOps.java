package io.auricle.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast {@link Ops}: Vector API kernels on a persistent thread pool. Products of many rows (the encoder,
 * cross-attention keys and values, long prompts) use the packed GEMM on float32 panels, widened from compact ones
 * or packed per product ({@link PreparedMatrix.Store}); products of a few rows (a decoder step) read the weights
 * in their stored type ({@link Gemv}).
 */
public final class VectorOps implements Ops {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** From this many rows on, a product goes through the packed GEMM (packing the weight on first use). */
    static final int GEMM_MIN_ROWS = 16;
    /**
     * The same for a weight that keeps no panels ({@link PreparedMatrix.Store#PER_PRODUCT}: the decoder's), whose
     * product would pack them every time: below this, reading the stored rows once for all rows is faster (a
     * batched step of 20 / 40 / 64 rows at tiny.en, 2 threads: 27 / 47 / 72 ms against 33 / 53 / 77 ms;
     * DecoderStepBenchmark with -Dauricle.bench.batch=N). A batch's beams (eight windows of five) take that many.
     */
    static final int PACKING_GEMM_MIN_ROWS = 64;
    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    /** Before any kernel is compiled: see {@link JitDirectives}. */
    private static final boolean JIT_DIRECTIVES = JitDirectives.ensureInstalled();

    private final Parallel pool;
    private final Gemm gemm;
    private final Attention attention;

    /** Threads from {@code auricle.threads} (default: all processors), the micro-kernel that suits this CPU. */
    public VectorOps() {
        this(Integer.getInteger("auricle.threads", Runtime.getRuntime().availableProcessors()), Gemm.DEFAULT_MR);
    }

    /** A separate instance with its own pool of {@code threads} (benchmarks, tools). */
    public static VectorOps withThreads(int threads) {
        return new VectorOps(threads, Gemm.DEFAULT_MR);
    }

    /** @param microKernelRows 5 or 8: rows of the GEMM register tile (tests run both on any CPU) */
    VectorOps(int threads, int microKernelRows) {
        this.pool = new Parallel(threads, Long.getLong("auricle.spinMicros", 50));
        this.gemm = new Gemm(microKernelRows);
        this.attention = new Attention(pool, gemm);
    }

    public int threads() {
        return pool.threads();
    }

    /** Compact panels (see {@link PreparedMatrix.Store#COMPACT}). */
    @Override
    public Matrix prepare(Tensor weight) {
        return new PreparedMatrix(weight, PreparedMatrix.Store.COMPACT);
    }

    /** No panels kept: a prompt's product packs them from the stored rows (see {@link PreparedMatrix.Store}). */
    @Override
    public Matrix prepareForFewRows(Tensor weight) {
        return new PreparedMatrix(weight, PreparedMatrix.Store.PER_PRODUCT);
    }

    @Override
    public void matmul(float[] x, int n, Matrix w, float[] bias, float[] y) {
        PreparedMatrix m = (PreparedMatrix) w;
        int in = m.cols(), out = m.rows();
        if (n <= 0) return;
        if (n < GEMM_MIN_ROWS || n < PACKING_GEMM_MIN_ROWS && m.store() == PreparedMatrix.Store.PER_PRODUCT) {
            int groups = (out + Gemv.GROUP - 1) / Gemv.GROUP;
            int tasks = Math.min(groups, pool.threads() * 4);
            pool.run(tasks, t -> {
                int o0 = (int) ((long) groups * t / tasks) * Gemv.GROUP;
                int o1 = Math.min(out, (int) ((long) groups * (t + 1) / tasks) * Gemv.GROUP);
                Gemv.multiply(x, n, m.weightRows(), bias, y, o0, o1, Scratch.get());
            });
            return;
        }
        for (int i = 0; i < n; i++) {
            if (bias == null) Arrays.fill(y, i * out, (i + 1) * out, 0f);
            else System.arraycopy(bias, 0, y, i * out, out);
        }
        if (m.store() == PreparedMatrix.Store.PER_PRODUCT) {
            matmulPackingPanels(x, n, m, y);
            return;
        }
        Gemm.Packed b = floatPanels(m.panels(pool), Scratch.get());
        int rowBlocks = (n + gemm.mc - 1) / gemm.mc;
        int panels = b.panels();
        // Tasks: row blocks (each packs its rows of A once for all columns); with few of them (a prompt), column
        // groups too, so that every thread gets several tasks and an uneven last one costs little.
        int colGroups = rowBlocks >= 4 * pool.threads() ? 1 : Math.min(panels, (4 * pool.threads() + rowBlocks - 1) / rowBlocks);
        pool.run(rowBlocks * colGroups, t -> {
            int rb = t / colGroups, g = t % colGroups;
            int r0 = rb * gemm.mc, rows = Math.min(gemm.mc, n - r0);
            int p0 = panels * g / colGroups, p1 = panels * (g + 1) / colGroups;
            gemm.multiply(x, r0 * in, in, rows, in, b, p0, p1, out, y, r0 * out, out, Scratch.get());
        });
    }

    /**
     * Float32 panels to multiply by: {@code b} itself, or compact panels widened whole (split across the pool) into
     * the calling thread's buffer. Once per product, so its cost is shared by all the rows: a widened block per task
     * instead (the product's tasks being row blocks) made the tiny.en encoder 3-10 % slower.
     */
    private Gemm.Packed floatPanels(Gemm.Panels b, Scratch caller) {
        if (b instanceof Gemm.Packed p) return p;
        int panels = b.panels(), tasks = Math.min(panels, 2 * pool.threads());
        float[] wide = caller.wideB(Gemm.Packed.size(b.depth(), b.cols()));
        pool.run(tasks, t -> Gemm.widen(b, panels * t / tasks, panels * (t + 1) / tasks, wide));
        return new Gemm.Packed(wide, 0, b.depth(), b.cols());
    }

    /**
     * {@code y += x · Wᵀ} for a weight that keeps no panels: tasks take groups of panels, pack them from the stored
     * rows once into their own scratch (at most {@link Gemm#NC_PANELS} at a time, so that the scratch stays
     * small) and pass all rows over them, a block of rows at a time. The same kernel over the same values as kept
     * panels give, so the same bits.
     */
    private void matmulPackingPanels(float[] x, int n, PreparedMatrix m, float[] y) {
        int in = m.cols(), out = m.rows();
        int panels = (out + Gemm.NR - 1) / Gemm.NR;
        int groups = Math.max((panels + Gemm.NC_PANELS - 1) / Gemm.NC_PANELS, Math.min(panels, 2 * pool.threads()));
        int rowBlock = 4 * gemm.mc;
        pool.run(groups, g -> {
            int p0 = panels * g / groups, p1 = panels * (g + 1) / groups;
            Scratch s = Scratch.get();
            Gemm.Packed b = Gemm.packPanels(m.weightRows(), p0, p1, s.panels((p1 - p0) * Gemm.NR * in), s);
            for (int r0 = 0; r0 < n; r0 += rowBlock) {
                int rows = Math.min(rowBlock, n - r0);
                gemm.multiply(x, r0 * in, in, rows, in, b, 0, p1 - p0, b.cols(), y, r0 * out + p0 * Gemm.NR, out, s);
            }
        });
    }

    @Override
    public void layerNorm(float[] x, int n, int d, float[] gamma, float[] beta, float[] y) {
        forRows(n, d, (r0, r1) -> {
            for (int r = r0; r < r1; r++) layerNormRow(x, r * d, d, gamma, beta, y);
        });
    }

    private static void layerNormRow(float[] x, int off, int d, float[] gamma, float[] beta, float[] y) {
        int vl = F.length(), bound = F.loopBound(d), i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (; i < bound; i += vl) acc = acc.add(FloatVector.fromArray(F, x, off + i));
        float sum = Lanes.sum(acc);
        for (; i < d; i++) sum += x[off + i];
        float mean = sum / d;
        acc = FloatVector.zero(F);
        for (i = 0; i < bound; i += vl) {
            FloatVector t = FloatVector.fromArray(F, x, off + i).sub(mean);
            acc = t.fma(t, acc);
        }
        float var = Lanes.sum(acc);
        for (; i < d; i++) var += (x[off + i] - mean) * (x[off + i] - mean);
        float inv = (float) (1.0 / Math.sqrt(var / d + 1e-5));
        for (i = 0; i < bound; i += vl) {
            FloatVector t = FloatVector.fromArray(F, x, off + i).sub(mean).mul(inv);
            t.fma(FloatVector.fromArray(F, gamma, i), FloatVector.fromArray(F, beta, i)).intoArray(y, off + i);
        }
        for (; i < d; i++) y[off + i] = (x[off + i] - mean) * inv * gamma[i] + beta[i];
    }

    @Override
    public void gelu(float[] x, int len) {
        forRanges(len, (a, b) -> geluRange(x, a, b));
    }

    private static void geluRange(float[] x, int from, int to) {
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            v.mul(0.5f).mul(onePlusErf(v.mul(INV_SQRT2))).intoArray(x, i);
        }
        for (; i < to; i++) x[i] = (float) (0.5 * x[i] * (1 + Erf.erf(x[i] / Math.sqrt(2))));
    }

    /**
     * {@code 1 + erf(z)}, by the same Chebyshev fit as {@link Erf} (|error| < 1.2e-7), in float lanes. For
     * {@code z < 0} it is {@code erfc(|z|)}, computed directly, so GELU's far negative tail keeps its relative precision.
     */
    static FloatVector onePlusErf(FloatVector z) {
        FloatVector a = z.abs();
        FloatVector t = a.mul(0.5f).add(1f);
        t = FloatVector.broadcast(F, 1f).div(t);
        FloatVector p = t.mul(0.17087277f).add(-0.82215223f);
        p = p.mul(t).add(1.48851587f);
        p = p.mul(t).add(-1.13520398f);
        p = p.mul(t).add(0.27886807f);
        p = p.mul(t).add(-0.18628806f);
        p = p.mul(t).add(0.09678418f);
        p = p.mul(t).add(0.37409196f);
        p = p.mul(t).add(1.00002368f);
        p = p.mul(t).add(-1.26551223f);
        FloatVector r = t.mul(a.neg().fma(a, p).lanewise(VectorOperators.EXP));
        VectorMask<Float> negative = z.compare(VectorOperators.LT, 0f);
        return r.neg().add(2f).blend(r, negative);
    }

    @Override
    public void addInPlace(float[] x, float[] y, int len) {
        forRanges(len, (from, to) -> {
            int i = from;
            for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
                FloatVector.fromArray(F, x, i).add(FloatVector.fromArray(F, y, i)).intoArray(x, i);
            }
            for (; i < to; i++) x[i] += y[i];
        });
    }

    /** Float lanes with the vector exp; each block's lanes are summed into a double, so 51864 terms lose nothing. */
    @Override
    public double logSumExp(float[] x, int from, int to) {
        int vl = F.length(), i = from, bound = from + F.loopBound(to - from);
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (; i < bound; i += vl) mv = mv.max(FloatVector.fromArray(F, x, i));
        float max = mv.reduceLanes(VectorOperators.MAX);
        for (; i < to; i++) max = Math.max(max, x[i]);
        if (max == Float.NEGATIVE_INFINITY) return Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (i = from; i < bound; ) {
            FloatVector acc = FloatVector.zero(F);
            for (int end = Math.min(bound, i + LOG_SUM_BLOCK); i < end; i += vl) {
                acc = acc.add(FloatVector.fromArray(F, x, i).sub(max).lanewise(VectorOperators.EXP));
            }
            sum += Lanes.sum(acc);
        }
        for (; i < to; i++) sum += Math.exp(x[i] - max);
        return max + Math.log(sum);
    }

    private static final int LOG_SUM_BLOCK = 512;

    @Override
    public void attention(float[] q, int nq, float[] k, float[] v, int nk, int nHead, int headDim, int causalOffset,
                          float[] out, float[] weights) {
        if (nq <= 0 || nk <= 0) return;
        attention.run(q, nq, k, v, nk, nHead, headDim, causalOffset, out, weights);
    }

    @Override
    public void attention(float[] q, float[] sharedK, float[] sharedV, int shared, float[] k, float[] v, int nk,
                          int nHead, int headDim, float[] out) {
        if (nk <= 0) return;
        attention.direct(q, 1, sharedK, sharedV, shared, k, v, nk, nHead, headDim, nk - 1, out, null);
    }

    @Override
    public void attentionHalf(float[] q, int nq, short[] k, short[] v, int nk, int nHead, int headDim, float[] out,
                              float[] weights) {
        if (nq <= 0 || nk <= 0) return;
        attention.half(q, nq, k, v, nk, nHead, headDim, out, weights);
    }

    @Override
    public short[] halfKeys(float[] k, int nk, int nHead, short[] reuse) {
        return Attention.halfKeys(k, nk, nHead, reuse);
    }

    /** Unfolds the input so that row t holds the three taps of every channel, in the weight's {@code [in, 3]} order, then multiplies. */
    @Override
    public void conv1d(float[] x, int len, int inCh, Matrix w, float[] bias, int stride, float[] y) {
        int outLen = Ops.convOutputLength(len, stride);
        int width = inCh * 3;
        if (w.cols() != width) {
            throw new IllegalArgumentException(w.source() + ": a kernel-3 convolution over " + inCh + " channels needs "
                    + width + " columns, has " + w.cols());
        }
        float[] cols = Scratch.get().im2col(outLen * width);
        forRows(outLen, width, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int row = t * width;
                for (int kk = 0; kk < 3; kk++) {
                    int src = t * stride + kk - 1;
                    if (src < 0 || src >= len) {
                        for (int c = 0; c < inCh; c++) cols[row + c * 3 + kk] = 0f;
                    } else {
                        int s = src * inCh;
                        for (int c = 0; c < inCh; c++) cols[row + c * 3 + kk] = x[s + c];
                    }
                }
            }
        });
        matmul(cols, outLen, w, bias, y);
    }

    private interface Range {
        void run(int from, int to);
    }

    /** Splits {@code [0, len)} of an element-wise op across the pool when it is large enough to pay off. */
    private void forRanges(int len, Range body) {
        int tasks = len < (1 << 15) ? 1 : pool.threads() * 2;
        if (tasks == 1) {
            body.run(0, len);
            return;
        }
        int chunk = (len / tasks + F.length() - 1) / F.length() * F.length();
        pool.run(tasks, t -> body.run(Math.min(len, t * chunk), t == tasks - 1 ? len : Math.min(len, (t + 1) * chunk)));
    }

    /** Splits {@code n} rows of width {@code d} across the pool when there is enough work. */
    private void forRows(int n, int d, Range body) {
        int tasks = (long) n * d < (1 << 15) ? 1 : Math.min(n, pool.threads() * 2);
        if (tasks == 1) {
            body.run(0, n);
            return;
        }
        pool.run(tasks, t -> body.run((int) ((long) n * t / tasks), (int) ((long) n * (t + 1) / tasks)));
    }
}
