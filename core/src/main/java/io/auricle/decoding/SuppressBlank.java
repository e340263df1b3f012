package io.auricle.decoding;

/** At the first sampled position, forbids a blank (" ") and end-of-text, so a window never starts empty. */
public record SuppressBlank(int[] blankTokens, int sampleBegin) implements LogitFilter {

    @Override
    public void apply(float[] logits, int[] tokens) {
        if (tokens.length != sampleBegin) return;
        for (int t : blankTokens) logits[t] = Float.NEGATIVE_INFINITY;
    }
}
