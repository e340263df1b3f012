package io.auricle.timing;

import io.auricle.model.CrossAttentionSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link AlignmentPass} computes, gathered while a window is decoded instead of in a second pass over it.
 * Decoding without timestamps feeds the decoder exactly the sequence find_alignment reads ({@code sot sequence…,
 * <|notimestamps|>, text tokens…}) once {@code <|endoftext|>} is fed as well, so the alignment heads' rows and the
 * text tokens' probabilities are already there; only the row of that last {@code <|endoftext|>} costs a step more.
 * The decoder of a batch (one cache per window, no prompt) is the user: with a prompt, or with timestamp tokens in the
 * text, the sequences differ and {@link #result} gives null (the caller runs the pass).
 */
public final class AlignmentCapture implements CrossAttentionSink {
    private final int[][] heads;
    private final List<List<float[]>> rows = new ArrayList<>(); // per alignment head, one row per token fed
    private float[] probabilities = new float[64];
    private int textTokens;

    /** {@code heads}: the model's alignment heads, {@code [layer, head]} pairs. */
    public AlignmentCapture(int[][] heads) {
        this.heads = heads;
        for (int i = 0; i < heads.length; i++) rows.add(new ArrayList<>());
    }

    @Override
    public boolean wants(int layer) {
        for (int[] h : heads) if (h[0] == layer) return true;
        return false;
    }

    @Override
    public void accept(int layer, float[] weights, int nHead, int nq, int nk) {
        for (int i = 0; i < heads.length; i++) {
            if (heads[i][0] != layer) continue;
            for (int q = 0; q < nq; q++) {
                int from = (heads[i][1] * nq + q) * nk;
                rows.get(i).add(Arrays.copyOfRange(weights, from, from + nk));
            }
        }
    }

    /**
     * Records the probability of the next text token: {@code softmax(logits[0, eot))[token]}, with
     * {@code logSumExp} = log Σ exp over {@code logits[0, eot)} taken before any logit filter changed them.
     */
    public void textToken(float logit, double logSumExp) {
        if (textTokens == probabilities.length) probabilities = Arrays.copyOf(probabilities, 2 * textTokens);
        probabilities[textTokens++] = (float) Math.exp(logit - logSumExp);
    }

    /**
     * The pass's result for {@code text} text tokens after a prompt of {@code promptLength} tokens, or null when what
     * was gathered does not cover exactly that sequence and its closing {@code <|endoftext|>}.
     */
    public AlignmentPass.Result result(int promptLength, int text) {
        int tokens = promptLength + text + 1;
        if (textTokens != text || rows.isEmpty()) return null;
        float[][][] attention = new float[heads.length][][];
        for (int i = 0; i < heads.length; i++) {
            if (rows.get(i).size() != tokens) return null;
            attention[i] = rows.get(i).toArray(new float[0][]);
        }
        return new AlignmentPass.Result(attention, Arrays.copyOf(probabilities, text));
    }
}
