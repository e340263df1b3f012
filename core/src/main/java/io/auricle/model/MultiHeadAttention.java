package io.auricle.model;

import io.auricle.tensor.Ops;

/**
 * Whisper's multi-head attention: query, value and out have a bias, key has none. Whisper scales q and k
 * by (d/nHead)^-0.25 each; {@link Ops#attention} applies the same 1/sqrt(headDim) to their product.
 */
final class MultiHeadAttention {
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear out;
    private final int nHead;
    private final int d;

    private MultiHeadAttention(Linear query, Linear key, Linear value, Linear out, int nHead) {
        this.query = query;
        this.key = key;
        this.value = value;
        this.out = out;
        this.nHead = nHead;
        this.d = query.out();
    }

    static MultiHeadAttention load(Weights w, String prefix, int nHead) {
        return new MultiHeadAttention(
                Linear.load(w, prefix + ".query", true),
                Linear.load(w, prefix + ".key", false),
                Linear.load(w, prefix + ".value", true),
                Linear.load(w, prefix + ".out", true),
                nHead);
    }

    /**
     * Bidirectional self-attention over {@code x[n, d]} (the encoder); the result goes to {@code y[n, d]}.
     * q, k, v and the heads' output live in {@code b}; {@code x} may be the heads' output array (it is read first).
     */
    void selfAttention(Ops ops, float[] x, int n, float[] y, EncoderBuffers b) {
        float[] q = b.q, k = b.k, v = b.v, o = b.attention;
        query.apply(ops, x, n, q);
        key.apply(ops, x, n, k);
        value.apply(ops, x, n, v);
        ops.attention(q, n, k, v, n, nHead, d / nHead, -1, o, null);
        out.apply(ops, o, n, y);
    }

    /**
     * Causal self-attention of {@code n} new tokens at positions {@code offset..offset+n-1}: their keys and
     * values are appended to the layer's cache, then each attends to every cached position up to its own.
     */
    void cachedSelfAttention(Ops ops, float[] x, int n, KvCache.Layer cache, int offset, float[] y, DecoderWorkspace ws) {
        float[] q = ws.query(n * d), k = ws.keyValue(n * d), v = ws.value(n * d), o = ws.attended(n * d);
        query.apply(ops, x, n, q);
        key.apply(ops, x, n, k);
        value.apply(ops, x, n, v);
        for (int i = 0; i < n; i++) cache.put(offset + i, k, i * d, v, i * d, d);
        if (cache.shared() == 0) {
            ops.attention(q, n, cache.selfK(), cache.selfV(), offset + n, nHead, d / nHead, offset, o, null);
        } else { // a fork: its first rows are another cache's, so one row at a time
            float[] qi = new float[d], oi = new float[d];
            for (int i = 0; i < n; i++) attendRow(ops, q, i, cache, offset + i, qi, oi, o);
        }
        out.apply(ops, o, n, y);
    }

    /**
     * One new token per sequence, {@code x[n, d]}, row i at position {@code offsets[i]} of its own cache: the
     * projections run as one n-row product (the weights are read once for all rows), the attention per row.
     */
    void cachedSelfAttention(Ops ops, float[] x, int n, KvCache.Layer[] caches, int[] offsets, float[] y,
                             DecoderWorkspace ws) {
        float[] q = ws.query(n * d), k = ws.keyValue(n * d), v = ws.value(n * d), o = ws.attended(n * d);
        query.apply(ops, x, n, q);
        key.apply(ops, x, n, k);
        value.apply(ops, x, n, v);
        float[] qi = new float[d], oi = new float[d];
        for (int i = 0; i < n; i++) {
            caches[i].put(offsets[i], k, i * d, v, i * d, d);
            attendRow(ops, q, i, caches[i], offsets[i], qi, oi, o);
        }
        out.apply(ops, o, n, y);
    }

    /**
     * Row {@code i} of {@code q}, the token at {@code position} of cache {@code c}, attending to the tokens up to its
     * own (a fork's shared rows, then its own), into row {@code i} of {@code o}; {@code qi, oi} are one row each.
     */
    private void attendRow(Ops ops, float[] q, int i, KvCache.Layer c, int position, float[] qi, float[] oi, float[] o) {
        System.arraycopy(q, i * d, qi, 0, d);
        if (c.shared() == 0) {
            ops.attention(qi, 1, c.selfK(), c.selfV(), position + 1, nHead, d / nHead, position, oi, null);
        } else {
            ops.attention(qi, c.sharedK(), c.sharedV(), c.shared(), c.selfK(), c.selfV(), position + 1, nHead, d / nHead, oi);
        }
        System.arraycopy(oi, 0, o, i * d, d);
    }

    /**
     * Cross-attention of one row per cache, {@code x[n, d]}: the query and out products over all rows, the
     * attention once per run of consecutive rows sharing a window's keys and values.
     */
    void crossAttention(Ops ops, float[] x, int n, KvCache.Layer[] caches, float[] y, float[][] weights,
                        DecoderWorkspace ws) {
        float[] q = ws.query(n * d), o = ws.attended(n * d);
        query.apply(ops, x, n, q);
        for (int i = 0; i < n; ) {
            KvCache.Cross kv = caches[i].cross();
            float[] rowWeights = weights == null ? null : weights[i];
            int j = i + 1;
            // rows of one cache (beams) share a pass over its keys; a row whose weights are wanted goes alone
            while (rowWeights == null && j < n && caches[j].cross() == kv && (weights == null || weights[j] == null)) j++;
            if (i == 0 && j == n) { // one window's rows (beams, samples): straight from q into o
                attend(ops, q, n, kv, o, rowWeights);
            } else {
                float[] qs = java.util.Arrays.copyOfRange(q, i * d, j * d), os = new float[(j - i) * d];
                attend(ops, qs, j - i, kv, os, rowWeights);
                System.arraycopy(os, 0, o, i * d, (j - i) * d);
            }
            i = j;
        }
        out.apply(ops, o, n, y);
    }

    /** Keys and values of the audio features {@code audio[nk, d]}, computed once per window. */
    void projectKeyValue(Ops ops, float[] audio, int nk, float[] k, float[] v) {
        key.apply(ops, audio, nk, k);
        value.apply(ops, audio, nk, v);
    }

    /** Cross-attention of {@code x[n, d]} to cached audio keys/values; {@code weights} may be null. */
    void crossAttention(Ops ops, float[] x, int n, KvCache.Cross kv, float[] y, float[] weights, DecoderWorkspace ws) {
        float[] q = ws.query(n * d), o = ws.attended(n * d);
        query.apply(ops, x, n, q);
        attend(ops, q, n, kv, o, weights);
        out.apply(ops, o, n, y);
    }

    private void attend(Ops ops, float[] q, int n, KvCache.Cross kv, float[] o, float[] weights) {
        if (kv.isHalf()) ops.attentionHalf(q, n, kv.halfK(), kv.halfV(), kv.nAudioCtx(), nHead, d / nHead, o, weights);
        else ops.attention(q, n, kv.k(), kv.v(), kv.nAudioCtx(), nHead, d / nHead, -1, o, weights);
    }

    int nHead() {
        return nHead;
    }
}
