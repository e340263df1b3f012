package io.auricle.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reads one row of a weight matrix, in whatever type it is stored, into float32. The fast kernels decode a
 * row into a small buffer that stays in L1 and multiply from there, so weights are read once, in their
 * stored size, and never widened as a whole.
 */
final class WeightRows {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Bytes that widen to one float vector. */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 4));
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final DType type;
    private final MemorySegment data;
    private final MemorySegment scales;
    private final int rows;
    private final int cols;
    private final long rowBytes;

    WeightRows(Tensor t) {
        if (t.rank() < 2) throw new IllegalArgumentException(t + ": a weight matrix needs at least 2 dimensions");
        this.type = t.type();
        this.data = t.data();
        this.scales = t.scales();
        this.rows = t.dim(0);
        this.cols = (int) (t.numel() / rows);
        if (cols % type.blockSize != 0) {
            throw new IllegalArgumentException(t + ": rows of " + cols + " are not whole " + type + " blocks");
        }
        this.rowBytes = type.byteSize(cols);
    }

    int rows() {
        return rows;
    }

    int cols() {
        return cols;
    }

    /** Bytes one row occupies in storage. */
    long rowBytes() {
        return rowBytes;
    }

    DType type() {
        return type;
    }

    /**
     * Values per int8 scale when this type is int8 values with float scales ({@link DType#I8_ROW_SCALED}: a row;
     * q8_0: 32), else 0.
     */
    int int8Block() {
        return switch (type) {
            case I8_ROW_SCALED -> cols;
            case Q8_0 -> 32;
            default -> 0;
        };
    }

    /**
     * Row {@code r} of an int8 type ({@link #int8Block} > 0) as its int8 values {@code q[0, cols)} and the scales of
     * its blocks {@code scales[0, cols / int8Block())}: {@link #decode} gives {@code q[k] * scales[k / int8Block()]},
     * the same float multiply.
     */
    void int8Row(int r, byte[] q, float[] scales, Scratch s) {
        long base = r * rowBytes;
        if (type == DType.I8_ROW_SCALED) {
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, base, q, 0, cols);
            scales[0] = 1f / this.scales.get(F32_LE, r * 4L);
        } else if (type == DType.Q8_0) {
            byte[] raw = s.bytes((int) rowBytes);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, base, raw, 0, (int) rowBytes);
            for (int blk = 0; blk < cols / 32; blk++) {
                scales[blk] = Float.float16ToFloat(shortAt(raw, blk * 34));
                System.arraycopy(raw, blk * 34 + 2, q, blk * 32, 32);
            }
        } else {
            throw new IllegalStateException(type + " is not an int8 type");
        }
    }

    /** True when {@link #dot4} reads this type straight from storage, with no float32 staging buffer. */
    boolean fusedDot() {
        return type == DType.I8_ROW_SCALED;
    }

    /**
     * Copies rows {@code [r, r + 4)} of an int8 matrix ({@link #fusedDot()}) to {@code staged} for {@link #dot4}:
     * vector loads from a heap array run twice as fast as from the mapped segment (a probe of the base logits,
     * 51864 x 512, one thread: 1.35-1.86 ms against 3.2 ms).
     */
    void stage4(int r, byte[] staged) {
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, r * rowBytes, staged, 0, 4 * cols);
    }

    /**
     * {@code y[yo + j] = row(r + j) · x[xo ..]} for four consecutive int8 rows staged by {@link #stage4}: the bytes
     * widen to float lanes in registers and each row's scale divides its sum once. Staging the widened rows as
     * floats cost as much as the product (GemvBenchmark, 51864 x 384).
     */
    void dot4(int r, byte[] staged, float[] x, int xo, float[] y, int yo) {
        int b1 = cols, b2 = 2 * cols, b3 = 3 * cols;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (int bound = B.loopBound(cols); i < bound; i += B.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            a0 = widen(staged, i).fma(xv, a0);
            a1 = widen(staged, b1 + i).fma(xv, a1);
            a2 = widen(staged, b2 + i).fma(xv, a2);
            a3 = widen(staged, b3 + i).fma(xv, a3);
        }
        finishInt8(r, staged, x, xo, i, a0, a1, a2, a3, y, yo);
    }

    /** The four rows' lane sums, the elements from {@code i} on that no whole vector covered, each row's scale. */
    private void finishInt8(int r, byte[] staged, float[] x, int xo, int i, FloatVector a0, FloatVector a1,
                            FloatVector a2, FloatVector a3, float[] y, int yo) {
        int b1 = cols, b2 = 2 * cols, b3 = 3 * cols;
        Lanes.sum4(a0, a1, a2, a3, y, yo);
        for (; i < cols; i++) {
            float xi = x[xo + i];
            y[yo] += xi * staged[i];
            y[yo + 1] += xi * staged[b1 + i];
            y[yo + 2] += xi * staged[b2 + i];
            y[yo + 3] += xi * staged[b3 + i];
        }
        y[yo] /= scales.get(F32_LE, r * 4L);
        y[yo + 1] /= scales.get(F32_LE, r * 4L + 4);
        y[yo + 2] /= scales.get(F32_LE, r * 4L + 8);
        y[yo + 3] /= scales.get(F32_LE, r * 4L + 12);
    }

    /**
     * {@link #dot4} for two input rows ({@code x[xo ..]} and the next, into {@code y[yo ..]} and {@code y[yo + out ..]}):
     * each staged byte is widened once for both rows, and eight accumulators keep both FMA units busy (a beam step's
     * five rows widened every weight five times).
     */
    void dot4x2(int r, byte[] staged, float[] x, int xo, float[] y, int yo, int out) {
        int b1 = cols, b2 = 2 * cols, b3 = 3 * cols, xo2 = xo + cols;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
        int i = 0;
        for (int bound = B.loopBound(cols); i < bound; i += B.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i), xw = FloatVector.fromArray(F, x, xo2 + i);
            FloatVector w0 = widen(staged, i), w1 = widen(staged, b1 + i);
            FloatVector w2 = widen(staged, b2 + i), w3 = widen(staged, b3 + i);
            a0 = w0.fma(xv, a0);
            a1 = w1.fma(xv, a1);
            a2 = w2.fma(xv, a2);
            a3 = w3.fma(xv, a3);
            c0 = w0.fma(xw, c0);
            c1 = w1.fma(xw, c1);
            c2 = w2.fma(xw, c2);
            c3 = w3.fma(xw, c3);
        }
        finishInt8(r, staged, x, xo, i, a0, a1, a2, a3, y, yo);
        finishInt8(r, staged, x, xo2, i, c0, c1, c2, c3, y, yo + out);
    }

    private static FloatVector widen(byte[] staged, int at) {
        return (FloatVector) ByteVector.fromArray(B, staged, at).convertShape(VectorOperators.B2F, F, 0);
    }

    /** Writes row {@code r} as floats to {@code dst[off .. off + cols)}; {@code s} supplies staging buffers. */
    void decode(int r, float[] dst, int off, Scratch s) {
        decode(r, 1, dst, off, s);
    }

    /**
     * Writes rows {@code [r, r + count)} as floats to {@code dst} from {@code off}, one after another. Rows are
     * contiguous in storage, so this is one bulk read per call, not per row: at the decoder's sizes (51864 rows
     * of 384) a fixed cost per row is as large as the row's own work.
     */
    void decode(int r, int count, float[] dst, int off, Scratch s) {
        long base = r * rowBytes;
        int len = count * cols;
        switch (type) {
            case F32 -> MemorySegment.copy(data, F32_LE, base, dst, off, len);
            case F16 -> {
                // A plain counted loop straight from storage: C2 turns it into vector half-to-float conversions.
                for (int i = 0; i < len; i++) dst[off + i] = Float.float16ToFloat(data.get(I16_LE, base + 2L * i));
            }
            case BF16 -> {
                for (int i = 0; i < len; i++) {
                    dst[off + i] = Float.intBitsToFloat((data.get(I16_LE, base + 2L * i) & 0xFFFF) << 16);
                }
            }
            case I8_ROW_SCALED -> {
                for (int i = 0; i < count; i++) {
                    float scale = 1f / scales.get(F32_LE, (long) (r + i) * 4);
                    decodeInt8(base + (long) i * cols, scale, dst, off + i * cols);
                }
            }
            // Blocks never straddle rows (cols is a whole number of blocks): the rows read as one long row.
            case Q8_0 -> decodeQ8_0(base, len, dst, off, s);
            case Q4_0, Q4_1, Q5_0, Q5_1 -> decodeNibbles(base, len, dst, off, s);
        }
    }

    private void decodeInt8(long base, float scale, float[] dst, int off) {
        int i = 0;
        for (int bound = B.loopBound(cols); i < bound; i += B.length()) {
            ByteVector q = ByteVector.fromMemorySegment(B, data, base + i, ByteOrder.LITTLE_ENDIAN);
            ((FloatVector) q.convertShape(VectorOperators.B2F, F, 0)).mul(scale).intoArray(dst, off + i);
        }
        for (; i < cols; i++) dst[off + i] = data.get(ValueLayout.JAVA_BYTE, base + i) * scale;
    }

    /** ggml's q8_0 blocks (an fp16 scale, 32 int8), copied to a heap array first: vector loads from it are faster. */
    private void decodeQ8_0(long base, int len, float[] dst, int off, Scratch s) {
        int blocks = len / 32;
        byte[] raw = s.bytes(blocks * 34);
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, base, raw, 0, blocks * 34);
        for (int blk = 0; blk < blocks; blk++) {
            int b = blk * 34;
            float d = Float.float16ToFloat((short) ((raw[b] & 0xFF) | (raw[b + 1] << 8)));
            int o = off + blk * 32;
            if (B.length() <= 32) {
                for (int j = 0; j < 32; j += B.length()) {
                    ByteVector q = ByteVector.fromArray(B, raw, b + 2 + j);
                    ((FloatVector) q.convertShape(VectorOperators.B2F, F, 0)).mul(d).intoArray(dst, o + j);
                }
            } else {
                for (int j = 0; j < 32; j++) dst[o + j] = raw[b + 2 + j] * d;
            }
        }
    }

    /** The 4- and 5-bit ggml types (layouts as in ggml-common.h; see {@link Quant}). */
    private void decodeNibbles(long base, int len, float[] dst, int off, Scratch s) {
        int bpb = type.bytesPerBlock;
        int bytes = (int) type.byteSize(len);
        byte[] raw = s.bytes(bytes);
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, base, raw, 0, bytes);
        for (int blk = 0; blk < len / 32; blk++) {
            int b = blk * bpb;
            int o = off + blk * 32;
            float d = Float.float16ToFloat(shortAt(raw, b));
            switch (type) {
                case Q4_0 -> {
                    for (int j = 0; j < 16; j++) {
                        int v = raw[b + 2 + j] & 0xFF;
                        dst[o + j] = ((v & 0x0F) - 8) * d;
                        dst[o + j + 16] = ((v >>> 4) - 8) * d;
                    }
                }
                case Q4_1 -> {
                    float m = Float.float16ToFloat(shortAt(raw, b + 2));
                    for (int j = 0; j < 16; j++) {
                        int v = raw[b + 4 + j] & 0xFF;
                        dst[o + j] = (v & 0x0F) * d + m;
                        dst[o + j + 16] = (v >>> 4) * d + m;
                    }
                }
                case Q5_0 -> {
                    int qh = intAt(raw, b + 2);
                    for (int j = 0; j < 16; j++) {
                        int v = raw[b + 6 + j] & 0xFF;
                        dst[o + j] = (((v & 0x0F) | (((qh >>> j) & 1) << 4)) - 16) * d;
                        dst[o + j + 16] = (((v >>> 4) | (((qh >>> (j + 16)) & 1) << 4)) - 16) * d;
                    }
                }
                case Q5_1 -> {
                    float m = Float.float16ToFloat(shortAt(raw, b + 2));
                    int qh = intAt(raw, b + 4);
                    for (int j = 0; j < 16; j++) {
                        int v = raw[b + 8 + j] & 0xFF;
                        dst[o + j] = ((v & 0x0F) | (((qh >>> j) & 1) << 4)) * d + m;
                        dst[o + j + 16] = ((v >>> 4) | (((qh >>> (j + 16)) & 1) << 4)) * d + m;
                    }
                }
                default -> throw new IllegalStateException(type.toString());
            }
        }
    }

    private static short shortAt(byte[] a, int i) {
        return (short) ((a[i] & 0xFF) | (a[i + 1] << 8));
    }

    private static int intAt(byte[] a, int i) {
        return (a[i] & 0xFF) | (a[i + 1] & 0xFF) << 8 | (a[i + 2] & 0xFF) << 16 | (a[i + 3] & 0xFF) << 24;
    }
}
