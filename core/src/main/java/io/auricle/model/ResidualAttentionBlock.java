package io.auricle.model;

import io.auricle.tensor.Ops;

/**
 * A pre-LN transformer block: {@code x += attn(attn_ln(x))}, in the decoder {@code x += cross_attn(cross_attn_ln(x),
 * audio)}, then {@code x += mlp(mlp_ln(x))} with an exact-GELU MLP of width 4d.
 */
final class ResidualAttentionBlock {
    private final MultiHeadAttention attn;
    private final LayerNorm attnLn;
    private final MultiHeadAttention crossAttn; // null in the encoder
    private final LayerNorm crossAttnLn;
    private final Linear mlpIn;
    private final Linear mlpOut;
    private final LayerNorm mlpLn;
    private final int d;

    private ResidualAttentionBlock(MultiHeadAttention attn, LayerNorm attnLn, MultiHeadAttention crossAttn,
                                   LayerNorm crossAttnLn, Linear mlpIn, Linear mlpOut, LayerNorm mlpLn) {
        this.attn = attn;
        this.attnLn = attnLn;
        this.crossAttn = crossAttn;
        this.crossAttnLn = crossAttnLn;
        this.mlpIn = mlpIn;
        this.mlpOut = mlpOut;
        this.mlpLn = mlpLn;
        this.d = attnLn.gamma().length;
    }

    static ResidualAttentionBlock load(Weights w, String prefix, int nHead, boolean crossAttention) {
        return new ResidualAttentionBlock(
                MultiHeadAttention.load(w, prefix + ".attn", nHead),
                LayerNorm.load(w, prefix + ".attn_ln"),
                crossAttention ? MultiHeadAttention.load(w, prefix + ".cross_attn", nHead) : null,
                crossAttention ? LayerNorm.load(w, prefix + ".cross_attn_ln") : null,
                Linear.load(w, prefix + ".mlp.0", true),
                Linear.load(w, prefix + ".mlp.2", true),
                LayerNorm.load(w, prefix + ".mlp_ln"));
    }

    /** The encoder block on {@code x[n, d]}, in place, its intermediate arrays taken from {@code b}. */
    void encode(Ops ops, float[] x, int n, EncoderBuffers b) {
        attnLn.apply(ops, x, n, b.norm);
        attn.selfAttention(ops, b.norm, n, b.out, b);
        ops.addInPlace(x, b.out, n * d);
        mlp(ops, x, n, b.norm, b.out, b.hidden);
    }

    /**
     * The decoder block on {@code x[n, d]} (new tokens at {@code offset}), in place; {@code crossWeights} is
     * null or {@code [nHead, n, nAudioCtx]} for the cross-attention softmax weights.
     */
    void decode(Ops ops, float[] x, int n, KvCache.Layer cache, int offset, float[] crossWeights, DecoderWorkspace ws) {
        float[] h = ws.normed(n * d), y = ws.branch(n * d);
        attnLn.apply(ops, x, n, h);
        attn.cachedSelfAttention(ops, h, n, cache, offset, y, ws);
        ops.addInPlace(x, y, n * d);
        crossAttnLn.apply(ops, x, n, h);
        crossAttn.crossAttention(ops, h, n, cache.cross(), y, crossWeights, ws);
        ops.addInPlace(x, y, n * d);
        mlp(ops, x, n, h, y, ws.hidden(n * mlpIn.out()));
    }

    /**
     * The decoder block on one new token per sequence, {@code x[n, d]}, row i at position {@code offsets[i]} of
     * {@code caches[i]}: forks of one window or caches of different windows. {@code crossWeights[i]}, when not
     * null, receives row i's cross-attention softmax weights {@code [nHead, nAudioCtx]}. {@code ws} is the first
     * cache's.
     */
    void decode(Ops ops, float[] x, int n, KvCache.Layer[] caches, int[] offsets, float[][] crossWeights,
                DecoderWorkspace ws) {
        float[] h = ws.normed(n * d), y = ws.branch(n * d);
        attnLn.apply(ops, x, n, h);
        attn.cachedSelfAttention(ops, h, n, caches, offsets, y, ws);
        ops.addInPlace(x, y, n * d);
        crossAttnLn.apply(ops, x, n, h);
        crossAttn.crossAttention(ops, h, n, caches, y, crossWeights, ws);
        ops.addInPlace(x, y, n * d);
        mlp(ops, x, n, h, y, ws.hidden(n * mlpIn.out()));
    }

    /**
     * Cross-attention keys and values of the audio features for this block's cache entry, fp16 if {@code half}, and
     * room for the self-attention keys and values of {@code rows} tokens. With {@code reuse} (an earlier window's
     * entry of the same shape and {@code rows}) its arrays are overwritten instead of new ones made. {@code k} and
     * {@code v} ({@code [nAudioCtx, d]}) are working space when {@code half}; ignored otherwise.
     */
    KvCache.Layer newCacheLayer(Ops ops, float[] audio, int nAudioCtx, int rows, boolean half, KvCache.Layer reuse,
                                float[] k, float[] v) {
        KvCache.Cross old = reuse == null ? null : reuse.cross();
        if (!half) {
            k = old != null ? old.k() : new float[nAudioCtx * d];
            v = old != null ? old.v() : new float[nAudioCtx * d];
        }
        crossAttn.projectKeyValue(ops, audio, nAudioCtx, k, v);
        KvCache.Cross cross = half ? KvCache.Cross.half(ops, k, v, nAudioCtx, nHead(), old) : KvCache.Cross.of(k, v, nAudioCtx);
        if (reuse != null) return new KvCache.Layer(reuse.selfK(), reuse.selfV(), cross);
        return new KvCache.Layer(new float[rows * d], new float[rows * d], cross);
    }

    int nHead() {
        return attn.nHead();
    }

    /** {@code hidden} holds at least {@code n · 4d} floats. */
    private void mlp(Ops ops, float[] x, int n, float[] h, float[] y, float[] hidden) {
        mlpLn.apply(ops, x, n, h);
        mlpIn.apply(ops, h, n, hidden);
        ops.gelu(hidden, n * mlpIn.out());
        mlpOut.apply(ops, hidden, n, y);
        ops.addInPlace(x, y, n * d);
    }
}
