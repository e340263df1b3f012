package io.auricle.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.auricle.AuricleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the regular vocabulary (the BPE ranks, ids below {@code <|endoftext|>}) as raw bytes in rank order from
 * the token lists that model directories carry: CTranslate2's vocabulary.txt / vocabulary.json (token strings by
 * id), or Hugging Face's tokenizer.json / vocab.json (token to id maps). Special tokens are not returned: the
 * tokenizer derives them from n_vocab.
 */
final class VocabularyFiles {
    static final String END_OF_TEXT = "<|endoftext|>";
    /** In preference order: the lists CTranslate2 itself reads first. */
    private static final List<String> NAMES = List.of("vocabulary.txt", "vocabulary.json", "tokenizer.json", "vocab.json");

    private VocabularyFiles() {}

    /** The first vocabulary file present in {@code dir}, read; an error naming the directory if there is none. */
    static List<byte[]> read(Path dir) {
        for (String name : NAMES) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) return read(file, name);
        }
        throw new AuricleException(dir + ": no vocabulary file (expected one of " + String.join(", ", NAMES) + ")");
    }

    /**
     * The vocabulary for a weights-only file (.pt): openai-whisper's tiktoken file for the model's kind in the
     * same directory, else any of the files {@link #read(Path)} knows.
     */
    static List<byte[]> readBeside(Path weights, ModelDimensions dims) {
        Path dir = weights.toAbsolutePath().getParent();
        Path tiktoken = dir.resolve(dims.isMultilingual() ? "multilingual.tiktoken" : "gpt2.tiktoken");
        if (Files.isRegularFile(tiktoken)) return tiktoken(tiktoken);
        for (String name : NAMES) {
            if (Files.isRegularFile(dir.resolve(name))) return read(dir.resolve(name), name);
        }
        throw new AuricleException(weights + ": a .pt file has no vocabulary; put openai-whisper's " + tiktoken.getFileName()
                + " (or a tokenizer.json) next to it");
    }

    /** openai-whisper's .tiktoken: one "base64(bytes) rank" per line, ranks 0..n-1. */
    static List<byte[]> tiktoken(Path file) {
        try {
            List<byte[]> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (line.isBlank()) continue;
                String[] parts = line.trim().split(" ");
                if (parts.length != 2 || Integer.parseInt(parts[1]) != out.size()) {
                    throw new AuricleException(file + ": line " + (out.size() + 1) + " is not \"base64 rank\" in rank order");
                }
                out.add(java.util.Base64.getDecoder().decode(parts[0]));
            }
            return List.copyOf(out);
        } catch (IOException | IllegalArgumentException e) {
            throw new AuricleException(file + ": not a tiktoken file: " + e.getMessage(), e);
        }
    }

    static List<byte[]> read(Path file, String name) {
        try {
            return switch (name) {
                case "vocabulary.txt" -> regular(file, lines(file));
                case "vocabulary.json" -> regular(file, byIdList(file, Json.read(file)));
                case "tokenizer.json" -> regular(file, tokenizerJson(file));
                case "vocab.json" -> regular(file, byIdMap(file, Json.read(file)));
                default -> throw new IllegalArgumentException(name);
            };
        } catch (IOException e) {
            throw new AuricleException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The tokenizer places the special tokens right after the regular ones and derives them from n_vocab:
     * eot, sot, one per language, six task/control tokens and 1501 timestamps. A vocabulary that does not
     * leave exactly that room would shift every special id, so it is refused here.
     */
    static void check(List<byte[]> vocabulary, ModelDimensions dims, String source) {
        int expected = dims.nVocab() - 1509 - dims.numLanguages();
        if (vocabulary.size() != expected) {
            throw new AuricleException(source + ": the vocabulary has " + vocabulary.size() + " regular tokens but n_vocab "
                    + dims.nVocab() + " implies " + expected);
        }
    }

    private static List<String> lines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> tokens = new ArrayList<>(List.of(text.split("\n", -1)));
        // A final newline ends the last line; it does not start an extra (empty) token.
        if (!tokens.isEmpty() && tokens.getLast().isEmpty()) tokens.removeLast();
        return tokens;
    }

    private static List<String> byIdList(Path file, JsonNode list) {
        if (!list.isArray()) throw new AuricleException(file + ": expected a JSON list of tokens");
        List<String> tokens = new ArrayList<>(list.size());
        for (JsonNode t : list) tokens.add(t.asText());
        return tokens;
    }

    /** HF tokenizer.json: model.vocab holds the BPE ranks, added_tokens the specials (with their ids). */
    private static List<String> tokenizerJson(Path file) {
        JsonNode root = Json.read(file);
        JsonNode vocab = root.path("model").path("vocab");
        if (!vocab.isObject()) throw new AuricleException(file + ": no model.vocab object");
        Map<String, Integer> ids = new HashMap<>();
        vocab.properties().forEach(e -> ids.put(e.getKey(), e.getValue().asInt()));
        for (JsonNode added : root.path("added_tokens")) {
            ids.putIfAbsent(added.path("content").asText(), added.path("id").asInt());
        }
        return byId(file, ids);
    }

    private static List<String> byIdMap(Path file, JsonNode map) {
        if (!map.isObject()) throw new AuricleException(file + ": expected a JSON object of token ids");
        Map<String, Integer> ids = new HashMap<>();
        map.properties().forEach(e -> ids.put(e.getKey(), e.getValue().asInt()));
        return byId(file, ids);
    }

    /** Tokens listed by id up to and including <|endoftext|>; a gap below it is an error. */
    private static List<String> byId(Path file, Map<String, Integer> ids) {
        Integer eot = ids.get(END_OF_TEXT);
        if (eot == null) throw new AuricleException(file + ": no " + END_OF_TEXT + " token");
        if (eot < 0 || eot > 10_000_000) throw new AuricleException(file + ": " + END_OF_TEXT + " has id " + eot);
        String[] byId = new String[eot + 1];
        ids.forEach((token, id) -> {
            if (id >= 0 && id <= eot) {
                if (byId[id] != null) throw new AuricleException(file + ": id " + id + " is used twice");
                byId[id] = token;
            }
        });
        for (int i = 0; i < byId.length; i++) {
            if (byId[i] == null) throw new AuricleException(file + ": no token has id " + i);
        }
        return List.of(byId);
    }

    private static List<byte[]> regular(Path file, List<String> tokens) {
        int eot = tokens.indexOf(END_OF_TEXT);
        if (eot < 0) throw new AuricleException(file + ": no " + END_OF_TEXT + " token");
        List<byte[]> out = new ArrayList<>(eot);
        for (int id = 0; id < eot; id++) {
            byte[] bytes = ByteLevel.decode(tokens.get(id));
            if (bytes == null) {
                throw new AuricleException(file + ": token " + id + " is not in byte-level spelling: " + tokens.get(id));
            }
            out.add(bytes);
        }
        return List.copyOf(out);
    }
}
