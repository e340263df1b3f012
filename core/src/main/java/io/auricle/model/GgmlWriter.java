package io.auricle.model;

import io.auricle.AuricleException;
import io.auricle.audio.MelFilters;
import io.auricle.tensor.DType;
import io.auricle.tensor.Tensor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a checkpoint as a whisper.cpp ggml file, laid out as whisper.cpp's convert-pt-to-ggml.py writes it and,
 * for the quantized types, as its quantize tool rewrites that file: 1-D tensors, conv biases and both positional
 * embeddings stay float32, the rest float16; a quantized file then quantizes every 2-D tensor but the
 * positional embeddings and conv biases (conv weights are 3-D and stay float16). Values go through float16
 * first, as in that two-step pipeline, so the bytes match.
 */
public final class GgmlWriter {

    /** Output types: the file's ggml_ftype and the ggml type of its quantized tensors. */
    public enum Type {
        F32(0, DType.F32), F16(1, DType.F16), Q8_0(7, DType.Q8_0), Q5_0(8, DType.Q5_0), Q5_1(9, DType.Q5_1),
        Q4_0(2, DType.Q4_0), Q4_1(3, DType.Q4_1);

        final int ftype;
        final DType dtype;

        Type(int ftype, DType dtype) {
            this.ftype = ftype;
            this.dtype = dtype;
        }

        public static Type parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new AuricleException("unknown ggml type '" + name + "': use one of f32, f16, q8_0, q5_0, q5_1, q4_0, q4_1");
            }
        }

        boolean quantized() {
            return dtype.blockSize > 1;
        }
    }

    /** GGML_QNT_VERSION: the quantization format generation whisper.cpp's quantize tool stamps into ftype. */
    private static final int QNT_VERSION = 2;
    private static final Set<String> KEPT_F32 = Set.of("encoder.conv1.bias", "encoder.conv2.bias",
            "encoder.positional_embedding", "decoder.positional_embedding");

    private GgmlWriter() {}

    /** Writes atomically: to a temporary file beside {@code out}, renamed when complete. */
    public static void write(Checkpoint checkpoint, Path out, Type type) {
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            write(checkpoint, os, type);
        } catch (IOException e) {
            throw new AuricleException(out + ": cannot write: " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AuricleException(out + ": cannot write: " + e.getMessage(), e);
        }
    }

    static void write(Checkpoint c, OutputStream out, Type type) throws IOException {
        ModelDimensions d = c.dims();
        int ftype = type.ftype + (type.quantized() ? QNT_VERSION * GgmlReader.QNT_VERSION_FACTOR : 0);
        ints(out, GgmlReader.MAGIC, d.nVocab(), d.nAudioCtx(), d.nAudioState(), d.nAudioHead(), d.nAudioLayer(),
                d.nTextCtx(), d.nTextState(), d.nTextHead(), d.nTextLayer(), d.nMels(), ftype);

        float[][] filters = MelFilters.whisper(d.nMels()).matrix();
        ints(out, filters.length, filters[0].length);
        ByteBuffer row = ByteBuffer.allocate(filters[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] f : filters) {
            row.clear();
            row.asFloatBuffer().put(f);
            out.write(row.array());
        }

        List<byte[]> vocabulary = c.vocabulary();
        ints(out, vocabulary.size());
        for (byte[] token : vocabulary) {
            ints(out, token.length);
            out.write(token);
        }

        for (Map.Entry<String, int[]> e : CanonicalTensors.expected(d).entrySet()) {
            Tensor t = c.tensor(e.getKey());
            tensor(out, t, storedType(e.getKey(), e.getValue(), type));
        }
    }

    /** The type convert-pt-to-ggml.py, then the quantize tool, would give this tensor. */
    static DType storedType(String name, int[] shape, Type type) {
        if (type == Type.F32) return DType.F32;
        boolean f32 = shape.length < 2 || KEPT_F32.contains(name);
        if (f32) return DType.F32;
        return type.quantized() && shape.length == 2 ? type.dtype : DType.F16;
    }

    private static void tensor(OutputStream out, Tensor t, DType stored) throws IOException {
        String name = t.name();
        int[] shape = name.equals("encoder.conv1.bias") || name.equals("encoder.conv2.bias")
                ? new int[] {t.dim(0), 1} : t.shape(); // the converter's [d] -> [d, 1]
        if (stored.blockSize > 1 && shape[shape.length - 1] % stored.blockSize != 0) {
            throw new AuricleException(name + ": rows of " + shape[shape.length - 1] + " values cannot be stored as "
                    + stored + " (needs a multiple of " + stored.blockSize + ")");
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ints(out, shape.length, nameBytes.length, GgmlReader.ttype(stored));
        for (int k = shape.length - 1; k >= 0; k--) ints(out, shape[k]);
        out.write(nameBytes);

        int cols = shape[shape.length - 1];
        long rows = t.numel() / cols;
        float[] values = new float[cols];
        MemorySegment buffer = MemorySegment.ofArray(new byte[(int) stored.byteSize(cols)]);
        byte[] bytes = (byte[]) buffer.heapBase().orElseThrow();
        for (long r = 0; r < rows; r++) {
            long base = r * cols;
            if (t.type() == stored && (stored == DType.F16 || stored == DType.F32)) {
                MemorySegment.copy(t.data(), stored.byteSize(base), buffer, 0, buffer.byteSize());
            } else {
                for (int j = 0; j < cols; j++) values[j] = t.get(base + j);
                switch (stored) {
                    case F32 -> MemorySegment.copy(values, 0, buffer, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, cols);
                    case F16 -> {
                        for (int j = 0; j < cols; j++) {
                            buffer.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * j, Float.floatToFloat16(values[j]));
                        }
                    }
                    default -> {
                        // quantize from float16 values, as whisper.cpp quantizes its f16 file
                        for (int j = 0; j < cols; j++) values[j] = Float.float16ToFloat(Float.floatToFloat16(values[j]));
                        GgmlQuantizer.quantize(stored, values, cols, buffer, 0);
                    }
                }
            }
            out.write(bytes);
        }
    }

    private static void ints(OutputStream out, int... values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putInt(v);
        out.write(b.array());
    }
}
