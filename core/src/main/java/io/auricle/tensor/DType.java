package io.auricle.tensor;

/**
 * Storage types of weight tensors, with their block layout. Block types (the ggml quantizations) pack
 * {@link #blockSize} elements into {@link #bytesPerBlock} bytes; plain types have a block of one element.
 */
public enum DType {
    F32(1, 4),
    F16(1, 2),
    BF16(1, 2),
    /** CTranslate2 int8: one int8 per element, value = q / scale[row] with a float32 scale per output row. */
    I8_ROW_SCALED(1, 1),
    Q8_0(32, 34),
    Q5_0(32, 22),
    Q5_1(32, 24),
    Q4_0(32, 18),
    Q4_1(32, 20);

    public final int blockSize;
    public final int bytesPerBlock;

    DType(int blockSize, int bytesPerBlock) {
        this.blockSize = blockSize;
        this.bytesPerBlock = bytesPerBlock;
    }

    /** Bytes needed for {@code elements} elements (a multiple of the block size for block types). */
    public long byteSize(long elements) {
        if (elements % blockSize != 0) {
            throw new IllegalArgumentException(this + " needs a multiple of " + blockSize + " elements, got " + elements);
        }
        return elements / blockSize * bytesPerBlock;
    }
}
