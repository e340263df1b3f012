package io.auricle.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.tensor.DType;
import io.auricle.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stop-gap CTranslate2 reader for this package's tests until the weights engineer's CheckpointLoader lands
 * on main: float32/float16 tiny.en only, fused tensors split into the canonical OpenAI names.
 */
public final class Ct2TestLoader {
    public static final Path TINY_EN = Path.of(System.getProperty("user.home"), ".cache/auricle/models/tiny.en");
    private static Checkpoint tinyEn;

    private Ct2TestLoader() {}

    /** tiny.en, loaded once per test JVM. */
    public static synchronized Checkpoint tinyEn() throws IOException {
        if (tinyEn == null) tinyEn = load(TINY_EN);
        return tinyEn;
    }

    public static Checkpoint load(Path dir) throws IOException {
        MemorySegment file;
        try (FileChannel ch = FileChannel.open(dir.resolve("model.bin"))) {
            file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.global());
        }
        long[] pos = {0};
        int version = readInt(file, pos);
        if (version < 5) throw new IOException("unsupported CT2 version " + version);
        readString(file, pos);
        readInt(file, pos);
        int count = readInt(file, pos);
        Map<String, Tensor> raw = new HashMap<>();
        Map<String, Integer> scalars = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String name = readString(file, pos);
            int rank = file.get(ValueLayout.JAVA_BYTE, pos[0]++);
            int[] shape = new int[rank];
            for (int r = 0; r < rank; r++) shape[r] = readInt(file, pos);
            int dtype = file.get(ValueLayout.JAVA_BYTE, pos[0]++);
            int bytes = readInt(file, pos);
            MemorySegment data = file.asSlice(pos[0], bytes);
            pos[0] += bytes;
            switch (dtype) {
                case 0 -> raw.put(name, Tensor.of(name, DType.F32, shape, data));
                case 4 -> raw.put(name, Tensor.of(name, DType.F16, shape, data));
                case 1 -> scalars.put(name, (int) data.get(ValueLayout.JAVA_BYTE, 0));
                case 2 -> scalars.put(name, (int) data.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0));
                case 3 -> scalars.put(name, data.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
                default -> throw new IOException("unsupported dtype " + dtype + " for " + name);
            }
        }
        int aliases = readInt(file, pos);
        for (int i = 0; i < aliases; i++) {
            String alias = readString(file, pos), target = readString(file, pos);
            if (raw.containsKey(target)) raw.put(alias, raw.get(target));
        }

        Map<String, Tensor> tensors = new HashMap<>();
        Pattern layer = Pattern.compile("(encoder|decoder)/layer_(\\d+)/(.*)");
        for (var e : raw.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            String leaf = name.substring(name.lastIndexOf('/') + 1);
            String suffix = switch (leaf) {
                case "gamma", "weight" -> "weight";
                case "beta", "bias" -> "bias";
                case "encodings" -> "";
                default -> null;
            };
            if (suffix == null) continue;
            Matcher m = layer.matcher(name);
            if (m.matches()) {
                String block = m.group(1) + ".blocks." + m.group(2) + ".";
                String path = m.group(3).substring(0, m.group(3).lastIndexOf('/'));
                switch (path) {
                    case "self_attention/layer_norm" -> put(tensors, block + "attn_ln." + suffix, t);
                    case "self_attention/linear_0" -> split(tensors, t, block + "attn.", suffix, "query", "key", "value");
                    case "self_attention/linear_1" -> put(tensors, block + "attn.out." + suffix, t);
                    case "attention/layer_norm" -> put(tensors, block + "cross_attn_ln." + suffix, t);
                    case "attention/linear_0" -> put(tensors, block + "cross_attn.query." + suffix, t);
                    case "attention/linear_1" -> split(tensors, t, block + "cross_attn.", suffix, "key", "value");
                    case "attention/linear_2" -> put(tensors, block + "cross_attn.out." + suffix, t);
                    case "ffn/layer_norm" -> put(tensors, block + "mlp_ln." + suffix, t);
                    case "ffn/linear_0" -> put(tensors, block + "mlp.0." + suffix, t);
                    case "ffn/linear_1" -> put(tensors, block + "mlp.2." + suffix, t);
                    default -> throw new IOException("unmapped " + name);
                }
            } else {
                switch (name) {
                    case "encoder/conv1/weight", "encoder/conv1/bias", "encoder/conv2/weight", "encoder/conv2/bias" ->
                            put(tensors, name.replace('/', '.'), t);
                    case "encoder/position_encodings/encodings" -> put(tensors, "encoder.positional_embedding", t);
                    case "decoder/position_encodings/encodings" -> put(tensors, "decoder.positional_embedding", t);
                    case "encoder/layer_norm/gamma", "encoder/layer_norm/beta" -> put(tensors, "encoder.ln_post." + suffix, t);
                    case "decoder/layer_norm/gamma", "decoder/layer_norm/beta" -> put(tensors, "decoder.ln." + suffix, t);
                    case "decoder/embeddings/weight" -> put(tensors, "decoder.token_embedding.weight", t);
                    default -> { }
                }
            }
        }
        // CT2 stores a zero key bias inside the fused QKV bias; the canonical checkpoint has none.
        tensors.keySet().removeIf(k -> k.endsWith(".key.bias"));

        Tensor conv1 = tensors.get("encoder.conv1.weight");
        Tensor emb = tensors.get("decoder.token_embedding.weight");
        int nAudioLayer = (int) tensors.keySet().stream().filter(k -> k.matches("encoder\\.blocks\\.\\d+\\.attn_ln\\.weight")).count();
        int nTextLayer = (int) tensors.keySet().stream().filter(k -> k.matches("decoder\\.blocks\\.\\d+\\.attn_ln\\.weight")).count();
        ModelDimensions dims = new ModelDimensions(conv1.dim(1), tensors.get("encoder.positional_embedding").dim(0),
                conv1.dim(0), scalars.get("encoder/num_heads"), nAudioLayer, emb.dim(0),
                tensors.get("decoder.positional_embedding").dim(0), emb.dim(1), scalars.get("decoder/num_heads"), nTextLayer);

        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        List<String> lines = Files.readAllLines(dir.resolve("vocabulary.txt"), StandardCharsets.UTF_8);
        int eot = lines.indexOf("<|endoftext|>");
        List<byte[]> vocabulary = new ArrayList<>();
        int[] byteOf = gpt2ByteDecoder();
        for (int i = 0; i < eot; i++) {
            String s = lines.get(i);
            byte[] b = new byte[s.length()];
            for (int c = 0; c < s.length(); c++) b[c] = (byte) byteOf[s.charAt(c)];
            vocabulary.add(b);
        }
        int[][] heads = new int[config.get("alignment_heads").size()][];
        for (int i = 0; i < heads.length; i++) {
            JsonNode h = config.get("alignment_heads").get(i);
            heads[i] = new int[] {h.get(0).asInt(), h.get(1).asInt()};
        }
        return new Checkpoint(dims, tensors, vocabulary, heads, ints(config.get("suppress_ids")),
                ints(config.get("suppress_ids_begin")), dir + " (CTranslate2, test reader)");
    }

    private static void put(Map<String, Tensor> tensors, String name, Tensor t) {
        tensors.put(name, Tensor.of(name, t.type(), t.shape(), t.data()));
    }

    /** Splits a fused {@code [parts·d, ...]} tensor along its first dimension. */
    private static void split(Map<String, Tensor> tensors, Tensor t, String prefix, String suffix, String... parts) {
        int rows = t.dim(0) / parts.length;
        long bytes = t.data().byteSize() / parts.length;
        int[] shape = t.shape().clone();
        shape[0] = rows;
        for (int p = 0; p < parts.length; p++) {
            String name = prefix + parts[p] + "." + suffix;
            tensors.put(name, Tensor.of(name, t.type(), shape, t.data().asSlice(p * bytes, bytes)));
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    /** The inverse of GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to 256+. */
    private static int[] gpt2ByteDecoder() {
        int[] out = new int[512];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out[printable ? b : 256 + n++] = b;
        }
        return out;
    }

    private static int readInt(MemorySegment s, long[] pos) {
        int v = s.get(ValueLayout.JAVA_INT_UNALIGNED, pos[0]);
        pos[0] += 4;
        return v;
    }

    private static String readString(MemorySegment s, long[] pos) {
        int len = Short.toUnsignedInt(s.get(ValueLayout.JAVA_SHORT_UNALIGNED, pos[0]));
        byte[] b = s.asSlice(pos[0] + 2, len - 1).toArray(ValueLayout.JAVA_BYTE);
        pos[0] += 2 + len;
        return new String(b, StandardCharsets.UTF_8);
    }
}
