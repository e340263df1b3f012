package io.auricle.vad;

import io.auricle.AuricleException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The float initializers (weights) of an ONNX model, read straight from its protobuf: ModelProto.graph (field 7),
 * GraphProto.initializer (5), TensorProto dims (1), data_type (2), float_data (4), name (8), raw_data (9).
 * A few dozen lines of wire-format reading instead of a protobuf dependency; the graph itself is not read
 * (SileroVad implements it).
 */
final class OnnxInitializers {

    /** One float tensor: its shape and values in row-major order. */
    record Initializer(long[] dims, float[] values) {}

    private static final int FLOAT = 1;

    private final Path file;
    private final byte[] bytes;
    private int pos;

    private OnnxInitializers(Path file, byte[] bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    static Map<String, Initializer> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AuricleException(file + ": cannot read the VAD model (" + e.getMessage() + ")");
        }
        return new OnnxInitializers(file, bytes).model();
    }

    private Map<String, Initializer> model() {
        Map<String, Initializer> out = new HashMap<>();
        forEachField(0, bytes.length, (field, start, end) -> {
            if (field == 7) {
                forEachField(start, end, (g, s, e) -> {
                    if (g == 5) {
                        tensor(s, e, out);
                    }
                });
            }
        });
        return out;
    }

    private void tensor(int start, int end, Map<String, Initializer> out) {
        long[][] dims = {new long[0]};
        int[] type = {0};
        String[] name = {""};
        int[] raw = {-1, -1};
        int[] packedFloats = {-1, -1};
        forEachField(start, end, (f, s, e) -> {
            switch (f) {
                case 1 -> dims[0] = s < 0 ? append(dims[0], lastVarint) : packedVarints(dims[0], s, e);
                case 2 -> type[0] = (int) lastVarint;
                case 4 -> { if (s >= 0) { packedFloats[0] = s; packedFloats[1] = e; } }
                case 8 -> name[0] = new String(bytes, s, e - s, java.nio.charset.StandardCharsets.UTF_8);
                case 9 -> { raw[0] = s; raw[1] = e; }
                default -> { }
            }
        });
        if (type[0] != FLOAT) {
            return;
        }
        int from = raw[0] >= 0 ? raw[0] : packedFloats[0];
        int to = raw[0] >= 0 ? raw[1] : packedFloats[1];
        long count = 1;
        for (long d : dims[0]) {
            count *= d;
        }
        if (from < 0 || (to - from) != count * Float.BYTES) {
            throw corrupt("initializer " + name[0] + " holds " + (from < 0 ? 0 : to - from)
                    + " bytes for shape " + java.util.Arrays.toString(dims[0]));
        }
        float[] values = new float[(int) count];
        ByteBuffer.wrap(bytes, from, to - from).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        out.put(name[0], new Initializer(dims[0], values));
    }

    /** A field's handler: {@code start, end} bound a length-delimited payload; both are -1 for a varint. */
    private interface FieldHandler {
        void field(int number, int start, int end);
    }

    private long lastVarint;

    private void forEachField(int start, int end, FieldHandler handler) {
        int saved = pos;
        pos = start;
        while (pos < end) {
            long key = varint(end);
            int number = (int) (key >>> 3);
            switch ((int) (key & 7)) {
                case 0 -> {
                    lastVarint = varint(end);
                    handler.field(number, -1, -1);
                }
                case 1 -> skip(8, end);
                case 5 -> skip(4, end);
                case 2 -> {
                    long length = varint(end);
                    if (length < 0 || length > end - pos) {
                        throw corrupt("a field runs past its message");
                    }
                    int s = pos;
                    pos += (int) length;
                    int after = pos;
                    handler.field(number, s, s + (int) length);
                    pos = after;
                }
                default -> throw corrupt("unknown protobuf wire type " + (key & 7));
            }
        }
        pos = saved;
    }

    private void skip(int n, int end) {
        if (n > end - pos) {
            throw corrupt("a field runs past its message");
        }
        pos += n;
    }

    private long varint(int end) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw corrupt("truncated varint");
            }
            int b = bytes[pos++] & 0xFF;
            result |= (long) (b & 0x7F) << shift;
            if (b < 0x80) {
                return result;
            }
        }
        throw corrupt("varint longer than 10 bytes");
    }

    private long[] packedVarints(long[] dims, int start, int end) {
        int saved = pos;
        pos = start;
        long[] out = dims;
        while (pos < end) {
            out = append(out, varint(end));
        }
        pos = saved;
        return out;
    }

    private static long[] append(long[] a, long v) {
        long[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }

    private AuricleException corrupt(String why) {
        return new AuricleException(file + ": not a readable ONNX model (" + why + ")");
    }
}
