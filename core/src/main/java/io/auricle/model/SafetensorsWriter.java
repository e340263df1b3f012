package io.auricle.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auricle.AuricleException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a checkpoint as a Hugging Face Whisper directory: model.safetensors under transformers' names (one
 * dtype for all tensors), config.json, generation_config.json (alignment heads, suppress lists) and vocab.json
 * (the regular tokens and {@code <|endoftext|>}, byte-level spelled), preprocessor_config.json (the feature
 * extractor), and the source's tokenizer.json when it has one. No merges are derived: without a tokenizer.json the
 * directory is complete for Auricle, but a transformers tokenizer would need the model's original tokenizer files.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {}

    public static void write(Checkpoint c, Path dir, DType type) {
        write(c, dir, type, null);
    }

    /** As {@link #write(Checkpoint, Path, DType)}, copying {@code tokenizerFrom}/tokenizer.json along if present. */
    public static void write(Checkpoint c, Path dir, DType type, Path tokenizerFrom) {
        if (type != DType.F32 && type != DType.F16 && type != DType.BF16) {
            throw new AuricleException("safetensors output is f32, f16 or bf16, not " + type.name().toLowerCase());
        }
        try {
            Files.createDirectories(dir);
            writeTensors(c, dir.resolve(SafetensorsReader.SINGLE), type);
            writeJson(c, dir);
            Ct2Writer.copyTokenizer(tokenizerFrom, dir);
        } catch (IOException e) {
            throw new AuricleException(dir + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static void writeTensors(Checkpoint c, Path file, DType type) throws IOException {
        Map<String, int[]> expected = CanonicalTensors.expected(c.dims());
        ObjectNode header = Json.MAPPER.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (String name : expected.keySet()) {
            Tensor t = c.tensor(name);
            String hf = hfName(name);
            long size = type.byteSize(t.numel());
            ObjectNode entry = header.putObject(hf);
            entry.put("dtype", type == DType.F32 ? "F32" : type == DType.F16 ? "F16" : "BF16");
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            entry.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
            ordered.put(hf, t);
        }
        byte[] json = Json.MAPPER.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // the reference writer pads the header with spaces to 8 bytes
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(json);
            for (int i = json.length; i < padded; i++) out.write(' ');
            for (Tensor t : ordered.values()) writeData(out, t, type);
        }
    }

    private static void writeData(OutputStream out, Tensor t, DType type) throws IOException {
        int cols = t.cols();
        MemorySegment row = MemorySegment.ofArray(new byte[(int) type.byteSize(cols)]);
        byte[] bytes = (byte[]) row.heapBase().orElseThrow();
        for (long r = 0, rows = t.numel() / cols; r < rows; r++) {
            long base = r * cols;
            if (t.type() == type) {
                MemorySegment.copy(t.data(), type.byteSize(base), row, 0, row.byteSize());
            } else {
                for (int j = 0; j < cols; j++) {
                    float v = t.get(base + j);
                    switch (type) {
                        case F32 -> row.set(ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * j, v);
                        case F16 -> row.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * j, Float.floatToFloat16(v));
                        default -> row.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * j, bf16(v));
                    }
                }
            }
            out.write(bytes);
        }
    }

    /** float32 to bfloat16, rounding to nearest even (as torch does). */
    private static short bf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return (short) ((bits >>> 16) | 0x40);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    private static void writeJson(Checkpoint c, Path dir) throws IOException {
        ModelDimensions d = c.dims();
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.putArray("architectures").add("WhisperForConditionalGeneration");
        config.put("model_type", "whisper").put("vocab_size", d.nVocab()).put("num_mel_bins", d.nMels())
                .put("d_model", d.nAudioState()).put("encoder_layers", d.nAudioLayer())
                .put("encoder_attention_heads", d.nAudioHead()).put("decoder_layers", d.nTextLayer())
                .put("decoder_attention_heads", d.nTextHead()).put("encoder_ffn_dim", 4 * d.nAudioState())
                .put("decoder_ffn_dim", 4 * d.nTextState()).put("max_source_positions", d.nAudioCtx())
                .put("max_target_positions", d.nTextCtx()).put("scale_embedding", false)
                .put("activation_function", "gelu").put("tie_word_embeddings", true);
        int eot = c.vocabulary().size(), sot = eot + 1;
        int noTimestamps = sot + d.numLanguages() + 6;
        config.put("bos_token_id", eot).put("eos_token_id", eot).put("pad_token_id", eot)
                .put("decoder_start_token_id", sot).put("max_length", d.nTextCtx());
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);

        ObjectNode generation = Json.MAPPER.createObjectNode();
        ArrayNode heads = generation.putArray("alignment_heads");
        for (int[] h : c.alignmentHeads()) heads.addArray().add(h[0]).add(h[1]);
        ArrayNode suppress = generation.putArray("suppress_tokens");
        for (int t : c.suppressTokens()) suppress.add(t);
        ArrayNode begin = generation.putArray("begin_suppress_tokens");
        for (int t : c.beginSuppressTokens()) begin.add(t);
        generation.put("is_multilingual", d.isMultilingual());
        generation.put("bos_token_id", eot).put("eos_token_id", eot).put("pad_token_id", eot)
                .put("decoder_start_token_id", sot).put("no_timestamps_token_id", noTimestamps)
                .put("max_initial_timestamp_index", 50).put("max_length", d.nTextCtx());
        if (d.isMultilingual()) {
            ObjectNode languages = generation.putObject("lang_to_id");
            List<String> specials = io.auricle.tokenizer.Tokenizer.specialTokenNames(d.numLanguages());
            for (int i = 0; i < d.numLanguages(); i++) languages.put(specials.get(2 + i), sot + 1 + i);
            generation.putObject("task_to_id").put("translate", sot + 1 + d.numLanguages())
                    .put("transcribe", sot + 2 + d.numLanguages());
        }
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("generation_config.json").toFile(), generation);

        // transformers' WhisperFeatureExtractor, at Whisper's fixed front end (it computes the mel filters itself)
        ObjectNode features = Json.MAPPER.createObjectNode();
        features.put("feature_extractor_type", "WhisperFeatureExtractor").put("processor_class", "WhisperProcessor")
                .put("feature_size", d.nMels()).put("sampling_rate", 16000).put("hop_length", 160).put("n_fft", 400)
                .put("chunk_length", 30).put("n_samples", 480000).put("nb_max_frames", 3000)
                .put("padding_side", "right").put("padding_value", 0.0).put("return_attention_mask", false);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("preprocessor_config.json").toFile(), features);

        ObjectNode vocab = Json.MAPPER.createObjectNode();
        List<byte[]> tokens = c.vocabulary();
        for (int i = 0; i < tokens.size(); i++) vocab.put(ByteLevel.encode(tokens.get(i)), i);
        vocab.put("<|endoftext|>", tokens.size());
        Files.writeString(dir.resolve("vocab.json"), Json.MAPPER.writeValueAsString(vocab), StandardCharsets.UTF_8);
    }

    /** openai-whisper's name to transformers' (convert_openai_to_hf.py's WHISPER_MAPPING). */
    static String hfName(String openai) {
        String n = openai
                .replace("encoder.positional_embedding", "encoder.embed_positions.weight")
                .replace("decoder.positional_embedding", "decoder.embed_positions.weight")
                .replace("decoder.token_embedding", "decoder.embed_tokens")
                .replace("encoder.ln_post", "encoder.layer_norm")
                .replace(".blocks.", ".layers.")
                .replace(".cross_attn_ln", ".encoder_attn_layer_norm")
                .replace(".cross_attn.query", ".encoder_attn.q_proj").replace(".cross_attn.key", ".encoder_attn.k_proj")
                .replace(".cross_attn.value", ".encoder_attn.v_proj").replace(".cross_attn.out", ".encoder_attn.out_proj")
                .replace(".attn_ln", ".self_attn_layer_norm")
                .replace(".attn.query", ".self_attn.q_proj").replace(".attn.key", ".self_attn.k_proj")
                .replace(".attn.value", ".self_attn.v_proj").replace(".attn.out", ".self_attn.out_proj")
                .replace(".mlp_ln", ".final_layer_norm").replace(".mlp.0", ".fc1").replace(".mlp.2", ".fc2");
        if (n.startsWith("decoder.ln.")) n = "decoder.layer_norm." + n.substring("decoder.ln.".length());
        return "model." + n;
    }
}
