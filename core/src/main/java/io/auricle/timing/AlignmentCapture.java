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
 * The decoder of a batch (one cache per window, no prompt) gathers this way: with a prompt, or with timestamp tokens in
 * the text, the sequences differ and {@link #result} gives null (the caller runs the pass). {@link AlignmentPass}
 * gathers into a capture too, all the tokens in one forward pass.
 *
 * <p>A capture can be {@link #reset} for the next window and then writes over its earlier rows: a batch of eight
 * windows gathers ~60 MB of rows at tiny.en, which outlive the young generation; made afresh for every batch they
 * were promoted and piled up in the old one (the 21-minute file, batch 8 with words: 661 MB peak RSS).
 */
public final class AlignmentCapture implements CrossAttentionSink {
    private final int[][] heads;
    private final List<List<float[]>> rows = new ArrayList<>(); // per alignment head, one row per token fed
    private final int[] fed; // per alignment head, the rows in use: those past it are an earlier window's
    private float[] probabilities = new float[64];
    private int textTokens;

    /** {@code heads}: the model's alignment heads, {@code [layer, head]} pairs. */
    public AlignmentCapture(int[][] heads) {
        this.heads = heads;
        this.fed = new int[heads.length];
        for (int i = 0; i < heads.length; i++) rows.add(new ArrayList<>());
    }

    /** Starts over for another window; its rows overwrite this one's, so an earlier {@link #result} is spent. */
    public void reset() {
        Arrays.fill(fed, 0);
        textTokens = 0;
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
            List<float[]> mine = rows.get(i);
            for (int q = 0; q < nq; q++) {
                int from = (heads[i][1] * nq + q) * nk;
                if (fed[i] < mine.size() && mine.get(fed[i]).length == nk) {
                    System.arraycopy(weights, from, mine.get(fed[i]), 0, nk);
                } else if (fed[i] < mine.size()) {
                    mine.set(fed[i], Arrays.copyOfRange(weights, from, from + nk));
                } else {
                    mine.add(Arrays.copyOfRange(weights, from, from + nk));
                }
                fed[i]++;
            }
        }
    }

    /**
     * Records the probability of the next text token: {@code softmax(logits[0, eot))[token]}, with
     * {@code logSumExp} = log Σ exp over {@code logits[0, eot)} taken before any logit filter changed them.
     */
    public void textToken(float logit, double logSumExp) {
        textToken((float) Math.exp(logit - logSumExp));
    }

    /** Records the probability of the next text token, worked out by the caller. */
    void textToken(float probability) {
        if (textTokens == probabilities.length) probabilities = Arrays.copyOf(probabilities, 2 * textTokens);
        probabilities[textTokens++] = probability;
    }

    /**
     * The pass's result for {@code text} text tokens after a prompt of {@code promptLength} tokens, or null when what
     * was gathered does not cover exactly that sequence and its closing {@code <|endoftext|>}. Its rows are this
     * capture's own: valid until the capture is {@link #reset}.
     */
    public AlignmentPass.Result result(int promptLength, int text) {
        int tokens = promptLength + text + 1;
        if (textTokens != text || rows.isEmpty()) return null;
        float[][][] attention = new float[heads.length][][];
        for (int i = 0; i < heads.length; i++) {
            if (fed[i] != tokens) return null;
            attention[i] = rows.get(i).subList(0, tokens).toArray(new float[0][]);
        }
        return new AlignmentPass.Result(attention, Arrays.copyOf(probabilities, text));
    }
}
