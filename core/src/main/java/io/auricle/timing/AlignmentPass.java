package io.auricle.timing;

import io.auricle.model.KvCache;
import io.auricle.model.ThreadBuffer;
import io.auricle.model.WhisperModel;
import io.auricle.tensor.Ops;

/**
 * The forward pass find_alignment makes over one window: the decoder reads
 * {@code sot sequence…, <|notimestamps|>, text tokens…, <|endoftext|>} against the window's audio features;
 * the alignment heads' cross-attention is kept ([heads][tokens][frames], softmax weights over all frames)
 * with the probability the model gives each text token (softmax over the text vocabulary, below eot).
 */
public final class AlignmentPass {
    private static final ThreadBuffer LOGITS = new ThreadBuffer(); // a pass of rows' logits (3 MB at 15 rows)

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
        return run(model, cache, sotSequence, noTimestamps, eot, textTokens,
                new AlignmentCapture(model.checkpoint().alignmentHeads()));
    }

    /**
     * As above, gathering into {@code capture} (reset first): a transcription passes the same one for every window,
     * so that the rows are written over rather than made anew (the result is valid until the capture's next use).
     */
    public static Result run(WhisperModel model, KvCache cache, int[] sotSequence, int noTimestamps, int eot,
                             int[] textTokens, AlignmentCapture capture) {
        cache.truncate(0);
        capture.reset();
        int[] tokens = new int[sotSequence.length + textTokens.length + 2];
        System.arraycopy(sotSequence, 0, tokens, 0, sotSequence.length);
        tokens[sotSequence.length] = noTimestamps;
        System.arraycopy(textTokens, 0, tokens, sotSequence.length + 1, textTokens.length);
        tokens[tokens.length - 1] = eot;
        float[] hidden = model.forward(tokens, cache, capture);

        // the position before text token k predicts it: <|notimestamps|> predicts the first. A few rows per product:
        // one pass over the vocabulary matrix for each row had been a quarter of a word-timestamped run's time.
        int vocab = model.dims().nVocab(), perPass = WhisperModel.LOGIT_ROWS_PER_PASS;
        float[] logits = LOGITS.get(Math.min(perPass, Math.max(1, textTokens.length)) * vocab);
        Ops ops = Ops.get();
        for (int k0 = 0; k0 < textTokens.length; k0 += perPass) {
            int n = Math.min(perPass, textTokens.length - k0);
            model.logitsOfRows(hidden, sotSequence.length + k0, n, logits);
            for (int k = 0; k < n; k++) capture.textToken(probability(ops, logits, k * vocab, textTokens[k0 + k], eot));
        }
        Result result = capture.result(sotSequence.length + 1, textTokens.length);
        if (result == null) throw new IllegalStateException("the pass did not gather one row per token");
        return result;
    }

    /** softmax(logits[from, from + eot))[token], as find_alignment's token_probs. */
    static float probability(Ops ops, float[] logits, int from, int token, int eot) {
        if (token >= eot) return 0f;
        return (float) Math.exp(logits[from + token] - ops.logSumExp(logits, from, from + eot));
    }
}
