package io.auricle.model;

/**
 * The decoder's working arrays for one cache (one hypothesis; for a batched step, its first cache's), kept
 * between steps so that a step allocates nothing per layer. Each array has one role; they grow to the largest
 * number of rows seen (a prompt) and stay.
 */
final class DecoderWorkspace {
    private float[] normed = new float[0];
    private float[] value = new float[0];
    private float[] branch = new float[0];
    private float[] query = new float[0];
    private float[] keyValue = new float[0];
    private float[] attended = new float[0];
    private float[] hidden = new float[0];

    /** A block input after its LayerNorm. */
    float[] normed(int n) {
        return normed.length >= n ? normed : (normed = new float[n]);
    }

    /** A sub-layer's output, before it is added to the residual stream. */
    float[] branch(int n) {
        return branch.length >= n ? branch : (branch = new float[n]);
    }

    float[] query(int n) {
        return query.length >= n ? query : (query = new float[n]);
    }

    /** New keys, then new values (each copied into the cache before the next use). */
    float[] keyValue(int n) {
        return keyValue.length >= n ? keyValue : (keyValue = new float[n]);
    }

    /** New values, where keys and values are needed at once (a batched step). */
    float[] value(int n) {
        return value.length >= n ? value : (value = new float[n]);
    }

    /** The attention output before the out projection. */
    float[] attended(int n) {
        return attended.length >= n ? attended : (attended = new float[n]);
    }

    /** The MLP's hidden layer (4d per row). */
    float[] hidden(int n) {
        return hidden.length >= n ? hidden : (hidden = new float[n]);
    }
}
