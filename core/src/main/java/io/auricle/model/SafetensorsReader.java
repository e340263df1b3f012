package io.auricle.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.auricle.AuricleException;
import io.auricle.tensor.DType;
import io.auricle.tensor.Tensor;
import io.auricle.tokenizer.Vocabularies;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Hugging Face Whisper checkpoint: model.safetensors (or shards listed by model.safetensors.index.json),
 * config.json for the hyperparameters, generation_config.json for alignment heads and suppress lists, and
 * tokenizer.json or vocab.json. Each shard is mapped once; tensors are slices. HF names are mapped back to
 * openai-whisper's (transformers' convert_openai_to_hf.py mapping, reversed); the tied proj_out is ignored.
 */
public final class SafetensorsReader {
    static final String SINGLE = "model.safetensors";
    static final String INDEX = "model.safetensors.index.json";
    private static final long MAX_HEADER = 100_000_000; // the reference reader's cap
    private static final Pattern LAYER = Pattern.compile("(encoder|decoder)\\.layers\\.(\\d+)\\.(.+)");
    private static final Map<String, String> LAYER_PARTS = Map.ofEntries(
            Map.entry("self_attn.q_proj", "attn.query"), Map.entry("self_attn.k_proj", "attn.key"),
            Map.entry("self_attn.v_proj", "attn.value"), Map.entry("self_attn.out_proj", "attn.out"),
            Map.entry("self_attn_layer_norm", "attn_ln"), Map.entry("encoder_attn.q_proj", "cross_attn.query"),
            Map.entry("encoder_attn.k_proj", "cross_attn.key"), Map.entry("encoder_attn.v_proj", "cross_attn.value"),
            Map.entry("encoder_attn.out_proj", "cross_attn.out"), Map.entry("encoder_attn_layer_norm", "cross_attn_ln"),
            Map.entry("fc1", "mlp.0"), Map.entry("fc2", "mlp.2"), Map.entry("final_layer_norm", "mlp_ln"));
    private static final Map<String, String> TOP = Map.of(
            "encoder.embed_positions.weight", "encoder.positional_embedding",
            "decoder.embed_positions.weight", "decoder.positional_embedding",
            "decoder.embed_tokens.weight", "decoder.token_embedding.weight",
            "encoder.layer_norm.weight", "encoder.ln_post.weight", "encoder.layer_norm.bias", "encoder.ln_post.bias",
            "decoder.layer_norm.weight", "decoder.ln.weight", "decoder.layer_norm.bias", "decoder.ln.bias");

    private SafetensorsReader() {}

    /** A directory, or one .safetensors file whose directory holds the JSON files. */
    public static Checkpoint read(Path path) {
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        List<Path> shards = shards(path);
        Map<String, Tensor> hf = new LinkedHashMap<>();
        String dtypes = "";
        for (Path shard : shards) {
            for (Tensor t : readFile(shard).values()) {
                if (hf.put(t.name(), t) != null) throw new AuricleException(shard + ": tensor " + t.name() + " is in two shards");
                if (!dtypes.contains(t.type().name())) dtypes += (dtypes.isEmpty() ? "" : "+") + t.type().name();
            }
        }
        String source = path + " (safetensors " + dtypes.toLowerCase() + ")";
        ModelDimensions dims = dimensions(dir.resolve("config.json"));
        CanonicalTensors.checkDims(dims, source);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Tensor t : hf.values()) {
            String name = openaiName(t.name());
            if (name == null) continue; // proj_out (tied to the token embedding) and anything not Whisper's
            tensors.put(name, new Tensor(name, t.type(), t.shape(), t.data(), t.scales()));
        }
        CanonicalTensors.check(tensors, dims, source);

        Path generation = dir.resolve("generation_config.json");
        int[][] heads = null;
        int[] suppress = new int[0], begin = new int[0];
        if (Files.isRegularFile(generation)) {
            JsonNode g = Json.read(generation);
            heads = Json.pairs(generation, g.get("alignment_heads"), "alignment_heads");
            suppress = Json.ints(generation, g.get("suppress_tokens"), "suppress_tokens");
            begin = Json.ints(generation, g.get("begin_suppress_tokens"), "begin_suppress_tokens");
        }
        if (heads == null) heads = AlignmentHeads.forCheckpoint(dims, dir.getFileName() + "");
        AlignmentHeads.check(heads, dims, source);
        List<byte[]> vocabulary = CheckpointLoader.checkVocabulary(Vocabularies.readRegular(dir), dims, source);
        return new Checkpoint(dims, tensors, vocabulary, heads, suppress, begin, source);
    }

    private static List<Path> shards(Path path) {
        if (!Files.isDirectory(path)) return List.of(path);
        if (Files.isRegularFile(path.resolve(SINGLE))) return List.of(path.resolve(SINGLE));
        Path index = path.resolve(INDEX);
        if (!Files.isRegularFile(index)) throw new AuricleException(path + ": no " + SINGLE + " or " + INDEX);
        JsonNode map = Json.read(index).path("weight_map");
        if (!map.isObject() || map.isEmpty()) throw new AuricleException(index + ": no weight_map");
        Set<Path> files = new LinkedHashSet<>();
        for (JsonNode file : map) {
            Path shard = path.resolve(file.asText()).normalize();
            if (!shard.startsWith(path.normalize())) throw new AuricleException(index + ": shard outside the directory: " + file);
            files.add(shard);
        }
        return List.copyOf(files);
    }

    /** One safetensors file: u64 header length, JSON header, then the byte buffer the offsets point into. */
    static Map<String, Tensor> readFile(Path file) {
        MemorySegment bytes = MappedFile.map(file);
        BinaryCursor in = new BinaryCursor(bytes, file.toString());
        long headerLength = in.i64("header length");
        if (headerLength < 2 || headerLength > MAX_HEADER) {
            throw in.error("not a safetensors file (header length " + headerLength + ")");
        }
        JsonNode header;
        try {
            header = Json.MAPPER.readTree(new String(in.bytes((int) headerLength, "header"), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw in.error("not a safetensors file (header is not JSON)");
        }
        if (!header.isObject()) throw in.error("not a safetensors file (header is not a JSON object)");
        MemorySegment buffer = bytes.asSlice(in.position());
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : header.properties()) {
            if (e.getKey().equals("__metadata__")) continue;
            out.put(e.getKey(), tensor(in, e.getKey(), e.getValue(), buffer));
        }
        return out;
    }

    private static Tensor tensor(BinaryCursor in, String name, JsonNode entry, MemorySegment buffer) {
        String dtype = entry.path("dtype").asText();
        DType type = switch (dtype) {
            case "F32" -> DType.F32;
            case "F16" -> DType.F16;
            case "BF16" -> DType.BF16;
            default -> throw in.error(name + " has dtype " + dtype + "; Auricle reads F32, F16 and BF16");
        };
        JsonNode shapeNode = entry.path("shape"), offsets = entry.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) throw in.error(name + ": malformed header entry");
        int[] shape = new int[shapeNode.size()];
        long numel = 1;
        for (int k = 0; k < shape.length; k++) {
            long d = shapeNode.get(k).asLong(-1);
            if (d < 0 || d > Integer.MAX_VALUE) throw in.error(name + " has an absurd dimension " + shapeNode.get(k));
            shape[k] = (int) d;
            numel *= d;
            if (numel > 1L << 36) throw in.error(name + " has an absurd shape " + shapeNode);
        }
        long begin = offsets.get(0).asLong(-1), end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > buffer.byteSize()) {
            throw in.error(name + " has data offsets [" + begin + ", " + end + "] outside the " + buffer.byteSize()
                    + "-byte data buffer");
        }
        if (end - begin != type.byteSize(numel)) {
            throw in.error(name + " has " + (end - begin) + " bytes for " + numel + " " + dtype + " elements");
        }
        return Tensor.of(name, type, shape, buffer.asSlice(begin, end - begin));
    }

    /** transformers' name to openai-whisper's, or null for tensors a Whisper checkpoint does not need. */
    static String openaiName(String hf) {
        String n = hf.startsWith("model.") ? hf.substring("model.".length()) : hf;
        if (TOP.containsKey(n)) return TOP.get(n);
        if (n.matches("encoder\\.conv[12]\\.(weight|bias)")) return n;
        Matcher m = LAYER.matcher(n);
        if (!m.matches()) return null;
        String rest = m.group(3);
        int dot = rest.lastIndexOf('.');
        String part = LAYER_PARTS.get(rest.substring(0, dot));
        return part == null ? null : m.group(1) + ".blocks." + m.group(2) + "." + part + rest.substring(dot);
    }

    private static ModelDimensions dimensions(Path config) {
        if (!Files.isRegularFile(config)) throw new AuricleException(config + ": missing (needed for the hyperparameters)");
        JsonNode c = Json.read(config);
        Map<String, Integer> v = new HashMap<>();
        for (String key : List.of("num_mel_bins", "max_source_positions", "d_model", "encoder_attention_heads",
                "encoder_layers", "vocab_size", "max_target_positions", "decoder_attention_heads", "decoder_layers")) {
            JsonNode node = c.get(key);
            if (node == null || !node.canConvertToInt()) throw new AuricleException(config + ": no integer " + key);
            v.put(key, node.asInt());
        }
        return new ModelDimensions(v.get("num_mel_bins"), v.get("max_source_positions"), v.get("d_model"),
                v.get("encoder_attention_heads"), v.get("encoder_layers"), v.get("vocab_size"),
                v.get("max_target_positions"), v.get("d_model"), v.get("decoder_attention_heads"), v.get("decoder_layers"));
    }
}
