package io.auricle.model;

import io.auricle.tensor.Matrix;
import io.auricle.tensor.Ops;
import io.auricle.tensor.Tensor;

/**
 * The text decoder: token embedding plus learned positions, pre-LN blocks with cross-attention to the
 * audio, final LN, and logits through the tied head (the token embedding transposed, no bias).
 */
final class TextDecoder {
    /** The cross-attention weights handed to a sink (valid only during its call): 5 MB a layer at 150 tokens. */
    private static final ThreadBuffer SINK_WEIGHTS = new ThreadBuffer();
    private final Tensor tokenEmbedding; // [nVocab, d] in the compute type, read a row at a time
    private final Matrix head;           // the same tensor, prepared for the logits product
    private final float[] positionalEmbedding; // [nTextCtx, d]
    private final ResidualAttentionBlock[] blocks;
    private final LayerNorm ln;
    private final ModelDimensions dims;
    private final boolean halfCross; // cross-attention K/V cached as fp16
    private final java.util.concurrent.atomic.AtomicReference<float[][]> crossScratch =
            new java.util.concurrent.atomic.AtomicReference<>();

    TextDecoder(Weights w, ModelDimensions dims) {
        int d = dims.nTextState();
        this.dims = dims;
        this.halfCross = w.compute().halfCrossKeyValues();
        w.tensor("decoder.token_embedding.weight", dims.nVocab(), d); // checks the shape
        head = w.matrix("decoder.token_embedding.weight");
        // Rows looked up in the compute type's copy, as CTranslate2 gathers from its int8 embeddings: an fp16 file's
        // pages are then not read back (page by page, as tokens come) beside the int8 copy (21 MB at tiny.en).
        tokenEmbedding = head.source();
        positionalEmbedding = w.tensor("decoder.positional_embedding", dims.nTextCtx(), d).toFloatArray();
        blocks = new ResidualAttentionBlock[dims.nTextLayer()];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = ResidualAttentionBlock.load(w, "decoder.blocks." + i, dims.nTextHead(), true);
        }
        ln = LayerNorm.load(w, "decoder.ln");
    }

    /** The token embedding rows are looked up in (the compute type's copy of the stored one). */
    Tensor tokenEmbedding() {
        return tokenEmbedding;
    }

    /**
     * A cache for one window: the cross-attention K/V of {@code audio [nAudioCtx, d]}, per layer. {@code reuse}, if
     * not null, is an earlier window's cache that is done with: when its shapes fit, the new one takes over its
     * arrays (which {@code reuse} and its forks then must not be used with), so that a long file does not allocate
     * and promote every window's keys and values (9 MB a window at tiny in fp16).
     */
    KvCache newCache(Ops ops, float[] audio, int nAudioCtx, KvCache reuse) {
        int d = dims.nTextState();
        if (audio.length != nAudioCtx * d) {
            throw new IllegalArgumentException("audio features have " + audio.length + " values, expected "
                    + nAudioCtx + " x " + d);
        }
        boolean refill = reuse != null && reuse.fits(blocks.length, nAudioCtx, halfCross);
        KvCache.Layer[] layers = new KvCache.Layer[blocks.length];
        int rows = refill ? reuse.rows() : Math.min(dims.nTextCtx(), KvCache.INITIAL_ROWS);
        // fp16: the float32 keys and values of one layer at a time, in arrays shared by the decoder's calls
        float[][] kv = halfCross ? takeCrossScratch(nAudioCtx * d) : null;
        for (int i = 0; i < blocks.length; i++) {
            layers[i] = blocks[i].newCacheLayer(ops, audio, nAudioCtx, rows, halfCross, refill ? reuse.layer(i) : null,
                    kv == null ? null : kv[0], kv == null ? null : kv[1]);
        }
        if (kv != null) crossScratch.set(kv);
        return refill ? new KvCache(layers, dims.nTextCtx(), rows, reuse) : new KvCache(layers, dims.nTextCtx(), rows);
    }

    /**
     * Two float arrays of exactly {@code n} for a window's keys and values before fp16: the last call's when free
     * (a concurrent call makes its own), so that neither each window nor each cache (a batch holds eight) keeps a pair.
     */
    private float[][] takeCrossScratch(int n) {
        float[][] kv = crossScratch.getAndSet(null);
        return kv != null && kv[0].length == n ? kv : new float[][] {new float[n], new float[n]};
    }

    /**
     * Runs {@code tokens} at positions {@code cache.length()..}, appending them to the cache, and returns their
     * final hidden states {@code [n, d]} (after the last LayerNorm). {@code sink} may be null.
     */
    float[] forward(Ops ops, int[] tokens, KvCache cache, CrossAttentionSink sink) {
        int n = tokens.length, d = dims.nTextState(), offset = cache.length();
        if (n == 0) throw new IllegalArgumentException("no tokens to decode");
        cache.ensureRoom(n);  // refuses more than the text context
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int token = tokens[i];
            if (token < 0 || token >= dims.nVocab()) throw new IllegalArgumentException("token id out of range: " + token);
            long row = (long) token * d;
            for (int c = 0; c < d; c++) {
                x[i * d + c] = tokenEmbedding.get(row + c) + positionalEmbedding[(offset + i) * d + c];
            }
        }
        for (int l = 0; l < blocks.length; l++) {
            KvCache.Layer layer = cache.layer(l);
            boolean capture = sink != null && sink.wants(l);
            float[] weights = capture ? SINK_WEIGHTS.get(blocks[l].nHead() * n * layer.nAudioCtx()) : null;
            blocks[l].decode(ops, x, n, layer, offset, weights, cache.workspace());
            if (capture) sink.accept(l, weights, blocks[l].nHead(), n, layer.nAudioCtx());
        }
        cache.advance(n);
        ln.apply(ops, x, n, x);
        return x;
    }

    /**
     * One token per sequence: {@code tokens[i]} goes to {@code caches[i]} at that cache's own position. The caches
     * may be forks of one window (beams, samples) or of different windows (a batch of VAD chunks); the layers'
     * products run as one n-row product, the attention per row. Returns the final hidden states {@code [n, d]},
     * as {@link #forward(Ops, int[], KvCache, CrossAttentionSink)}. {@code sinks} may be null, as may each of its
     * entries: {@code sinks[i]} receives row i's cross-attention weights ({@code nq} = 1).
     */
    float[] forward(Ops ops, int[] tokens, KvCache[] caches, CrossAttentionSink[] sinks) {
        int n = tokens.length, d = dims.nTextState();
        if (n != caches.length) throw new IllegalArgumentException(n + " tokens for " + caches.length + " caches");
        int[] offsets = new int[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = caches[i].length();
            caches[i].ensureRoom(1);  // refuses a full text context; a cache may appear twice (eot fed again)
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int token = tokens[i];
            if (token < 0 || token >= dims.nVocab()) throw new IllegalArgumentException("token id out of range: " + token);
            long row = (long) token * d;
            int position = offsets[i] * d;
            for (int c = 0; c < d; c++) x[i * d + c] = tokenEmbedding.get(row + c) + positionalEmbedding[position + c];
        }
        KvCache.Layer[] layers = new KvCache.Layer[n];
        float[][] weights = new float[n][];
        for (int l = 0; l < blocks.length; l++) {
            int nHead = blocks[l].nHead();
            for (int i = 0; i < n; i++) {
                layers[i] = caches[i].layer(l);
                boolean capture = sinks != null && sinks[i] != null && sinks[i].wants(l);
                weights[i] = capture ? new float[nHead * layers[i].nAudioCtx()] : null;
            }
            blocks[l].decode(ops, x, n, layers, offsets, weights, caches[0].workspace());
            for (int i = 0; i < n; i++) {
                if (weights[i] != null) sinks[i].accept(l, weights[i], nHead, 1, layers[i].nAudioCtx());
            }
        }
        for (KvCache c : caches) c.advance(1);
        ln.apply(ops, x, n, x);
        return x;
    }

    /**
     * The logits {@code [n, nVocab]} of rows {@code [from, from + n)} of hidden states, in one product, into
     * {@code into} (at least {@code n * nVocab} floats), which it returns.
     */
    float[] logitsOfRows(Ops ops, float[] hidden, int from, int n, float[] into) {
        int d = dims.nTextState();
        if (into.length < n * dims.nVocab()) {
            throw new IllegalArgumentException("room for " + into.length + " logits of " + n + " x " + dims.nVocab());
        }
        float[] x = from == 0 ? hidden : java.util.Arrays.copyOfRange(hidden, from * d, (from + n) * d);
        ops.matmul(x, n, head, null, into);
        return into;
    }

    /** The logits {@code [nVocab]} of row {@code row} of hidden states from {@link #forward}. */
    float[] logits(Ops ops, float[] hidden, int row) {
        return logits(ops, hidden, row, new float[dims.nVocab()]);
    }

    /** As {@link #logits(Ops, float[], int)}, into {@code logits} (at least nVocab floats), which it returns. */
    float[] logits(Ops ops, float[] hidden, int row, float[] logits) {
        int d = dims.nTextState();
        if (logits.length < dims.nVocab()) throw new IllegalArgumentException("room for " + logits.length + " logits of " + dims.nVocab());
        float[] x = hidden;
        if (row != 0) { // a one-row product reads its input from index 0
            x = new float[d];
            System.arraycopy(hidden, row * d, x, 0, d);
        }
        ops.matmul(x, 1, head, null, logits);
        return logits;
    }
}
