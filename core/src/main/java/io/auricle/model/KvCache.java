package io.auricle.model;

/**
 * The decoder's state for one audio window: per layer, the self-attention keys and values of every token
 * decoded so far (appended one step at a time) and the cross-attention keys and values of the encoder output
 * (computed once per window, reused for every token).
 */
public final class KvCache {

    /** One layer's cache: self K/V {@code [nTextCtx, d]}, cross K/V {@code [nAudioCtx, d]}. */
    record Layer(float[] selfK, float[] selfV, float[] crossK, float[] crossV, int nAudioCtx) {}

    private final Layer[] layers;
    private final int capacity;
    private int length;

    KvCache(Layer[] layers, int capacity) {
        this.layers = layers;
        this.capacity = capacity;
    }

    Layer layer(int i) {
        return layers[i];
    }

    /** Tokens whose keys and values are cached: the position of the next token. */
    public int length() {
        return length;
    }

    /** The most tokens it can hold (the decoder's text context). */
    public int capacity() {
        return capacity;
    }

    /** Forgets the tokens from {@code length} on, e.g. to decode the same window again from its prompt. */
    public void truncate(int length) {
        if (length < 0 || length > this.length) {
            throw new IllegalArgumentException("cannot truncate " + this.length + " cached tokens to " + length);
        }
        this.length = length;
    }

    void advance(int n) {
        length += n;
    }
}
