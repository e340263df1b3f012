package io.auricle.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Scalar element access for ggml's block-quantized types (see ggml-common.h for the layouts). */
final class Quant {
    private Quant() {}

    static float get(DType type, MemorySegment data, long i) {
        long block = i / 32;
        int j = (int) (i % 32);
        long b = block * type.bytesPerBlock;
        float d = Float.float16ToFloat(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, b));
        switch (type) {
            case Q8_0:
                return data.get(ValueLayout.JAVA_BYTE, b + 2 + j) * d;
            case Q4_0:
                return (nibble(data, b + 2, j) - 8) * d;
            case Q4_1: {
                float m = Float.float16ToFloat(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, b + 2));
                return nibble(data, b + 4, j) * d + m;
            }
            case Q5_0: {
                int qh = data.get(ValueLayout.JAVA_INT_UNALIGNED, b + 2);
                int q = nibble(data, b + 6, j) | (((qh >>> j) & 1) << 4);
                return (q - 16) * d;
            }
            case Q5_1: {
                float m = Float.float16ToFloat(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, b + 2));
                int qh = data.get(ValueLayout.JAVA_INT_UNALIGNED, b + 4);
                int q = nibble(data, b + 8, j) | (((qh >>> j) & 1) << 4);
                return q * d + m;
            }
            default:
                throw new IllegalArgumentException("not a block type: " + type);
        }
    }

    /** Element j < 16 is the low nibble of qs[j], element j >= 16 the high nibble of qs[j - 16]. */
    private static int nibble(MemorySegment data, long qs, int j) {
        int byteValue = data.get(ValueLayout.JAVA_BYTE, qs + (j & 15)) & 0xFF;
        return j < 16 ? byteValue & 0x0F : byteValue >>> 4;
    }
}
