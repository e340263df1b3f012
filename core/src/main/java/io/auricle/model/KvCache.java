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

    /**
     * A cache of the same window for another hypothesis (a beam, a sample): it shares this one's cross-attention
     * keys and values (read-only) and starts with a copy of its tokens' self-attention keys and values.
     */
    public KvCache fork() {
        Layer[] copies = new Layer[layers.length];
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            copies[i] = new Layer(l.selfK().clone(), l.selfV().clone(), l.crossK(), l.crossV(), l.nAudioCtx());
        }
        KvCache copy = new KvCache(copies, capacity);
        copy.length = length;
        return copy;
    }

    /**
     * Makes this cache hold the tokens of {@code source}, a fork of the same window, copying only positions
     * {@code from..} (a beam reorder: below {@code from} both already hold the same tokens, hence the same keys).
     */
    public void copyFrom(KvCache source, int from) {
        if (source.layers.length != layers.length || source.capacity != capacity) {
            throw new IllegalArgumentException("caches of different models");
        }
        if (from < 0 || from > source.length || from > length) {
            throw new IllegalArgumentException("cannot copy from position " + from + " of " + source.length + " tokens");
        }
        for (int i = 0; i < layers.length; i++) {
            int d = layers[i].selfK().length / capacity;
            Layer src = source.layers[i], dst = layers[i];
            System.arraycopy(src.selfK(), from * d, dst.selfK(), from * d, (source.length - from) * d);
            System.arraycopy(src.selfV(), from * d, dst.selfV(), from * d, (source.length - from) * d);
        }
        length = source.length;
    }

    void advance(int n) {
        length += n;
    }
}
