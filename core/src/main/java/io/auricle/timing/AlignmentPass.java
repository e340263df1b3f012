package io.auricle.timing;

import io.auricle.model.CrossAttentionSink;
import io.auricle.model.KvCache;
import io.auricle.model.WhisperModel;
import io.auricle.tensor.Ops;

import java.util.Arrays;

/**
 * The forward pass find_alignment makes over one window: the decoder reads
 * {@code sot sequence…, <|notimestamps|>, text tokens…, <|endoftext|>} against the window's audio features;
 * the alignment heads' cross-attention is kept ([heads][tokens][frames], softmax weights over all frames)
 * with the probability the model gives each text token (softmax over the text vocabulary, below eot).
 */
public final class AlignmentPass {
    private AlignmentPass() {}

    /** What {@link WordAligner} needs from the model for one window. */
    public record Result(float[][][] attention, float[] textTokenProbs) {}

    public static Result run(WhisperModel model, float[] audioFeatures, int[] sotSequence, int noTimestamps, int eot,
                             int[] textTokens) {
        return run(model, model.newCache(audioFeatures), sotSequence, noTimestamps, eot, textTokens);
    }

    /** As above, with a cache of the window (its cross-attention keys and values; its tokens are dropped first). */
    public static Result run(WhisperModel model, KvCache cache, int[] sotSequence, int noTimestamps, int eot,
                             int[] textTokens) {
        cache.truncate(0);
        int[] tokens = new int[sotSequence.length + textTokens.length + 2];
        System.arraycopy(sotSequence, 0, tokens, 0, sotSequence.length);
        tokens[sotSequence.length] = noTimestamps;
        System.arraycopy(textTokens, 0, tokens, sotSequence.length + 1, textTokens.length);
        tokens[tokens.length - 1] = eot;

        int[][] heads = model.checkpoint().alignmentHeads();
        Capture capture = new Capture(heads, tokens.length);
        float[] hidden = model.forward(tokens, cache, capture);

        // the position before text token k predicts it: <|notimestamps|> predicts the first. A few rows per product:
        // one pass over the vocabulary matrix for each row had been a quarter of a word-timestamped run's time.
        float[] probs = new float[textTokens.length];
        int vocab = model.dims().nVocab(), perPass = WhisperModel.LOGIT_ROWS_PER_PASS;
        float[] logits = new float[Math.min(perPass, Math.max(1, textTokens.length)) * vocab];
        Ops ops = Ops.get();
        for (int k0 = 0; k0 < textTokens.length; k0 += perPass) {
            int n = Math.min(perPass, textTokens.length - k0);
            model.logitsOfRows(hidden, sotSequence.length + k0, n, logits);
            for (int k = 0; k < n; k++) probs[k0 + k] = probability(ops, logits, k * vocab, textTokens[k0 + k], eot);
        }
        return new Result(capture.weights, probs);
    }

    /** softmax(logits[from, from + eot))[token], as find_alignment's token_probs. */
    static float probability(Ops ops, float[] logits, int from, int token, int eot) {
        if (token >= eot) return 0f;
        return (float) Math.exp(logits[from + token] - ops.logSumExp(logits, from, from + eot));
    }

    /** Copies the alignment heads' rows out of each layer's [nHead, nq, nk] weights. */
    private static final class Capture implements CrossAttentionSink {
        private final int[][] heads;
        private final int tokens;
        final float[][][] weights;

        Capture(int[][] heads, int tokens) {
            this.heads = heads;
            this.tokens = tokens;
            this.weights = new float[heads.length][][];
        }

        @Override
        public boolean wants(int layer) {
            return Arrays.stream(heads).anyMatch(h -> h[0] == layer);
        }

        @Override
        public void accept(int layer, float[] w, int nHead, int nq, int nk) {
            if (nq != tokens) throw new IllegalStateException("expected one pass over " + tokens + " tokens, got " + nq);
            for (int i = 0; i < heads.length; i++) {
                if (heads[i][0] != layer) continue;
                int head = heads[i][1];
                float[][] rows = new float[nq][];
                for (int q = 0; q < nq; q++) {
                    int from = (head * nq + q) * nk;
                    rows[q] = Arrays.copyOfRange(w, from, from + nk);
                }
                weights[i] = rows;
            }
        }
    }
}
