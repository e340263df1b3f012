package io.auricle.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.auricle.AuricleException;
import io.auricle.tensor.DType;
import io.auricle.tensor.Tensor;
import io.auricle.tokenizer.Vocabularies;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a CTranslate2 Whisper directory (faster-whisper's format): model.bin, config.json and a vocabulary file.
 * model.bin is mapped once and every tensor is a slice of it; the fused self-attention Q;K;V and cross-attention
 * K;V weights are split by row ranges, and the key biases CT2 stores as zeros are dropped.
 */
public final class Ct2Reader {
    private static final int OLDEST_VERSION = 4; // before 4 the dtype field differed; no Whisper model predates it
    private static final int NEWEST_VERSION = 6;
    private static final int GELU = 3;
    private static final long MAX_ELEMENTS = 1L << 36; // far beyond any Whisper tensor, far below overflow // ctranslate2 ActivationType::GELU
    private static final Pattern LAYER = Pattern.compile("(encoder|decoder)/layer_(\\d+)/.*");

    /** One model.bin variable: shape, CT2 dtype id (0 f32, 1 i8, 2 i16, 3 i32, 4 f16, 5 bf16) and bytes. */
    record Variable(String name, int[] shape, int dtype, MemorySegment data) {}

    private final Path dir;
    private final String file;
    private final Map<String, Variable> variables = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();
    private String specName;

    private Ct2Reader(Path dir) {
        this.dir = dir;
        this.file = dir.resolve("model.bin").toString();
    }

    public static Checkpoint read(Path dir) {
        Ct2Reader r = new Ct2Reader(dir);
        r.parse(MappedFile.map(dir.resolve("model.bin")));
        return r.checkpoint();
    }

    /** The raw variables of a model.bin, by CT2 name (aliases not resolved): for tests and tools. */
    static Map<String, Variable> variables(Path modelBin) {
        Ct2Reader r = new Ct2Reader(modelBin.getParent() == null ? Path.of(".") : modelBin.getParent());
        r.parse(MappedFile.map(modelBin));
        return r.variables;
    }

    private void parse(MemorySegment bytes) {
        BinaryCursor in = new BinaryCursor(bytes, file);
        long version = in.u32("binary version");
        if (version < OLDEST_VERSION || version > NEWEST_VERSION) {
            throw in.error("CTranslate2 binary version " + version + " is not supported (expected "
                    + OLDEST_VERSION + " to " + NEWEST_VERSION + ")");
        }
        specName = string(in, "spec name");
        in.u32("spec revision");
        if (!specName.equals("WhisperSpec")) throw in.error("is a CTranslate2 " + specName + ", not a Whisper model");
        long count = in.u32("variable count");
        for (long i = 0; i < count; i++) {
            String name = string(in, "name of variable " + i);
            int rank = in.u8(name + " rank");
            int[] shape = new int[rank];
            long numel = 1;
            for (int k = 0; k < rank; k++) {
                long dim = in.u32(name + " shape");
                if (dim > Integer.MAX_VALUE) throw in.error(name + " has an absurd dimension " + dim);
                shape[k] = (int) dim;
                numel *= dim;
                if (numel > MAX_ELEMENTS) throw in.error(name + " has an absurd shape " + Arrays.toString(shape));
            }
            int dtype = in.u8(name + " dtype");
            if (dtype > 5) throw in.error(name + " has unknown dtype id " + dtype);
            long size = in.u32(name + " byte count");
            long itemSize = switch (dtype) {
                case 0, 3 -> 4;
                case 2, 4, 5 -> 2;
                default -> 1;
            };
            if (numel * itemSize != size) {
                throw in.error(name + " declares " + size + " bytes for " + numel + " elements of " + itemSize + " bytes");
            }
            variables.put(name, new Variable(name, shape, dtype, in.slice(size, name + " data")));
        }
        long aliasCount = in.u32("alias count");
        for (long i = 0; i < aliasCount; i++) {
            String alias = string(in, "alias " + i);
            aliases.put(alias, string(in, "target of alias " + alias));
        }
    }

    /** CT2 strings: u16 length counting the trailing NUL, the UTF-8 bytes, then the NUL. */
    private static String string(BinaryCursor in, String what) {
        int length = in.u16(what + " length");
        if (length == 0) throw in.error(what + " has length 0");
        String s = in.utf8(length - 1, what);
        in.u8(what + " terminator");
        return s;
    }

    private Checkpoint checkpoint() {
        ModelDimensions dims = dimensions();
        String source = dir + " (CTranslate2 " + typeName(variable("decoder/embeddings/weight").dtype) + ")";
        CanonicalTensors.checkDims(dims, source);
        checkScalar("decoder/activation", GELU, "activation");
        checkScalar("encoder/activation", GELU, "activation");
        checkScalar("decoder/pre_norm", 1, "pre_norm");

        Map<String, Tensor> t = new LinkedHashMap<>();
        put(t, "encoder.conv1", "encoder/conv1");
        put(t, "encoder.conv2", "encoder/conv2");
        t.put("encoder.positional_embedding", tensor("encoder.positional_embedding", "encoder/position_encodings/encodings"));
        for (int i = 0; i < dims.nAudioLayer(); i++) {
            String o = "encoder.blocks." + i + ".", c = "encoder/layer_" + i + "/";
            selfAttention(t, o, c, dims.nAudioState());
            mlp(t, o, c);
        }
        norm(t, "encoder.ln_post", "encoder/layer_norm");
        t.put("decoder.token_embedding.weight", tensor("decoder.token_embedding.weight", "decoder/embeddings/weight"));
        t.put("decoder.positional_embedding", tensor("decoder.positional_embedding", "decoder/position_encodings/encodings"));
        for (int i = 0; i < dims.nTextLayer(); i++) {
            String o = "decoder.blocks." + i + ".", c = "decoder/layer_" + i + "/";
            int d = dims.nTextState();
            selfAttention(t, o, c, d);
            norm(t, o + "cross_attn_ln", c + "attention/layer_norm");
            put(t, o + "cross_attn.query", c + "attention/linear_0");
            Tensor kv = tensor(o + "cross_attn.kv", c + "attention/linear_1/weight");
            Tensor kvBias = tensor(o + "cross_attn.kv.bias", c + "attention/linear_1/bias");
            t.put(o + "cross_attn.key.weight", rows(kv, o + "cross_attn.key.weight", 0, d));
            t.put(o + "cross_attn.value.weight", rows(kv, o + "cross_attn.value.weight", d, 2 * d));
            t.put(o + "cross_attn.value.bias", rows(kvBias, o + "cross_attn.value.bias", d, 2 * d));
            put(t, o + "cross_attn.out", c + "attention/linear_2");
            mlp(t, o, c);
        }
        norm(t, "decoder.ln", "decoder/layer_norm");
        CanonicalTensors.check(t, dims, source);

        Config config = config(source);
        int[][] heads = config.alignmentHeads != null
                ? config.alignmentHeads : AlignmentHeads.forCheckpoint(dims, dir.getFileName() + "");
        AlignmentHeads.check(heads, dims, source);
        List<byte[]> vocabulary = CheckpointLoader.checkVocabulary(Vocabularies.readRegular(dir), dims, source);
        return new Checkpoint(dims, t, vocabulary, heads, config.suppress, config.suppressBegin, source);
    }

    private ModelDimensions dimensions() {
        Variable conv1 = variable("encoder/conv1/weight");
        Variable audioPos = variable("encoder/position_encodings/encodings");
        Variable embedding = variable("decoder/embeddings/weight");
        Variable textPos = variable("decoder/position_encodings/encodings");
        requireRank(conv1, 3);
        requireRank(audioPos, 2);
        requireRank(embedding, 2);
        requireRank(textPos, 2);
        return new ModelDimensions(conv1.shape[1], audioPos.shape[0], conv1.shape[0], intScalar("encoder/num_heads"),
                layerCount("encoder"), embedding.shape[0], textPos.shape[0], embedding.shape[1],
                intScalar("decoder/num_heads"), layerCount("decoder"));
    }

    private int layerCount(String stack) {
        TreeSet<Integer> layers = new TreeSet<>();
        for (String name : variables.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.matches() && m.group(1).equals(stack)) layers.add(Integer.parseInt(m.group(2)));
        }
        if (layers.isEmpty()) throw new AuricleException(file + ": no " + stack + " layers");
        if (layers.last() != layers.size() - 1) throw new AuricleException(file + ": " + stack + " layers are not numbered 0.."
                + (layers.size() - 1));
        return layers.size();
    }

    private void selfAttention(Map<String, Tensor> t, String o, String c, int d) {
        norm(t, o + "attn_ln", c + "self_attention/layer_norm");
        Tensor qkv = tensor(o + "attn.qkv", c + "self_attention/linear_0/weight");
        Tensor qkvBias = tensor(o + "attn.qkv.bias", c + "self_attention/linear_0/bias");
        if (qkv.rank() != 2 || qkv.dim(0) != 3 * d) {
            throw new AuricleException(file + ": " + c + "self_attention/linear_0/weight should have " + 3 * d + " rows");
        }
        t.put(o + "attn.query.weight", rows(qkv, o + "attn.query.weight", 0, d));
        t.put(o + "attn.query.bias", rows(qkvBias, o + "attn.query.bias", 0, d));
        t.put(o + "attn.key.weight", rows(qkv, o + "attn.key.weight", d, 2 * d));
        t.put(o + "attn.value.weight", rows(qkv, o + "attn.value.weight", 2 * d, 3 * d));
        t.put(o + "attn.value.bias", rows(qkvBias, o + "attn.value.bias", 2 * d, 3 * d));
        put(t, o + "attn.out", c + "self_attention/linear_1");
    }

    private void mlp(Map<String, Tensor> t, String o, String c) {
        norm(t, o + "mlp_ln", c + "ffn/layer_norm");
        put(t, o + "mlp.0", c + "ffn/linear_0");
        put(t, o + "mlp.2", c + "ffn/linear_1");
    }

    private void put(Map<String, Tensor> t, String openai, String ct2) {
        t.put(openai + ".weight", tensor(openai + ".weight", ct2 + "/weight"));
        t.put(openai + ".bias", tensor(openai + ".bias", ct2 + "/bias"));
    }

    private void norm(Map<String, Tensor> t, String openai, String ct2) {
        t.put(openai + ".weight", tensor(openai + ".weight", ct2 + "/gamma"));
        t.put(openai + ".bias", tensor(openai + ".bias", ct2 + "/beta"));
    }

    /** Rows [from, to) of a matrix, or elements [from, to) of a vector: a slice of the same memory. */
    private Tensor rows(Tensor t, String name, int from, int to) {
        if (t.dim(0) < to) throw new AuricleException(file + ": " + t.name() + " has " + t.dim(0) + " rows, need " + to);
        int[] shape = t.shape().clone();
        shape[0] = to - from;
        long rowElements = t.numel() / t.dim(0);
        long rowBytes = t.type().byteSize(rowElements);
        MemorySegment data = t.data().asSlice(from * rowBytes, (to - from) * rowBytes);
        MemorySegment scales = t.scales() == null ? null : t.scales().asSlice(from * 4L, (to - from) * 4L);
        return new Tensor(name, t.type(), shape, data, scales);
    }

    /** The CT2 variable as a Tensor named {@code openai}: f32/f16/bf16 as views, int8 with its row scales. */
    private Tensor tensor(String openai, String ct2) {
        Variable v = variable(ct2);
        return switch (v.dtype) {
            case 0 -> Tensor.of(openai, DType.F32, v.shape, v.data);
            case 4 -> Tensor.of(openai, DType.F16, v.shape, v.data);
            case 5 -> Tensor.of(openai, DType.BF16, v.shape, v.data);
            case 1 -> int8(openai, v, scales(resolve(ct2) + "_scale", v));
            case 2 -> int16(openai, v, scalarScale(resolve(ct2) + "_scale"));
            default -> throw new AuricleException(file + ": " + ct2 + " has type " + typeName(v.dtype)
                    + ", not a weight type");
        };
    }

    private Tensor int8(String openai, Variable v, MemorySegment scales) {
        if (v.shape.length == 2) return new Tensor(openai, DType.I8_ROW_SCALED, v.shape, v.data, scales);
        // Conv weights [out, in, k] carry one scale per output channel, which is not the per-last-dim row a
        // Tensor's scales index; they are small, so widen them to float32 once.
        int rows = v.shape[0];
        long perRow = v.data.byteSize() / Math.max(rows, 1);
        float[] out = new float[(int) v.data.byteSize()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.data.get(ValueLayout.JAVA_BYTE, i) / scales.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i / perRow);
        }
        return Tensor.ofFloats(openai, v.shape, out);
    }

    /** int16 weights (CT2 "int16" quantization) have one scale for the tensor; widen them to float32. */
    private Tensor int16(String openai, Variable v, float scale) {
        float[] out = new float[(int) (v.data.byteSize() / 2)];
        for (int i = 0; i < out.length; i++) out[i] = v.data.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i) / scale;
        return Tensor.ofFloats(openai, v.shape, out);
    }

    /** Row scales of an int8 weight, as a float32 segment (copied to the heap only when stored as f16/bf16). */
    private MemorySegment scales(String name, Variable weight) {
        Variable s = variable(name);
        if (s.shape.length != 1 || s.shape[0] != weight.shape[0]) {
            throw new AuricleException(file + ": " + name + " should hold one scale per row of " + weight.name);
        }
        if (s.dtype == 0) return s.data;
        float[] f = new float[s.shape[0]];
        for (int i = 0; i < f.length; i++) f[i] = floatAt(s, i);
        return MemorySegment.ofArray(f);
    }

    private float scalarScale(String name) {
        Variable s = variable(name);
        if (s.data.byteSize() == 0) throw new AuricleException(file + ": " + name + " is empty");
        return floatAt(s, 0);
    }

    private float floatAt(Variable v, long i) {
        return switch (v.dtype) {
            case 0 -> v.data.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
            case 4 -> Float.float16ToFloat(v.data.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i));
            case 5 -> Float.intBitsToFloat(v.data.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i) << 16);
            default -> throw new AuricleException(file + ": " + v.name + " is not a float");
        };
    }

    private int intScalar(String name) {
        Variable v = variable(name);
        if (v.data.byteSize() == 0) throw new AuricleException(file + ": " + name + " is empty");
        return switch (v.dtype) {
            case 1 -> v.data.get(ValueLayout.JAVA_BYTE, 0);
            case 2 -> v.data.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0);
            case 3 -> v.data.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            default -> (int) floatAt(v, 0);
        };
    }

    private void checkScalar(String name, int expected, String what) {
        if (!variables.containsKey(resolve(name))) return;
        int value = intScalar(name);
        if (value != expected) throw new AuricleException(file + ": " + what + " is " + value + ", Whisper uses " + expected);
    }

    private String resolve(String name) {
        String n = name;
        for (int hops = 0; aliases.containsKey(n); hops++) {
            if (hops > 16) throw new AuricleException(file + ": alias loop at " + name);
            n = aliases.get(n);
        }
        return n;
    }

    private Variable variable(String name) {
        Variable v = variables.get(resolve(name));
        if (v == null) throw new AuricleException(file + ": missing variable " + name);
        return v;
    }

    private void requireRank(Variable v, int rank) {
        if (v.shape.length != rank) throw new AuricleException(file + ": " + v.name + " should have rank " + rank);
    }

    private static String typeName(int dtype) {
        return List.of("float32", "int8", "int16", "int32", "float16", "bfloat16").get(dtype);
    }

    private record Config(int[][] alignmentHeads, int[] suppress, int[] suppressBegin) {}

    private Config config(String source) {
        Path path = dir.resolve("config.json");
        if (!Files.isRegularFile(path)) return new Config(null, new int[0], new int[0]);
        JsonNode root = Json.read(path);
        return new Config(Json.pairs(path, root.get("alignment_heads"), "alignment_heads"),
                Json.ints(path, root.get("suppress_ids"), "suppress_ids"),
                Json.ints(path, root.get("suppress_ids_begin"), "suppress_ids_begin"));
    }
}
