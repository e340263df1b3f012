package io.auricle.model;

import io.auricle.AuricleException;
import io.auricle.tensor.Matrix;
import io.auricle.tensor.Ops;
import io.auricle.tensor.Tensor;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The audio encoder: conv1 (k3) + GELU, conv2 (k3, stride 2) + GELU, plus the positional embedding, pre-LN
 * blocks, and ln_post. It can run on fewer than the trained 1500 positions (whisper.cpp's {@code -ac}): then
 * it reads {@code 2·nAudioCtx} mel frames and the first {@code nAudioCtx} rows of the positional embedding.
 */
final class AudioEncoder {
    private final Matrix conv1;
    private final float[] conv1Bias;
    private final Matrix conv2;
    private final float[] conv2Bias;
    private final float[] positionalEmbedding; // [nAudioCtx, d]
    private final ResidualAttentionBlock[] blocks;
    private final LayerNorm lnPost;
    private final ModelDimensions dims;
    /** Buffers for the next pass: a call takes them and puts them back; a concurrent call makes its own. */
    private final AtomicReference<EncoderBuffers> spare = new AtomicReference<>();

    AudioEncoder(Weights w, ModelDimensions dims) {
        int d = dims.nAudioState();
        this.dims = dims;
        conv1 = w.ops().prepare(w.tensor("encoder.conv1.weight", d, dims.nMels(), 3));
        conv1Bias = w.floats("encoder.conv1.bias");
        conv2 = w.ops().prepare(w.tensor("encoder.conv2.weight", d, d, 3));
        conv2Bias = w.floats("encoder.conv2.bias");
        Tensor stored = w.checkpoint().tensors().get("encoder.positional_embedding");
        positionalEmbedding = stored != null
                ? w.tensor("encoder.positional_embedding", dims.nAudioCtx(), d).toFloatArray()
                : sinusoids(dims.nAudioCtx(), d);
        blocks = new ResidualAttentionBlock[dims.nAudioLayer()];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = ResidualAttentionBlock.load(w, "encoder.blocks." + i, dims.nAudioHead(), false);
        }
        lnPost = LayerNorm.load(w, "encoder.ln_post");
    }

    /**
     * Encodes {@code mel [nMels][frames]}: frames past {@code 2·nAudioCtx} are ignored and missing ones are
     * zero (as faster-whisper pads a window). Returns {@code [nAudioCtx, d]}: {@code into} when it has that size
     * (an earlier window's result the caller is done with), else a new array.
     */
    float[] forward(Ops ops, float[][] mel, int nAudioCtx, float[] into) {
        int nMels = dims.nMels(), d = dims.nAudioState();
        if (nAudioCtx < 1 || nAudioCtx > dims.nAudioCtx()) {
            throw new AuricleException("audio context " + nAudioCtx + " is outside 1.." + dims.nAudioCtx());
        }
        if (mel.length != nMels) {
            throw new AuricleException("the model needs " + nMels + " mel bands, got " + mel.length);
        }
        EncoderBuffers b = spare.getAndSet(null);
        if (b == null) b = new EncoderBuffers(dims);
        int frames = 2 * nAudioCtx;
        float[] x = b.mel; // time-major
        Arrays.fill(x, 0, frames * nMels, 0f);
        for (int m = 0; m < nMels; m++) {
            int available = Math.min(frames, mel[m].length);
            for (int t = 0; t < available; t++) x[t * nMels + m] = mel[m][t];
        }
        float[] h = b.conv;
        ops.conv1d(x, frames, nMels, conv1, conv1Bias, 1, h);
        ops.gelu(h, frames * d);
        float[] a = into != null && into.length == nAudioCtx * d ? into : new float[nAudioCtx * d]; // the caller keeps it
        ops.conv1d(h, frames, d, conv2, conv2Bias, 2, a);
        ops.gelu(a, a.length);
        ops.addInPlace(a, positionalEmbedding, nAudioCtx * d);
        for (ResidualAttentionBlock block : blocks) block.encode(ops, a, nAudioCtx, b);
        lnPost.apply(ops, a, nAudioCtx, a);
        spare.set(b);
        return a;
    }

    /** openai/whisper's {@code sinusoids}: sin on the first half of the channels, cos on the second. */
    static float[] sinusoids(int length, int channels) {
        int half = channels / 2;
        double increment = Math.log(10000) / (half - 1);
        float[] out = new float[length * channels];
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < half; i++) {
                double scaled = t * Math.exp(-increment * i);
                out[t * channels + i] = (float) Math.sin(scaled);
                out[t * channels + half + i] = (float) Math.cos(scaled);
            }
        }
        return out;
    }
}
