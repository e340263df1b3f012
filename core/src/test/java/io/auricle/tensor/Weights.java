package io.auricle.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/** Random weight tensors of every storage type, with valid scales, for the kernel tests. */
final class Weights {
    private Weights() {}

    static float[] floats(Random random, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (random.nextGaussian() * scale);
        return a;
    }

    /** A {@code [rows, cols]} weight of {@code type} (cols a multiple of 32 for block types). */
    static Tensor random(Random random, DType type, int rows, int cols) {
        return random(random, type, new int[] {rows, cols});
    }

    static Tensor random(Random random, DType type, int[] shape) {
        long n = Tensor.numel(shape);
        int rows = shape[0];
        String name = "w." + type;
        switch (type) {
            case F32:
                return Tensor.ofFloats(name, shape, floats(random, (int) n, 0.1f));
            case F16:
            case BF16: {
                MemorySegment data = MemorySegment.ofArray(new short[(int) n]);
                for (long i = 0; i < n; i++) {
                    float v = (float) (random.nextGaussian() * 0.1);
                    short bits = type == DType.F16 ? Float.floatToFloat16(v) : (short) (Float.floatToIntBits(v) >>> 16);
                    data.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, bits);
                }
                return Tensor.of(name, type, shape, data);
            }
            case I8_ROW_SCALED: {
                byte[] q = new byte[(int) n];
                random.nextBytes(q);
                float[] scales = new float[rows];
                for (int r = 0; r < rows; r++) scales[r] = 200f + random.nextFloat() * 1000f;
                return new Tensor(name, type, shape, MemorySegment.ofArray(q), MemorySegment.ofArray(scales));
            }
            default: {
                byte[] raw = new byte[(int) type.byteSize(n)];
                random.nextBytes(raw);
                MemorySegment data = MemorySegment.ofArray(raw);
                boolean hasMin = type == DType.Q4_1 || type == DType.Q5_1;
                for (long b = 0; b < n / 32; b++) {
                    long off = b * type.bytesPerBlock;
                    data.set(ValueLayout.JAVA_SHORT_UNALIGNED, off, Float.floatToFloat16(0.001f + random.nextFloat() * 0.01f));
                    if (hasMin) {
                        data.set(ValueLayout.JAVA_SHORT_UNALIGNED, off + 2, Float.floatToFloat16((random.nextFloat() - 0.5f) * 0.1f));
                    }
                }
                return Tensor.of(name, type, shape, data);
            }
        }
    }
}
