package io.auricle.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Multi-head attention for {@link VectorOps}. Many queries (the encoder's 1500 frames, a decoder prompt) go
 * through the packed GEMM: per head, a block of queries gets its scores {@code Q·Kᵀ} in one L2-sized buffer,
 * a softmax in place, then {@code P·V}. A few queries (a decoder step) take a direct path: dots against each
 * key, softmax, a weighted sum of value rows. Both split the work by head (and by query block) across threads.
 */
final class Attention {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private final Parallel pool;
    private final Gemm gemm;

    Attention(Parallel pool, Gemm gemm) {
        this.pool = pool;
        this.gemm = gemm;
    }

    void run(float[] q, int nq, float[] k, float[] v, int nk, int nHead, int headDim, int causalOffset,
             float[] out, float[] weights) {
        if (nq < gemm.mr()) direct(q, nq, k, v, nk, nHead, headDim, causalOffset, out, weights);
        else blocked(q, nq, k, v, nk, nHead, headDim, causalOffset, out, weights);
    }

    private static int visible(int i, int nk, int causalOffset) {
        return causalOffset < 0 ? nk : Math.min(nk, causalOffset + i + 1);
    }

    /**
     * A few queries: keys and values are streamed once, row by row (all heads of a row together, so the reads are
     * sequential), in key ranges split across threads. Per query: scores for every head, a softmax per head, then
     * partial weighted sums of value rows per range, added up at the end.
     */
    private void direct(float[] q, int nq, float[] k, float[] v, int nk, int nHead, int hd, int causalOffset,
                        float[] out, float[] weights) {
        int d = nHead * hd;
        float scale = (float) (1.0 / Math.sqrt(hd));
        int ranges = Math.max(1, Math.min(pool.threads() * 2, nk / 64));
        Scratch caller = Scratch.get();
        float[] p = caller.keys(nHead * nk);
        float[] partial = caller.values(ranges * d);
        for (int i = 0; i < nq; i++) {
            int seen = visible(i, nk, causalOffset);
            int qo = i * d;
            pool.run(ranges, t -> {
                for (int j = seen * t / ranges, end = seen * (t + 1) / ranges; j < end; j++) {
                    for (int h = 0; h < nHead; h++) p[h * nk + j] = Gemv.dot(q, qo + h * hd, k, j * d + h * hd, hd) * scale;
                }
            });
            for (int h = 0; h < nHead; h++) softmax(p, h * nk, seen);
            pool.run(ranges, t -> {
                int acc = t * d;
                Arrays.fill(partial, acc, acc + d, 0f);
                for (int j = seen * t / ranges, end = seen * (t + 1) / ranges; j < end; j++) {
                    for (int h = 0; h < nHead; h++) axpy(p[h * nk + j], v, j * d + h * hd, partial, acc + h * hd, hd);
                }
            });
            System.arraycopy(partial, 0, out, qo, d);
            for (int t = 1; t < ranges; t++) addTo(partial, t * d, out, qo, d);
            if (weights != null) {
                for (int h = 0; h < nHead; h++) {
                    int base = (h * nq + i) * nk;
                    System.arraycopy(p, h * nk, weights, base, seen);
                    Arrays.fill(weights, base + seen, base + nk, 0f);
                }
            }
        }
    }

    /** Key rows widened from fp16 at a time: 32 x 64 floats (8 KB) stay in L1 while every query reads them. */
    private static final int HALF_CHUNK = 32;

    /**
     * Attention to fp16 keys and values stored head-major ({@code [nHead][nk][hd]}): one task per head, which
     * streams its own contiguous rows twice (keys, then values), widening {@value #HALF_CHUNK} rows at a time into
     * an L1 buffer that all queries then use. Bidirectional (the decoder's cross-attention).
     */
    void half(float[] q, int nq, short[] k, short[] v, int nk, int nHead, int hd, float[] out, float[] weights) {
        int d = nHead * hd;
        float scale = (float) (1.0 / Math.sqrt(hd));
        pool.run(nHead, h -> {
            Scratch s = Scratch.get();
            float[] p = s.scores(nq * nk);
            float[] rows = s.rows(HALF_CHUNK * hd);
            int head = h * nk * hd;
            for (int j0 = 0; j0 < nk; j0 += HALF_CHUNK) {
                int count = Math.min(HALF_CHUNK, nk - j0);
                widen(k, head + j0 * hd, rows, count * hd);
                for (int i = 0; i < nq; i++) {
                    int qo = i * d + h * hd, po = i * nk + j0;
                    for (int r = 0; r < count; r++) p[po + r] = Gemv.dot(q, qo, rows, r * hd, hd) * scale;
                }
            }
            for (int i = 0; i < nq; i++) {
                softmax(p, i * nk, nk);
                if (weights != null) System.arraycopy(p, i * nk, weights, (h * nq + i) * nk, nk);
                Arrays.fill(out, i * d + h * hd, i * d + h * hd + hd, 0f);
            }
            for (int j0 = 0; j0 < nk; j0 += HALF_CHUNK) {
                int count = Math.min(HALF_CHUNK, nk - j0);
                widen(v, head + j0 * hd, rows, count * hd);
                for (int i = 0; i < nq; i++) {
                    int oo = i * d + h * hd, po = i * nk + j0;
                    for (int r = 0; r < count; r++) axpy(p[po + r], rows, r * hd, out, oo, hd);
                }
            }
        });
    }

    /** fp16 to float; a plain counted loop, which C2 compiles to vector half-to-float conversions. */
    private static void widen(short[] src, int from, float[] dst, int len) {
        for (int i = 0; i < len; i++) dst[i] = Float.float16ToFloat(src[from + i]);
    }

    private static void addTo(float[] x, int xo, float[] y, int yo, int len) {
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xo + i).add(FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < len; i++) y[yo + i] += x[xo + i];
    }

    private void blocked(float[] q, int nq, float[] k, float[] v, int nk, int nHead, int hd, int causalOffset,
                         float[] out, float[] weights) {
        int d = nHead * hd;
        float scale = (float) (1.0 / Math.sqrt(hd));
        Scratch caller = Scratch.get();
        int keySize = Gemm.Packed.size(hd, nk), valueSize = Gemm.Packed.size(nk, hd);
        float[] keys = caller.keys(nHead * keySize), values = caller.values(nHead * valueSize);
        Gemm.Packed[] kp = new Gemm.Packed[nHead], vp = new Gemm.Packed[nHead];
        pool.run(nHead, h -> {
            kp[h] = Gemm.packColumns(k, h * hd, d, hd, nk, keys, h * keySize);
            vp[h] = Gemm.packRows(v, h * hd, d, nk, hd, values, h * valueSize);
        });
        int rowsPerBlock = gemm.mc;
        int blocks = (nq + rowsPerBlock - 1) / rowsPerBlock;
        pool.run(nHead * blocks, t -> {
            int h = t / blocks, i0 = (t % blocks) * rowsPerBlock;
            int rows = Math.min(rowsPerBlock, nq - i0);
            int kv = visible(i0 + rows - 1, nk, causalOffset);
            Scratch s = Scratch.get();
            float[] sc = s.scores(rows * kv);
            Arrays.fill(sc, 0, rows * kv, 0f);
            gemm.multiply(q, i0 * d + h * hd, d, rows, hd, kp[h], 0, (kv + Gemm.NR - 1) / Gemm.NR, kv, sc, 0, kv, s);
            for (int r = 0; r < rows; r++) {
                int seen = visible(i0 + r, nk, causalOffset);
                int row = r * kv;
                scaleInPlace(sc, row, seen, scale);
                softmax(sc, row, seen);
                Arrays.fill(sc, row + seen, row + kv, 0f);
                if (weights != null) {
                    int base = (h * nq + i0 + r) * nk;
                    System.arraycopy(sc, row, weights, base, kv);
                    Arrays.fill(weights, base + kv, base + nk, 0f);
                }
                Arrays.fill(out, (i0 + r) * d + h * hd, (i0 + r) * d + h * hd + hd, 0f);
            }
            gemm.multiply(sc, 0, kv, rows, kv, vp[h], 0, vp[h].panels(), hd, out, i0 * d + h * hd, d, s);
        });
    }

    private static void scaleInPlace(float[] x, int off, int len, float scale) {
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, off + i).mul(scale).intoArray(x, off + i);
        }
        for (; i < len; i++) x[off + i] *= scale;
    }

    /** Softmax of {@code x[off, off + len)} in place. */
    static void softmax(float[] x, int off, int len) {
        int vl = F.length(), bound = F.loopBound(len), i = 0;
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (; i < bound; i += vl) mv = mv.max(FloatVector.fromArray(F, x, off + i));
        float max = mv.reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) max = Math.max(max, x[off + i]);
        FloatVector sv = FloatVector.zero(F);
        for (i = 0; i < bound; i += vl) {
            FloatVector e = FloatVector.fromArray(F, x, off + i).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(x, off + i);
            sv = sv.add(e);
        }
        float sum = sv.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (i = 0; i < bound; i += vl) FloatVector.fromArray(F, x, off + i).mul(inv).intoArray(x, off + i);
        for (; i < len; i++) x[off + i] *= inv;
    }

    /** {@code y[yo ..] += a · x[xo ..]} over {@code len} floats. */
    private static void axpy(float a, float[] x, int xo, float[] y, int yo, int len) {
        int i = 0;
        FloatVector av = FloatVector.broadcast(F, a);
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xo + i).fma(av, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < len; i++) y[yo + i] += a * x[xo + i];
    }
}
