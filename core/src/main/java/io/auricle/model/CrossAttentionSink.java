package io.auricle.model;

/**
 * Receives the decoder's cross-attention softmax weights, for the layers it asks for (word timestamps
 * use the alignment heads). A softmax over a subset of frames (the audio's content) is these weights
 * renormalized over that subset.
 */
public interface CrossAttentionSink {

    /** Whether to compute and pass on the weights of decoder layer {@code layer}. */
    boolean wants(int layer);

    /**
     * {@code weights} holds {@code [nHead, nq, nk]} for the {@code nq} tokens just decoded, from index 0 (the array may
     * be longer: it is reused, and only valid during the call).
     */
    void accept(int layer, float[] weights, int nHead, int nq, int nk);
}
