package io.auricle.model;

import io.auricle.AuricleException;
import io.auricle.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors every Whisper checkpoint must provide under openai/whisper's state-dict names, with the shapes
 * its hyperparameters imply (PyTorch order), in state-dict order. Every reader checks its result against this,
 * so a file whose shapes disagree with its own hyperparameters fails at load time with one clear message.
 */
public final class CanonicalTensors {
    private CanonicalTensors() {}

    /** Name to shape, in openai/whisper's state_dict order. */
    public static Map<String, int[]> expected(ModelDimensions d) {
        Map<String, int[]> m = new LinkedHashMap<>();
        int a = d.nAudioState();
        m.put("encoder.positional_embedding", new int[] {d.nAudioCtx(), a});
        m.put("encoder.conv1.weight", new int[] {a, d.nMels(), 3});
        m.put("encoder.conv1.bias", new int[] {a});
        m.put("encoder.conv2.weight", new int[] {a, a, 3});
        m.put("encoder.conv2.bias", new int[] {a});
        for (int i = 0; i < d.nAudioLayer(); i++) block(m, "encoder.blocks." + i + ".", a, false);
        layerNorm(m, "encoder.ln_post", a);
        int t = d.nTextState();
        m.put("decoder.positional_embedding", new int[] {d.nTextCtx(), t});
        m.put("decoder.token_embedding.weight", new int[] {d.nVocab(), t});
        for (int i = 0; i < d.nTextLayer(); i++) block(m, "decoder.blocks." + i + ".", t, true);
        layerNorm(m, "decoder.ln", t);
        return m;
    }

    private static void block(Map<String, int[]> m, String p, int d, boolean cross) {
        attention(m, p + "attn.", d);
        layerNorm(m, p + "attn_ln", d);
        if (cross) {
            attention(m, p + "cross_attn.", d);
            layerNorm(m, p + "cross_attn_ln", d);
        }
        linear(m, p + "mlp.0", 4 * d, d);
        linear(m, p + "mlp.2", d, 4 * d);
        layerNorm(m, p + "mlp_ln", d);
    }

    private static void attention(Map<String, int[]> m, String p, int d) {
        linear(m, p + "query", d, d);
        m.put(p + "key.weight", new int[] {d, d}); // the key projection has no bias in Whisper
        linear(m, p + "value", d, d);
        linear(m, p + "out", d, d);
    }

    private static void linear(Map<String, int[]> m, String p, int out, int in) {
        m.put(p + ".weight", new int[] {out, in});
        m.put(p + ".bias", new int[] {out});
    }

    private static void layerNorm(Map<String, int[]> m, String p, int d) {
        m.put(p + ".weight", new int[] {d});
        m.put(p + ".bias", new int[] {d});
    }

    /** Fails with one line on the first missing tensor or disagreeing shape, and on unknown extra tensors. */
    public static void check(Map<String, Tensor> tensors, ModelDimensions dims, String source) {
        checkDims(dims, source);
        Map<String, int[]> want = expected(dims);
        for (var e : want.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) throw new AuricleException(source + ": missing tensor " + e.getKey());
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new AuricleException(source + ": tensor " + e.getKey() + " has shape " + Arrays.toString(t.shape())
                        + " but the hyperparameters imply " + Arrays.toString(e.getValue()));
            }
        }
        for (String name : tensors.keySet()) {
            if (!want.containsKey(name)) throw new AuricleException(source + ": unexpected tensor " + name);
        }
    }

    /** Rejects hyperparameters no Whisper model has, before anything is sized from them. */
    public static void checkDims(ModelDimensions d, String source) {
        check(d.nMels(), 1, 512, "n_mels", source);
        check(d.nAudioCtx(), 1, 1 << 16, "n_audio_ctx", source);
        check(d.nAudioState(), 1, 1 << 16, "n_audio_state", source);
        check(d.nAudioHead(), 1, 1024, "n_audio_head", source);
        check(d.nAudioLayer(), 1, 1024, "n_audio_layer", source);
        check(d.nVocab(), 1, 1 << 20, "n_vocab", source);
        check(d.nTextCtx(), 1, 1 << 16, "n_text_ctx", source);
        check(d.nTextState(), 1, 1 << 16, "n_text_state", source);
        check(d.nTextHead(), 1, 1024, "n_text_head", source);
        check(d.nTextLayer(), 1, 1024, "n_text_layer", source);
        if (d.nAudioState() % d.nAudioHead() != 0 || d.nTextState() % d.nTextHead() != 0) {
            throw new AuricleException(source + ": the model width is not a multiple of the head count");
        }
    }

    private static void check(int value, int min, int max, String what, String source) {
        if (value < min || value > max) {
            throw new AuricleException(source + ": " + what + " = " + value + " is outside " + min + ".." + max);
        }
    }
}
