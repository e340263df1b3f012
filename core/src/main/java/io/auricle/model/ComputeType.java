package io.auricle.model;

import io.auricle.AuricleException;
import io.auricle.tensor.DType;
import java.util.Locale;

/**
 * The precision the decoder computes in, as CTranslate2's {@code compute_type}. Activations are always float32;
 * the type says how the decoder's weights (its layers and the vocabulary projection) are held, converted once at
 * load, and how the window's cross-attention keys and values are cached:
 *
 * <ul>
 *   <li>{@link #FLOAT32}: weights as stored (fp16 widens exactly), cross K/V float32 — the reference path;</li>
 *   <li>{@link #FLOAT16}: float32 weights rounded to fp16, cross K/V fp16;</li>
 *   <li>{@link #INT8}: int8 weights with one scale per output row (CTranslate2's int8), cross K/V fp16;</li>
 *   <li>{@link #Q8_0}: ggml's q8_0 blocks (32 int8 values, one fp16 scale), cross K/V fp16.</li>
 * </ul>
 * The encoder runs on the stored weights in every case (its products go through float32 panels, widened from
 * compact ones kept in the stored type).
 * {@link #DEFAULT} is what the weights are: float32, int8 and q8_0 files compute in their type, float16 (and
 * bf16, 4/5-bit ggml) files as {@link #FLOAT16}, their weights as stored. fp16 cross K/V left the greedy tokens of
 * the reference tests identical to faster-whisper's float32 (DecodingReferenceTest, TranscriberTest, beam and
 * batched tests); {@link #FLOAT32} keeps them float32 for the strict comparison.
 */
public enum ComputeType {
    DEFAULT, FLOAT32, FLOAT16, INT8, Q8_0;

    /** {@code default}, {@code float32}, {@code float16}, {@code int8} or {@code q8_0}. */
    public static ComputeType parse(String name) {
        for (ComputeType t : values()) {
            if (t.label().equals(name.toLowerCase(Locale.ROOT))) return t;
        }
        throw new AuricleException("unknown compute type '" + name + "' (choose default, float32, float16, int8 or q8_0)");
    }

    /** The name CTranslate2 uses. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This type, or for {@link #DEFAULT} the one that suits weights stored as {@code stored}. */
    public ComputeType resolve(DType stored) {
        if (this != DEFAULT) return this;
        return switch (stored) {
            case F32 -> FLOAT32;
            case I8_ROW_SCALED -> INT8;
            case Q8_0 -> Q8_0;
            default -> FLOAT16;
        };
    }

    /** Whether the window's cross-attention keys and values are cached as fp16 (half the bytes per token). */
    boolean halfCrossKeyValues() {
        return this != FLOAT32;
    }
}
