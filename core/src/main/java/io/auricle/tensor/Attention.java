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
        if (nq < gemm.mr()) direct(q, nq, null, null, 0, k, v, nk, nHead, headDim, causalOffset, out, weights);
        else blocked(q, nq, k, v, nk, nHead, headDim, causalOffset, out, weights);
    }

    private static int visible(int i, int nk, int causalOffset) {
        return causalOffset < 0 ? nk : Math.min(nk, causalOffset + i + 1);
    }

    /**
     * A few queries: keys and values are streamed once, row by row (all heads of a row together, so the reads are
     * sequential), in key ranges split across threads. Per query: scores for every head, a softmax per head, then
     * partial weighted sums of value rows per range, added up at the end. Keys {@code [0, shared)} are rows of
     * {@code sk, sv} (a fork's shared prompt), the rest rows {@code j - shared} of {@code k, v}: the same
     * arithmetic in the same order as over one array.
     */
    void direct(float[] q, int nq, float[] sk, float[] sv, int shared, float[] k, float[] v, int nk, int nHead, int hd,
                int causalOffset, float[] out, float[] weights) {
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
                    float[] keys = j < shared ? sk : k;
                    int row = (j < shared ? j : j - shared) * d;
                    for (int h = 0; h < nHead; h++) p[h * nk + j] = Gemv.dot(q, qo + h * hd, keys, row + h * hd, hd) * scale;
                }
            });
            for (int h = 0; h < nHead; h++) softmax(p, h * nk, seen);
            pool.run(ranges, t -> {
                int acc = t * d;
                Arrays.fill(partial, acc, acc + d, 0f);
                for (int j = seen * t / ranges, end = seen * (t + 1) / ranges; j < end; j++) {
                    float[] values = j < shared ? sv : v;
                    int row = (j < shared ? j : j - shared) * d;
                    for (int h = 0; h < nHead; h++) axpy(p[h * nk + j], values, row + h * hd, partial, acc + h * hd, hd);
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

    /** Value rows widened from fp16 at a time: 32 x 64 floats (8 KB) stay in L1 while every query reads them. */
    private static final int HALF_CHUNK = 32;
    /** Key blocks widened at a time: 4 x 8 (AVX2) or 4 x 16 keys, one score vector each. */
    private static final int KEY_BLOCKS = 4;

    /**
     * fp16 keys {@code k[nk, nHead * hd]} for {@link #half}: per head, blocks of one vector's worth of keys
     * ({@code L} lanes), each block transposed ({@code [hd][L]}), the last block padded with zeros. A query then
     * scores {@code L} keys with {@code hd} broadcast FMAs into one vector, with no reduction across lanes.
     */
    static short[] halfKeys(float[] k, int nk, int nHead, short[] reuse) {
        int d = k.length / nk, hd = d / nHead, lanes = F.length(), padded = paddedKeys(nk);
        boolean reused = reuse != null && reuse.length == nHead * padded * hd;
        short[] out = reused ? reuse : new short[nHead * padded * hd];
        for (int h = 0; h < nHead; h++) {
            for (int j = nk; reused && j < padded; j++) { // the padding keys are zeros, whatever was there
                int dst = halfKeyAt(h, j, padded, hd);
                for (int c = 0; c < hd; c++) out[dst + c * lanes] = 0;
            }
            for (int j = 0; j < nk; j++) {
                int dst = halfKeyAt(h, j, padded, hd);
                for (int c = 0; c < hd; c++) out[dst + c * lanes] = Float.floatToFloat16(k[j * d + h * hd + c]);
            }
        }
        return out;
    }

    private static int paddedKeys(int nk) {
        return (nk + F.length() - 1) / F.length() * F.length();
    }

    /** Where key {@code j} of head {@code h} starts in {@link #halfKeys}'s layout; its dimensions are a vector apart. */
    private static int halfKeyAt(int h, int j, int padded, int hd) {
        int lanes = F.length();
        return (h * padded + j / lanes * lanes) * hd + j % lanes;
    }

    /**
     * Attention to fp16 keys ({@link #halfKeys}) and values stored head-major ({@code [nHead][nk][hd]}): one task
     * per head, which streams its own contiguous keys, then values, widening a few blocks at a time into an L1
     * buffer that all queries then use. Bidirectional (the decoder's cross-attention).
     */
    void half(float[] q, int nq, short[] k, short[] v, int nk, int nHead, int hd, float[] out, float[] weights) {
        if (nq >= WIDEN_QUERIES) {
            widenedBlocked(q, nq, k, v, nk, nHead, hd, out, weights);
            return;
        }
        int d = nHead * hd, lanes = F.length(), padded = paddedKeys(nk), blocks = padded / lanes;
        float scale = (float) (1.0 / Math.sqrt(hd));
        pool.run(nHead, h -> {
            Scratch s = Scratch.get();
            float[] p = s.scores(nq * padded);
            float[] rows = s.rows(Math.max(HALF_CHUNK, KEY_BLOCKS * lanes) * hd);
            float[] scaled = s.query(nq * hd); // this head's queries, scaled by 1/sqrt(hd) once
            for (int i = 0; i < nq; i++) {
                for (int c = 0; c < hd; c++) scaled[i * hd + c] = q[i * d + h * hd + c] * scale;
            }
            int head = h * padded * hd;
            for (int b0 = 0; b0 < blocks; b0 += KEY_BLOCKS) {
                int count = Math.min(KEY_BLOCKS, blocks - b0);
                widen(k, head + b0 * lanes * hd, rows, count * lanes * hd);
                for (int i = 0; i < nq; i++) scoreBlocks(scaled, i * hd, rows, count, hd, p, i * padded + b0 * lanes);
            }
            for (int i = 0; i < nq; i++) {
                softmax(p, i * padded, nk);
                if (weights != null) System.arraycopy(p, i * padded, weights, (h * nq + i) * nk, nk);
                Arrays.fill(out, i * d + h * hd, i * d + h * hd + hd, 0f);
            }
            int values = h * nk * hd;
            for (int j0 = 0; j0 < nk; j0 += HALF_CHUNK) {
                int count = Math.min(HALF_CHUNK, nk - j0);
                widen(v, values + j0 * hd, rows, count * hd);
                for (int i = 0; i < nq; i++) {
                    int oo = i * d + h * hd, po = i * padded + j0;
                    for (int r = 0; r < count; r++) axpy(p[po + r], rows, r * hd, out, oo, hd);
                }
            }
        });
    }

    /**
     * Queries from which {@link #half} widens the keys and values to float32 rows once and takes the blocked GEMM
     * path: a prompt of up to 224 tokens at the start of every window made the per-query path the largest cost of
     * long-form decoding.
     */
    static final int WIDEN_QUERIES = 16;

    private void widenedBlocked(float[] q, int nq, short[] k, short[] v, int nk, int nHead, int hd, float[] out,
                                float[] weights) {
        int d = nHead * hd, lanes = F.length(), padded = paddedKeys(nk);
        Scratch caller = Scratch.get();
        float[] wk = caller.wideKeys(nk * d), wv = caller.wideValues(nk * d);
        pool.run(nHead, h -> {
            for (int j = 0; j < nk; j++) {
                int src = halfKeyAt(h, j, padded, hd), dst = j * d + h * hd;
                for (int c = 0; c < hd; c++) wk[dst + c] = Float.float16ToFloat(k[src + c * lanes]);
                Gemm.widen(v, (h * nk + j) * hd, wv, dst, hd);
            }
        });
        blocked(q, nq, wk, wv, nk, nHead, hd, -1, out, weights);
    }

    /** Scores of {@code count} (at most 4) transposed key blocks against the scaled query at {@code q[qo ..]}, into {@code p[po ..]}. */
    private static void scoreBlocks(float[] q, int qo, float[] keys, int count, int hd, float[] p, int po) {
        int lanes = F.length(), block = hd * lanes;
        if (count == KEY_BLOCKS) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int c = 0; c < hd; c++) {
                FloatVector qc = FloatVector.broadcast(F, q[qo + c]);
                int at = c * lanes;
                a0 = FloatVector.fromArray(F, keys, at).fma(qc, a0);
                a1 = FloatVector.fromArray(F, keys, block + at).fma(qc, a1);
                a2 = FloatVector.fromArray(F, keys, 2 * block + at).fma(qc, a2);
                a3 = FloatVector.fromArray(F, keys, 3 * block + at).fma(qc, a3);
            }
            a0.intoArray(p, po);
            a1.intoArray(p, po + lanes);
            a2.intoArray(p, po + 2 * lanes);
            a3.intoArray(p, po + 3 * lanes);
            return;
        }
        for (int b = 0; b < count; b++) {
            FloatVector a = FloatVector.zero(F);
            for (int c = 0; c < hd; c++) a = FloatVector.fromArray(F, keys, b * block + c * lanes).fma(FloatVector.broadcast(F, q[qo + c]), a);
            a.intoArray(p, po + b * lanes);
        }
    }

    private static void widen(short[] src, int from, float[] dst, int len) {
        Gemm.widen(src, from, dst, 0, len);
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
                softmax(sc, row, seen, scale);
                Arrays.fill(sc, row + seen, row + kv, 0f);
                if (weights != null) {
                    int base = (h * nq + i0 + r) * nk;
                    System.arraycopy(sc, row, weights, base, kv);
                    Arrays.fill(weights, base + kv, base + nk, 0f);
                }
                Arrays.fill(out, (i0 + r) * d + h * hd, (i0 + r) * d + h * hd + hd, 0f);
            }
            gemm.multiplyInPlaceA(sc, 0, kv, rows, kv, vp[h], 0, vp[h].panels(), hd, out, i0 * d + h * hd, d, s);
        });
    }

    /** Softmax of {@code x[off, off + len)} in place. */
    static void softmax(float[] x, int off, int len) {
        softmax(x, off, len, 1f);
    }

    /** Softmax of {@code scale · x[off, off + len)} in place ({@code scale > 0}), the scaling folded into the exponent. */
    static void softmax(float[] x, int off, int len, float scale) {
        int vl = F.length(), bound = F.loopBound(len), i = 0;
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (; i < bound; i += vl) mv = mv.max(FloatVector.fromArray(F, x, off + i));
        float max = mv.reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) max = Math.max(max, x[off + i]);
        FloatVector sv = FloatVector.zero(F);
        for (i = 0; i < bound; i += vl) {
            FloatVector e = FloatVector.fromArray(F, x, off + i).sub(max).mul(scale).lanewise(VectorOperators.EXP);
            e.intoArray(x, off + i);
            sv = sv.add(e);
        }
        float sum = Lanes.sum(sv);
        for (; i < len; i++) {
            float e = (float) Math.exp((x[off + i] - max) * scale);
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
