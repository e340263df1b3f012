package io.auricle.decoding;

/** Forbids a fixed set of tokens at every position (non-speech symbols and the task tokens). */
public record SuppressTokens(int[] suppress) implements LogitFilter {

    @Override
    public void apply(float[] logits, int[] tokens) {
        for (int t : suppress) logits[t] = Float.NEGATIVE_INFINITY;
    }
}
