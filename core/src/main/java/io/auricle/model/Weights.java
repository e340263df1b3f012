package io.auricle.model;

import io.auricle.AuricleException;
import io.auricle.tensor.DType;
import io.auricle.tensor.Matrix;
import io.auricle.tensor.Ops;
import io.auricle.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Looks up a checkpoint's tensors by canonical name, checks their shapes, and prepares them for {@link Ops}.
 * The decoder's matrices are converted once, here, to the {@link ComputeType}'s weight type ({@code compute} is
 * resolved: never {@link ComputeType#DEFAULT}).
 */
record Weights(Checkpoint checkpoint, Ops ops, ComputeType compute) {

    private static final String DECODER = "decoder.";

    Weights {
        if (compute == ComputeType.DEFAULT) throw new IllegalArgumentException("resolve the compute type first");
    }

    Tensor tensor(String name, int... shape) {
        Tensor t = checkpoint.tensor(name);
        if (shape.length > 0 && !Arrays.equals(t.shape(), shape)) {
            throw new AuricleException(checkpoint.source() + ": tensor " + name + " has shape "
                    + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape));
        }
        return t;
    }

    float[] floats(String name) {
        return tensor(name).toFloatArray();
    }

    /**
     * A weight matrix, in the compute type's weight type if it belongs to the decoder. A mapped weight converted
     * to a copy has its file pages dropped from the process (the int8 decoder's fp16 source: 60 MB at tiny.en;
     * the token embedding's rows are then looked up in the copy too, TextDecoder).
     */
    Matrix matrix(String name) {
        Tensor t = tensor(name);
        if (!name.startsWith(DECODER)) return ops.prepare(t);
        Tensor prepared = convert(t, compute);
        if (prepared != t && t.data().isMapped()) t.data().unload();
        // the cross-attention's keys and values multiply the audio's 1500 rows every window; the rest, a prompt
        return name.contains(".cross_attn.key.") || name.contains(".cross_attn.value.")
                ? ops.prepare(prepared) : ops.prepareForFewRows(prepared);
    }

    /** {@code t} in the weight type of {@code compute}; unchanged when it already is, or for float32. */
    static Tensor convert(Tensor t, ComputeType compute) {
        return switch (compute) {
            case FLOAT32, DEFAULT -> t;
            case FLOAT16 -> t.type() == DType.F32 ? toFloat16(t) : t;
            case INT8 -> t.type() == DType.I8_ROW_SCALED ? t : toInt8(t);
            case Q8_0 -> t.type() == DType.Q8_0 ? t : toQ8_0(t);
        };
    }

    private static Tensor toFloat16(Tensor t) {
        long n = t.numel();
        short[] h = new short[Math.toIntExact(n)];
        for (int i = 0; i < h.length; i++) h[i] = Float.floatToFloat16(t.get(i));
        return Tensor.of(t.name(), DType.F16, t.shape(), MemorySegment.ofArray(h));
    }

    /**
     * CTranslate2's int8: per output row, {@code scale = 127 / max|w|}, {@code q = round(w · scale)}; the value is
     * {@code q / scale}. A row of zeros keeps scale 1.
     */
    static Tensor toInt8(Tensor t) {
        int rows = t.dim(0), cols = Math.toIntExact(t.numel() / rows);
        byte[] q = new byte[Math.multiplyExact(rows, cols)];
        float[] scales = new float[rows];
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            long base = (long) r * cols;
            float amax = 0;
            for (int c = 0; c < cols; c++) {
                row[c] = t.get(base + c);
                amax = Math.max(amax, Math.abs(row[c]));
            }
            float scale = amax == 0 ? 1f : 127f / amax;
            scales[r] = scale;
            for (int c = 0; c < cols; c++) q[r * cols + c] = (byte) Math.round(row[c] * scale);
        }
        return new Tensor(t.name(), DType.I8_ROW_SCALED, t.shape(), MemorySegment.ofArray(q), MemorySegment.ofArray(scales));
    }

    /** ggml's q8_0 (whisper.cpp's quantizer, byte for byte), row by row. */
    static Tensor toQ8_0(Tensor t) {
        int rows = t.dim(0), cols = Math.toIntExact(t.numel() / rows);
        if (cols % GgmlQuantizer.BLOCK != 0) {
            throw new AuricleException(t.name() + ": rows of " + cols + " values do not split into q8_0 blocks of 32");
        }
        long rowBytes = DType.Q8_0.byteSize(cols);
        MemorySegment out = MemorySegment.ofArray(new byte[Math.toIntExact(rowBytes * rows)]);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            long base = (long) r * cols;
            for (int c = 0; c < cols; c++) row[c] = t.get(base + c);
            GgmlQuantizer.quantize(DType.Q8_0, row, cols, out, r * rowBytes);
        }
        return Tensor.of(t.name(), DType.Q8_0, t.shape(), out);
    }
}
