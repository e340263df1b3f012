package io.auricle.tensor;

/**
 * Per-thread working buffers for the kernels, grown on demand and kept, so a decoder step allocates nothing.
 * Each named buffer has one user at a time; a kernel never holds two views of the same one.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    private float[] rows = new float[0];
    private float[] packA = new float[0];
    private float[] tile = new float[0];
    private float[] wideB = new float[0];
    private float[] panels = new float[0];
    private float[] scores = new float[0];
    private float[] query = new float[0];
    private float[] wideKeys = new float[0];
    private float[] wideValues = new float[0];
    private float[] im2col = new float[0];
    private float[] keys = new float[0];
    private float[] values = new float[0];
    private byte[] bytes = new byte[0];

    static Scratch get() {
        return LOCAL.get();
    }

    /** Decoded weight rows (GEMV, packing). */
    float[] rows(int n) {
        if (rows.length < n) rows = new float[n];
        return rows;
    }

    /** The GEMM's packed block of the left operand. */
    float[] packA(int n) {
        if (packA.length < n) packA = new float[n];
        return packA;
    }

    /** A weight's compact GEMM panels widened to float32 for one product (the caller's). */
    float[] wideB(int n) {
        if (wideB.length < n) wideB = new float[n];
        return wideB;
    }

    /** GEMM panels packed for one product (a weight that keeps none). */
    float[] panels(int n) {
        if (panels.length < n) panels = new float[n];
        return panels;
    }

    /** The GEMM's edge tile. */
    float[] tile(int n) {
        if (tile.length < n) tile = new float[n];
        return tile;
    }

    /** One head's queries, scaled (fp16 cross-attention). */
    float[] query(int n) {
        if (query.length < n) query = new float[n];
        return query;
    }

    /** fp16 cross-attention keys widened to float32 rows, for a prompt's many queries. */
    float[] wideKeys(int n) {
        if (wideKeys.length < n) wideKeys = new float[n];
        return wideKeys;
    }

    /** As {@link #wideKeys}, the values. */
    float[] wideValues(int n) {
        if (wideValues.length < n) wideValues = new float[n];
        return wideValues;
    }

    /** Attention scores of one block of queries. */
    float[] scores(int n) {
        if (scores.length < n) scores = new float[n];
        return scores;
    }

    /** The convolution's unfolded input (used on the calling thread only). */
    float[] im2col(int n) {
        if (im2col.length < n) im2col = new float[n];
        return im2col;
    }

    /** Packed keys of every head, or the scores of a few queries (held by the calling thread, shared with the workers). */
    float[] keys(int n) {
        if (keys.length < n) keys = new float[n];
        return keys;
    }

    /** Packed values of every head, or per-range partial outputs (as {@link #keys}). */
    float[] values(int n) {
        if (values.length < n) values = new float[n];
        return values;
    }

    byte[] bytes(int n) {
        if (bytes.length < n) bytes = new byte[n];
        return bytes;
    }
}
