package io.auricle.model;

import io.auricle.tensor.Ops;

/**
 * The Whisper network, weights prepared once at construction: {@link #embedAudio} runs the encoder on a
 * window of log-mel frames; {@link #newCache}, {@link #forward} and {@link #logits} run the decoder one
 * step at a time with a KV cache. Searching over tokens lives in {@code io.auricle.decoding}.
 */
public final class WhisperModel {
    private static final ThreadBuffer LOGITS_PASS = new ThreadBuffer(); // a step's logits, a pass of rows at a time
    private final Checkpoint checkpoint;
    private final Ops ops;
    private final AudioEncoder encoder;
    private final TextDecoder decoder;
    private final ComputeType computeType;

    /** The model computing its decoder in {@code computeType} ({@link ComputeType#DEFAULT}: as the weights are stored). */
    public WhisperModel(Checkpoint checkpoint, Ops ops, ComputeType computeType) {
        this.checkpoint = checkpoint;
        this.ops = ops;
        this.computeType = computeType.resolve(checkpoint.tensor("decoder.blocks.0.mlp.0.weight").type());
        Weights weights = new Weights(checkpoint, ops, this.computeType);
        this.encoder = new AudioEncoder(weights, checkpoint.dims());
        this.decoder = new TextDecoder(weights, checkpoint.dims());
    }

    public WhisperModel(Checkpoint checkpoint, Ops ops) {
        this(checkpoint, ops, ComputeType.DEFAULT);
    }

    public WhisperModel(Checkpoint checkpoint) {
        this(checkpoint, Ops.get());
    }

    TextDecoder decoder() {
        return decoder;
    }

    /** The decoder's compute type, resolved (never {@link ComputeType#DEFAULT}). */
    public ComputeType computeType() {
        return computeType;
    }

    public ModelDimensions dims() {
        return checkpoint.dims();
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /** The encoder output {@code [nAudioCtx, nAudioState]} of one window {@code mel [nMels][3000]}. */
    public float[] embedAudio(float[][] mel) {
        return embedAudio(mel, dims().nAudioCtx());
    }

    /**
     * The encoder output {@code [nAudioCtx, nAudioState]} using only the first {@code 2·nAudioCtx} mel frames:
     * faster, less accurate on long windows (whisper.cpp's audio-context option).
     */
    public float[] embedAudio(float[][] mel, int nAudioCtx) {
        return embedAudio(mel, nAudioCtx, null);
    }

    /** As {@link #embedAudio(float[][], int)}, into {@code done} (an earlier result no longer needed) when it fits. */
    public float[] embedAudio(float[][] mel, int nAudioCtx, float[] done) {
        return encoder.forward(ops, mel, nAudioCtx, done);
    }

    /** A decoder cache for one window: cross-attention keys/values of {@code audioFeatures}, computed once. */
    public KvCache newCache(float[] audioFeatures) {
        return newCache(audioFeatures, null);
    }

    /**
     * As {@link #newCache(float[])}, taking over the arrays of {@code done} (null, or a cache of an earlier window
     * that neither it nor any of its forks will be used again) when their shapes fit: a window-by-window loop
     * then keeps one set of cross-attention keys and values instead of allocating them for every window.
     */
    public KvCache newCache(float[] audioFeatures, KvCache done) {
        return decoder.newCache(ops, audioFeatures, audioFeatures.length / dims().nAudioState(), done);
    }

    /**
     * Decodes {@code tokens}, the next ones after those in {@code cache}, and returns their hidden states
     * {@code [n, nTextState]}; pass rows to {@link #logits}. {@code sink} (may be null) receives cross-attention weights.
     */
    public float[] forward(int[] tokens, KvCache cache, CrossAttentionSink sink) {
        return decoder.forward(ops, tokens, cache, sink);
    }

    /**
     * One decoder step for several sequences: {@code tokens[i]} is appended to {@code caches[i]}, which may be
     * forks of one window ({@link KvCache#fork}: beams, samples) or caches of different windows (a batch), each
     * at its own position; the layers' products and the logits run once over all rows (the weights are read once
     * per step). Returns each row's logits {@code [nVocab]}.
     */
    public float[][] step(int[] tokens, KvCache[] caches) {
        return step(tokens, caches, null);
    }

    /** As {@link #step(int[], KvCache[])}; {@code sinks[i]} (the array or an entry may be null) receives row i's cross-attention weights. */
    public float[][] step(int[] tokens, KvCache[] caches, CrossAttentionSink[] sinks) {
        return step(tokens, caches, sinks, null);
    }

    /**
     * As {@link #step(int[], KvCache[], CrossAttentionSink[])}, each row's logits written into the array at that index
     * of {@code done} (the last step's logits, no longer needed; null or missing rows get new arrays).
     */
    public float[][] step(int[] tokens, KvCache[] caches, CrossAttentionSink[] sinks, float[][] done) {
        float[] hidden = decoder.forward(ops, tokens, caches, sinks);
        int n = tokens.length, v = dims().nVocab();
        // one buffer per thread, not one in the workspace of whichever cache leads the step: a batch's beams put forty
        // caches there in turn, and each kept its own
        float[] pass = LOGITS_PASS.get(Math.min(n, LOGIT_ROWS_PER_PASS) * v);
        float[][] out = new float[n][];
        for (int r0 = 0; r0 < n; r0 += LOGIT_ROWS_PER_PASS) {
            int rows = Math.min(LOGIT_ROWS_PER_PASS, n - r0);
            decoder.logitsOfRows(ops, hidden, r0, rows, pass);
            for (int i = r0; i < r0 + rows; i++) {
                out[i] = done != null && i < done.length && done[i] != null && done[i].length == v ? done[i] : new float[v];
                System.arraycopy(pass, (i - r0) * v, out[i], 0, v);
            }
        }
        return out;
    }

    /**
     * Rows per {@link #logitsOfRows} call that keep the vocabulary product skinny: each call reads the head once in
     * its stored type, and it is never widened to float32 GEMM panels (80 MB at tiny's vocabulary), which a product
     * over 16 rows or more would make and keep. {@link #step} takes its rows this many at a time.
     */
    public static final int LOGIT_ROWS_PER_PASS = 15;

    /**
     * The logits {@code [n, nVocab]} of rows {@code [from, from + n)} of {@code hidden} in one pass over the head,
     * into {@code into} (at least {@code n * nVocab} floats), which it returns; see {@link #LOGIT_ROWS_PER_PASS}.
     */
    public float[] logitsOfRows(float[] hidden, int from, int n, float[] into) {
        return decoder.logitsOfRows(ops, hidden, from, n, into);
    }

    /** The logits {@code [nVocab]} for row {@code row} of {@code hidden} (tied head). */
    public float[] logits(float[] hidden, int row) {
        return decoder.logits(ops, hidden, row);
    }

    /**
     * As {@link #logits(float[], int)}, written into {@code into} ({@code nVocab} floats, reused from step to step:
     * 207 KB a token spared at tiny's vocabulary) and returned.
     */
    public float[] logits(float[] hidden, int row, float[] into) {
        return decoder.logits(ops, hidden, row, into);
    }
}
