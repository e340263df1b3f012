package io.auricle.model;

import io.auricle.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's reference block quantizers ({@code quantize_row_*_ref} in ggml-quants.c), reproduced operation for
 * operation in float32 so the bytes match whisper.cpp's quantize tool. Blocks are 32 values; scales are fp16
 * rounded to nearest-even, as ggml's FP32_TO_FP16.
 */
final class GgmlQuantizer {
    static final int BLOCK = 32;

    private GgmlQuantizer() {}

    /** Quantizes {@code n} values of x (n a multiple of 32) into {@code out} at {@code offset}. */
    static void quantize(DType type, float[] x, int n, MemorySegment out, long offset) {
        if (n % BLOCK != 0) throw new IllegalArgumentException(type + " needs a multiple of 32 values, got " + n);
        for (int b = 0; b < n / BLOCK; b++) {
            long at = offset + (long) b * type.bytesPerBlock;
            int from = b * BLOCK;
            switch (type) {
                case Q8_0 -> q8_0(x, from, out, at);
                case Q4_0 -> q4_0(x, from, out, at);
                case Q4_1 -> q4_1(x, from, out, at);
                case Q5_0 -> q5_0(x, from, out, at);
                case Q5_1 -> q5_1(x, from, out, at);
                default -> throw new IllegalArgumentException("not a ggml block type: " + type);
            }
        }
    }

    private static void q8_0(float[] x, int from, MemorySegment out, long at) {
        float amax = 0;
        for (int j = 0; j < BLOCK; j++) amax = Math.max(amax, Math.abs(x[from + j]));
        float d = amax / 127;
        float id = d != 0 ? 1.0f / d : 0.0f;
        half(out, at, d);
        for (int j = 0; j < BLOCK; j++) out.set(ValueLayout.JAVA_BYTE, at + 2 + j, (byte) roundf(x[from + j] * id));
    }

    private static void q4_0(float[] x, int from, MemorySegment out, long at) {
        float max = signedMaxAbs(x, from);
        float d = max / -8;
        float id = d != 0 ? 1.0f / d : 0.0f;
        half(out, at, d);
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (byte) (int) (x[from + j] * id + 8.5f));
            int hi = Math.min(15, (byte) (int) (x[from + 16 + j] * id + 8.5f));
            out.set(ValueLayout.JAVA_BYTE, at + 2 + j, (byte) (lo | (hi << 4)));
        }
    }

    private static void q4_1(float[] x, int from, MemorySegment out, long at) {
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (int j = 0; j < BLOCK; j++) {
            min = Math.min(min, x[from + j]);
            max = Math.max(max, x[from + j]);
        }
        float d = (max - min) / 15;
        float id = d != 0 ? 1.0f / d : 0.0f;
        half(out, at, d);
        half(out, at + 2, min);
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (byte) (int) ((x[from + j] - min) * id + 0.5f));
            int hi = Math.min(15, (byte) (int) ((x[from + 16 + j] - min) * id + 0.5f));
            out.set(ValueLayout.JAVA_BYTE, at + 4 + j, (byte) (lo | (hi << 4)));
        }
    }

    private static void q5_0(float[] x, int from, MemorySegment out, long at) {
        float max = signedMaxAbs(x, from);
        float d = max / -16;
        float id = d != 0 ? 1.0f / d : 0.0f;
        half(out, at, d);
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(31, (byte) (int) (x[from + j] * id + 16.5f));
            int hi = Math.min(31, (byte) (int) (x[from + 16 + j] * id + 16.5f));
            out.set(ValueLayout.JAVA_BYTE, at + 6 + j, (byte) ((lo & 0x0F) | ((hi & 0x0F) << 4)));
            qh |= ((lo & 0x10) >>> 4) << j;
            qh |= ((hi & 0x10) >>> 4) << (j + 16);
        }
        out.set(ValueLayout.JAVA_INT_UNALIGNED, at + 2, qh);
    }

    private static void q5_1(float[] x, int from, MemorySegment out, long at) {
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (int j = 0; j < BLOCK; j++) {
            min = Math.min(min, x[from + j]);
            max = Math.max(max, x[from + j]);
        }
        float d = (max - min) / 31;
        float id = d != 0 ? 1.0f / d : 0.0f;
        half(out, at, d);
        half(out, at + 2, min);
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int lo = ((int) ((x[from + j] - min) * id + 0.5f)) & 0xFF; // (uint8_t) cast, no clamp in the reference
            int hi = ((int) ((x[from + 16 + j] - min) * id + 0.5f)) & 0xFF;
            out.set(ValueLayout.JAVA_BYTE, at + 8 + j, (byte) ((lo & 0x0F) | ((hi & 0x0F) << 4)));
            qh |= ((lo & 0x10) >>> 4) << j;
            qh |= ((hi & 0x10) >>> 4) << (j + 16);
        }
        out.set(ValueLayout.JAVA_INT_UNALIGNED, at + 4, qh);
    }

    /** The value of largest magnitude, sign kept; the first one on ties (the reference's strict '<'). */
    private static float signedMaxAbs(float[] x, int from) {
        float amax = 0, max = 0;
        for (int j = 0; j < BLOCK; j++) {
            float v = x[from + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        return max;
    }

    /** C's roundf: half away from zero (Math.round rounds half up). */
    private static int roundf(float v) {
        int r = Math.round(Math.abs(v));
        return v < 0 ? -r : r;
    }

    private static void half(MemorySegment out, long at, float v) {
        out.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, Float.floatToFloat16(v));
    }
}
