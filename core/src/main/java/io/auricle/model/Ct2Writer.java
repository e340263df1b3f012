package io.auricle.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auricle.AuricleException;
import io.auricle.tensor.DType;
import io.auricle.tensor.Tensor;
import io.auricle.tokenizer.Tokenizer;
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
import java.util.TreeMap;

/**
 * Writes a checkpoint as a CTranslate2 Whisper directory, as ctranslate2's converter does (WhisperSpec revision 3,
 * binary version 6): model.bin with the fused self-attention Q;K;V and cross-attention K;V (zero key biases put
 * back), the decoder's option scalars, the projection aliased to the embeddings; config.json (alignment heads,
 * language ids, suppress lists); vocabulary.json (every id, specials included). int8 follows ctranslate2's
 * quantizer to the bit: per-row scale 127/amax, values rounded half to even, conv weights scaled per output channel.
 */
public final class Ct2Writer {

    /** Output types, named as ctranslate2's --quantization; int8 keeps the unquantized tensors float32. */
    public enum Type {
        FLOAT32, FLOAT16, INT8, INT8_FLOAT16;

        public static Type parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new AuricleException("unknown ct2 type '" + name + "': use one of float32, float16, int8, int8_float16");
            }
        }

        boolean int8() {
            return this == INT8 || this == INT8_FLOAT16;
        }

        int floatDtype() {
            return this == FLOAT16 || this == INT8_FLOAT16 ? F16 : F32;
        }
    }

    private static final int BINARY_VERSION = 6;
    private static final int SPEC_REVISION = 3;
    // ctranslate2 DataType ids
    private static final int F32 = 0, I8 = 1, I16 = 2, F16 = 4;
    private static final int GELU = 3;

    /** A variable to write: CT2 dtype, shape and its values (rows concatenated), or a raw scalar. */
    private record Variable(int dtype, int[] shape, List<Tensor> parts, byte[] raw, boolean quantize) {
        static Variable of(boolean quantize, Tensor... parts) {
            int rows = 0;
            for (Tensor t : parts) rows += t.dim(0);
            int[] shape = parts[0].shape().clone();
            shape[0] = rows;
            return new Variable(-1, shape, List.of(parts), null, quantize);
        }

        static Variable scalar(int dtype, int value) {
            byte[] raw = dtype == I16 ? new byte[] {(byte) value, (byte) (value >> 8)} : new byte[] {(byte) value};
            return new Variable(dtype, new int[0], List.of(), raw, false);
        }
    }

    private Ct2Writer() {}

    /**
     * Writes {@code dir}; {@code tokenizerFrom}, when it holds a Hugging Face tokenizer.json, has it copied along
     * (faster-whisper reads its tokenizer from there and otherwise asks the hub).
     */
    public static void write(Checkpoint c, Path dir, Type type, Path tokenizerFrom) {
        try {
            Files.createDirectories(dir);
            writeModel(variables(c), dir.resolve("model.bin"), type);
            writeConfig(c, dir.resolve("config.json"));
            writeVocabulary(c, dir.resolve("vocabulary.json"));
            copyTokenizer(tokenizerFrom, dir);
        } catch (IOException e) {
            throw new AuricleException(dir + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Copies a Hugging Face tokenizer.json from {@code from} (if it has one) into {@code dir}. */
    static void copyTokenizer(Path from, Path dir) throws IOException {
        Path tokenizer = from == null ? null : from.resolve("tokenizer.json");
        Path target = dir.resolve("tokenizer.json");
        if (tokenizer != null && Files.isRegularFile(tokenizer)
                && !tokenizer.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
            Files.copy(tokenizer, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Map<String, Variable> variables(Checkpoint c) {
        ModelDimensions d = c.dims();
        Map<String, Variable> v = new TreeMap<>(); // ctranslate2 writes variables sorted by name
        linear(v, c, "encoder/conv1", "encoder.conv1");
        linear(v, c, "encoder/conv2", "encoder.conv2");
        v.put("encoder/position_encodings/encodings", Variable.of(false, c.tensor("encoder.positional_embedding")));
        v.put("encoder/num_heads", Variable.scalar(I16, d.nAudioHead()));
        for (int i = 0; i < d.nAudioLayer(); i++) {
            block(v, c, "encoder/layer_" + i + "/", "encoder.blocks." + i + ".", d.nAudioState());
        }
        norm(v, c, "encoder/layer_norm", "encoder.ln_post");

        v.put("decoder/embeddings/weight", Variable.of(true, c.tensor("decoder.token_embedding.weight")));
        v.put("decoder/position_encodings/encodings", Variable.of(false, c.tensor("decoder.positional_embedding")));
        for (int i = 0; i < d.nTextLayer(); i++) {
            String ct2 = "decoder/layer_" + i + "/", o = "decoder.blocks." + i + ".";
            block(v, c, ct2, o, d.nTextState());
            norm(v, c, ct2 + "attention/layer_norm", o + "cross_attn_ln");
            linear(v, c, ct2 + "attention/linear_0", o + "cross_attn.query");
            v.put(ct2 + "attention/linear_1/weight", Variable.of(true,
                    c.tensor(o + "cross_attn.key.weight"), c.tensor(o + "cross_attn.value.weight")));
            v.put(ct2 + "attention/linear_1/bias", Variable.of(false,
                    zeros(d.nTextState()), c.tensor(o + "cross_attn.value.bias")));
            linear(v, c, ct2 + "attention/linear_2", o + "cross_attn.out");
        }
        norm(v, c, "decoder/layer_norm", "decoder.ln");
        // TransformerDecoderSpec's options, at the values ctranslate2's Whisper converter leaves them
        v.put("decoder/num_heads", Variable.scalar(I16, d.nTextHead()));
        v.put("decoder/activation", Variable.scalar(I8, GELU));
        v.put("decoder/pre_norm", Variable.scalar(I8, 1));
        v.put("decoder/alignment_heads", Variable.scalar(I16, 1));
        v.put("decoder/alignment_layer", Variable.scalar(I16, -1));
        for (String off : List.of("alibi", "alibi_use_positive_positions", "scale_alibi", "scale_embeddings",
                "start_from_zero_embedding")) {
            v.put("decoder/" + off, Variable.scalar(I8, 0));
        }
        return v;
    }

    /** A transformer block's self-attention (Q;K;V fused, zero key bias) and MLP. */
    private static void block(Map<String, Variable> v, Checkpoint c, String ct2, String o, int d) {
        norm(v, c, ct2 + "self_attention/layer_norm", o + "attn_ln");
        v.put(ct2 + "self_attention/linear_0/weight", Variable.of(true, c.tensor(o + "attn.query.weight"),
                c.tensor(o + "attn.key.weight"), c.tensor(o + "attn.value.weight")));
        v.put(ct2 + "self_attention/linear_0/bias", Variable.of(false, c.tensor(o + "attn.query.bias"),
                zeros(d), c.tensor(o + "attn.value.bias")));
        linear(v, c, ct2 + "self_attention/linear_1", o + "attn.out");
        norm(v, c, ct2 + "ffn/layer_norm", o + "mlp_ln");
        linear(v, c, ct2 + "ffn/linear_0", o + "mlp.0");
        linear(v, c, ct2 + "ffn/linear_1", o + "mlp.2");
    }

    private static void linear(Map<String, Variable> v, Checkpoint c, String ct2, String openai) {
        v.put(ct2 + "/weight", Variable.of(true, c.tensor(openai + ".weight")));
        v.put(ct2 + "/bias", Variable.of(false, c.tensor(openai + ".bias")));
    }

    private static void norm(Map<String, Variable> v, Checkpoint c, String ct2, String openai) {
        v.put(ct2 + "/gamma", Variable.of(false, c.tensor(openai + ".weight")));
        v.put(ct2 + "/beta", Variable.of(false, c.tensor(openai + ".bias")));
    }

    private static Tensor zeros(int n) {
        return Tensor.ofFloats("zeros", new int[] {n}, new float[n]);
    }

    private static void writeModel(Map<String, Variable> variables, Path file, Type type) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            LittleEndian out = new LittleEndian(os);
            out.u32(BINARY_VERSION);
            out.string("WhisperSpec");
            out.u32(SPEC_REVISION);
            int count = 0;
            for (Variable v : variables.values()) count += v.quantize && type.int8() ? 2 : 1;
            out.u32(count);
            for (Map.Entry<String, Variable> e : variables.entrySet()) {
                Variable v = e.getValue();
                if (v.raw != null) {
                    header(out, e.getKey(), v.shape, v.dtype, v.raw.length);
                    out.bytes(v.raw);
                } else if (v.quantize && type.int8()) {
                    writeInt8(out, e.getKey(), v);
                } else {
                    writeFloats(out, e.getKey(), v, type.floatDtype());
                }
            }
            out.u32(1);
            out.string("decoder/projection/weight");
            out.string("decoder/embeddings/weight");
        }
    }

    private static void header(LittleEndian out, String name, int[] shape, int dtype, long bytes) throws IOException {
        out.string(name);
        out.u8(shape.length);
        for (int dim : shape) out.u32(dim);
        out.u8(dtype);
        if (bytes > 0xFFFF_FFFFL) throw new AuricleException(name + ": " + bytes + " bytes do not fit CTranslate2's u32 size");
        out.u32(bytes);
    }

    private static void writeFloats(LittleEndian out, String name, Variable v, int dtype) throws IOException {
        long numel = Tensor.numel(v.shape);
        header(out, name, v.shape, dtype, numel * (dtype == F16 ? 2 : 4));
        DType want = dtype == F16 ? DType.F16 : DType.F32;
        for (Tensor t : v.parts) {
            if (t.type() == want) { // already in the output type: the bytes as they are
                out.segment(t.data());
                continue;
            }
            for (long i = 0, n = t.numel(); i < n; i++) {
                float x = t.get(i);
                if (dtype == F16) out.u16(Float.floatToFloat16(x));
                else out.u32(Float.floatToRawIntBits(x));
            }
        }
    }

    /** ctranslate2's int8 quantization: each row (a conv weight's output channel) scaled to ±127. */
    private static void writeInt8(LittleEndian out, String name, Variable v) throws IOException {
        int rows = v.shape[0];
        long cols = Tensor.numel(v.shape) / rows;
        header(out, name, v.shape, I8, rows * cols);
        float[] scales = new float[rows];
        float[] row = new float[(int) cols];
        byte[] quantized = new byte[(int) cols];
        int r = 0;
        for (Tensor t : v.parts) {
            for (int tr = 0; tr < t.dim(0); tr++, r++) {
                float amax = 0;
                for (int j = 0; j < cols; j++) {
                    row[j] = t.get(tr * cols + j);
                    amax = Math.max(amax, Math.abs(row[j]));
                }
                if (amax == 0) amax = 127f;
                amax = Math.max(amax, 127f / Float.MAX_VALUE);
                float scale = 127f / amax;
                for (int j = 0; j < cols; j++) quantized[j] = (byte) Math.rint(row[j] * scale);
                scales[r] = scale;
                out.bytes(quantized);
            }
        }
        header(out, name + "_scale", new int[] {rows}, F32, 4L * rows);
        for (float s : scales) out.u32(Float.floatToRawIntBits(s));
    }

    private static void writeConfig(Checkpoint c, Path file) throws IOException {
        ObjectNode config = Json.MAPPER.createObjectNode();
        ArrayNode heads = config.putArray("alignment_heads");
        for (int[] h : c.alignmentHeads()) heads.addArray().add(h[0]).add(h[1]);
        ArrayNode languages = config.putArray("lang_ids");
        int sot = c.vocabulary().size() + 1;
        for (int i = 0; i < c.dims().numLanguages(); i++) languages.add(sot + 1 + i);
        ArrayNode suppress = config.putArray("suppress_ids");
        for (int t : c.suppressTokens()) suppress.add(t);
        ArrayNode begin = config.putArray("suppress_ids_begin");
        for (int t : c.beginSuppressTokens()) begin.add(t);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
    }

    /** Every id's token: regular ones byte-level spelled, then the specials as the tokenizer names them. */
    private static void writeVocabulary(Checkpoint c, Path file) throws IOException {
        ArrayNode tokens = Json.MAPPER.createArrayNode();
        for (byte[] token : c.vocabulary()) tokens.add(ByteLevel.encode(token));
        for (String special : Tokenizer.specialTokenNames(c.dims().numLanguages())) tokens.add(special);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), tokens);
    }

    /** Little-endian primitives and CTranslate2's strings (u16 length with the NUL, bytes, NUL). */
    private static final class LittleEndian {
        private final OutputStream out;
        private final ByteBuffer buffer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);

        LittleEndian(OutputStream out) {
            this.out = out;
        }

        void u8(int v) throws IOException {
            out.write(v);
        }

        void u16(int v) throws IOException {
            out.write(v);
            out.write(v >>> 8);
        }

        void u32(long v) throws IOException {
            out.write(buffer.clear().putInt((int) v).array(), 0, 4);
        }

        void bytes(byte[] b) throws IOException {
            out.write(b);
        }

        void segment(MemorySegment data) throws IOException {
            byte[] chunk = new byte[1 << 16];
            for (long at = 0, size = data.byteSize(); at < size; at += chunk.length) {
                int n = (int) Math.min(chunk.length, size - at);
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }

        void string(String s) throws IOException {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            u16(utf8.length + 1);
            out.write(utf8);
            out.write(0);
        }
    }
}
