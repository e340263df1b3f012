package io.auricle.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A named weight tensor: a row-major view over bytes that usually live in a memory-mapped file.
 * The shape is in PyTorch order (a Linear weight is {@code [out, in]}). For {@link DType#I8_ROW_SCALED},
 * {@code scales} holds one float32 per row (the first dimension); otherwise it is null.
 */
public record Tensor(String name, DType type, int[] shape, MemorySegment data, MemorySegment scales) {

    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED;

    public Tensor {
        long n = numel(shape);
        long need = type.byteSize(n);
        if (data.byteSize() != need) {
            throw new IllegalArgumentException(name + ": " + type + Arrays.toString(shape) + " needs " + need
                    + " bytes, has " + data.byteSize());
        }
        if ((type == DType.I8_ROW_SCALED) != (scales != null)) {
            throw new IllegalArgumentException(name + ": row scales are required for, and only for, I8_ROW_SCALED");
        }
    }

    public static Tensor of(String name, DType type, int[] shape, MemorySegment data) {
        return new Tensor(name, type, shape, data, null);
    }

    /** A float32 tensor on the heap, for tests and for weights we compute. */
    public static Tensor ofFloats(String name, int[] shape, float[] values) {
        return of(name, DType.F32, shape, MemorySegment.ofArray(values));
    }

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        return n;
    }

    public long numel() {
        return numel(shape);
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    /** Rows of the tensor seen as a matrix: every dimension but the last. */
    public int rows() {
        return (int) (numel() / shape[shape.length - 1]);
    }

    public int cols() {
        return shape[shape.length - 1];
    }

    /** Element {@code i} (flat, row-major) as float: the slow, obviously correct path for tests and loaders. */
    public float get(long i) {
        return switch (type) {
            case F32 -> data.get(F32_LE, i * 4);
            case F16 -> Float.float16ToFloat(data.get(I16_LE, i * 2));
            case BF16 -> Float.intBitsToFloat((data.get(I16_LE, i * 2) & 0xFFFF) << 16);
            case I8_ROW_SCALED -> data.get(ValueLayout.JAVA_BYTE, i) / scales.get(F32_LE, (i / cols()) * 4);
            default -> Quant.get(type, data, i);
        };
    }

    /** The whole tensor widened to float32 on the heap (tests, small tensors such as biases and norms). */
    public float[] toFloatArray() {
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalStateException(name + " is too large for one array");
        float[] out = new float[(int) n];
        if (type == DType.F32) {
            MemorySegment.copy(data, F32_LE, 0, out, 0, out.length);
            return out;
        }
        for (int i = 0; i < out.length; i++) out[i] = get(i);
        return out;
    }

    @Override
    public String toString() {
        return name + " " + type + Arrays.toString(shape);
    }
}
