package io.auricle.model;

import io.auricle.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A Whisper checkpoint in memory, whatever format it came from: hyperparameters, weights under the
 * canonical OpenAI state-dict names (e.g. {@code encoder.blocks.0.attn.query.weight}; fused tensors split,
 * no key bias), the regular vocabulary as byte strings in rank order (special tokens are derived from
 * {@code dims.nVocab()} by the tokenizer), the alignment heads as (layer, head) pairs and the model's
 * suppress lists. Tensors are views over memory-mapped files, never copies.
 *
 * @param suppressTokens      token ids always suppressed (openai-whisper's "-1" list); empty if unknown
 * @param beginSuppressTokens token ids suppressed at the first sampled position; empty if unknown
 * @param source              a one-line description (path and format) for messages
 */
public record Checkpoint(
        ModelDimensions dims,
        Map<String, Tensor> tensors,
        List<byte[]> vocabulary,
        int[][] alignmentHeads,
        int[] suppressTokens,
        int[] beginSuppressTokens,
        String source) {

    /** The tensor with that canonical name, or a clear error naming the checkpoint. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new io.auricle.AuricleException(source + ": missing tensor " + name);
        return t;
    }
}
