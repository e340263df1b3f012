package io.auricle.model;

/**
 * The working arrays of one encoder pass, sized for the model's full audio context and reused for every window
 * and every layer (a shorter context uses their first rows). Without them a tiny.en window allocated about 100 MB
 * of fresh {@code [1500, d]} and {@code [1500, 4d]} arrays and paid for touching their pages.
 */
final class EncoderBuffers {
    /** The window's mel frames, time-major {@code [2·ctx, nMels]}. */
    final float[] mel;
    /** conv1's output {@code [2·ctx, d]}: the MLP's hidden array, free until the blocks run (4.6 MB at tiny). */
    final float[] conv;
    /** A LayerNorm's output, the attention's input {@code [ctx, d]}. */
    final float[] norm;
    /** A sub-layer's output before the residual add {@code [ctx, d]}. */
    final float[] out;
    final float[] q, k, v;
    /** The heads' output {@code [ctx, d]}: {@link #norm}'s array, whose values the attention has read by then. */
    final float[] attention;
    /** The MLP's hidden layer {@code [ctx, 4d]}. */
    final float[] hidden;

    EncoderBuffers(ModelDimensions dims) {
        int ctx = dims.nAudioCtx(), d = dims.nAudioState();
        mel = new float[2 * ctx * dims.nMels()];
        norm = new float[ctx * d];
        out = new float[ctx * d];
        q = new float[ctx * d];
        k = new float[ctx * d];
        v = new float[ctx * d];
        attention = norm;
        hidden = new float[ctx * 4 * d];
        conv = hidden; // 4·ctx·d >= 2·ctx·d, and conv2 has read it before the first block writes the hidden layer
    }
}
