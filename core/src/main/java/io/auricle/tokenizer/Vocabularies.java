package io.auricle.tokenizer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.AuricleException;
import io.auricle.model.ByteLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Readers for the vocabulary files Whisper checkpoints ship, giving the regular tokens as raw bytes in rank
 * order (special tokens are left out: {@link Tokenizer} derives them from n_vocab). Hugging Face and
 * CTranslate2 spell tokens with GPT-2's byte-to-unicode map; openai's {@code .tiktoken} assets use base64.
 */
public final class Vocabularies {
    private Vocabularies() {}

    /** The regular vocabulary and the model's n_vocab, as read from a model directory. */
    public record Vocabulary(List<byte[]> regular, int nVocab) {}

    private static final String END_OF_TEXT = "<|endoftext|>";
    /** The raw bytes of a token spelled with GPT-2's byte-to-unicode map, e.g. "Ġthe" → " the". */
    public static byte[] fromByteLevel(String spelled) {
        byte[] bytes = ByteLevel.decode(spelled);
        if (bytes == null) throw new IllegalArgumentException("not a byte-level token: " + spelled);
        return bytes;
    }

    /**
     * Reads a CTranslate2 ({@code vocabulary.json} or {@code vocabulary.txt}, which list every id) or Hugging
     * Face ({@code tokenizer.json} or {@code vocab.json}, with {@code config.json}'s vocab_size) model directory.
     */
    public static Vocabulary readDirectory(Path dir) {
        Path full = fullList(dir);
        if (full != null) return fromFullList(full);
        List<byte[]> regular = readRegular(dir);
        Path config = dir.resolve("config.json");
        JsonNode vocabSize = Files.isRegularFile(config) ? readJson(config).get("vocab_size") : null;
        if (vocabSize == null || !vocabSize.canConvertToInt()) {
            throw new AuricleException(config + ": no vocab_size, so n_vocab is unknown");
        }
        return new Vocabulary(regular, vocabSize.asInt());
    }

    /**
     * The regular tokens of a model directory, for a reader that knows n_vocab from the weights: the first of
     * vocabulary.json, vocabulary.txt (CTranslate2), tokenizer.json, vocab.json (Hugging Face) that is present.
     */
    public static List<byte[]> readRegular(Path dir) {
        Path full = fullList(dir);
        if (full != null) return fromFullList(full).regular();
        Path tokenizer = dir.resolve("tokenizer.json"), vocab = dir.resolve("vocab.json");
        if (Files.isRegularFile(tokenizer)) return readTokenizerJson(tokenizer);
        if (Files.isRegularFile(vocab)) return readVocabJson(vocab);
        throw new AuricleException(dir + ": no vocabulary file (expected one of vocabulary.json, vocabulary.txt,"
                + " tokenizer.json, vocab.json)");
    }

    private static Path fullList(Path dir) {
        for (String name : List.of("vocabulary.json", "vocabulary.txt")) {
            if (Files.isRegularFile(dir.resolve(name))) return dir.resolve(name);
        }
        return null;
    }

    /** A Hugging Face {@code vocab.json} (token to id): the ids below {@code <|endoftext|>}. */
    public static List<byte[]> readVocabJson(Path file) {
        JsonNode root = readJson(file);
        if (!root.isObject()) throw new AuricleException(file + ": expected a JSON object of token ids");
        Map<String, Integer> vocab = new HashMap<>();
        root.properties().forEach(e -> vocab.put(e.getKey(), e.getValue().asInt(-1)));
        return byRank(file, vocab, vocab.getOrDefault(END_OF_TEXT, -1));
    }

    /**
     * The regular tokens of a Hugging Face {@code tokenizer.json}: model.vocab ids below {@code <|endoftext|>}.
     * Streamed, skipping the merges, which are most of the file and which rank-based BPE does not need.
     */
    public static List<byte[]> readTokenizerJson(Path file) {
        Map<String, Integer> vocab = new HashMap<>();
        int eot = -1;
        try (JsonParser parser = new ObjectMapper().createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) throw new AuricleException(file + ": not a JSON object");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("added_tokens")) {
                    for (JsonNode added : parser.<JsonNode>readValueAsTree()) {
                        if (END_OF_TEXT.equals(added.path("content").asText())) eot = added.path("id").asInt();
                    }
                } else if (field.equals("model") && parser.currentToken() == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String modelField = parser.currentName();
                        if (parser.nextToken() == JsonToken.START_OBJECT && modelField.equals("vocab")) {
                            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                                String token = parser.currentName();
                                parser.nextToken();
                                vocab.put(token, parser.getValueAsInt(-1));
                            }
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new AuricleException(file + ": cannot read JSON: " + e.getMessage(), e);
        }
        if (vocab.isEmpty()) throw new AuricleException(file + ": no model.vocab");
        return byRank(file, vocab, eot >= 0 ? eot : vocab.getOrDefault(END_OF_TEXT, -1));
    }

    /** Tokens with ids 0 … eot-1 from a token-to-id map, each id present once. */
    private static List<byte[]> byRank(Path file, Map<String, Integer> vocab, int eot) {
        if (eot <= 0 || eot > vocab.size()) throw new AuricleException(file + ": no " + END_OF_TEXT + " token");
        byte[][] regular = new byte[eot][];
        for (Map.Entry<String, Integer> entry : vocab.entrySet()) {
            int id = entry.getValue();
            if (id < 0 || id >= eot) continue;
            if (regular[id] != null) throw new AuricleException(file + ": id " + id + " is used twice");
            regular[id] = spelled(file, entry.getKey());
        }
        for (int id = 0; id < eot; id++) {
            if (regular[id] == null) throw new AuricleException(file + ": no token with id " + id);
        }
        return List.of(regular);
    }

    /** An openai/whisper {@code .tiktoken} asset: one "base64-token rank" line per token, ranks 0, 1, 2, … */
    public static List<byte[]> readTiktoken(Path file) {
        List<byte[]> tokens = new ArrayList<>();
        for (String line : readLines(file)) {
            if (line.isBlank()) continue;
            String[] fields = line.trim().split(" ");
            try {
                if (fields.length != 2 || Integer.parseInt(fields[1]) != tokens.size()) {
                    throw new AuricleException(file + ": line " + (tokens.size() + 1) + " is not 'token rank'");
                }
                // the empty token is spelled "=", which Python's decoder takes and Java's needs unpadded
                tokens.add(Base64.getDecoder().decode(fields[0].replace("=", "")));
            } catch (IllegalArgumentException e) {
                throw new AuricleException(file + ": bad line " + (tokens.size() + 1) + ": " + e.getMessage());
            }
        }
        return tokens;
    }

    private static Vocabulary fromFullList(Path file) {
        Iterable<?> entries = file.getFileName().toString().endsWith(".json") ? readJson(file) : readLines(file);
        if (entries instanceof JsonNode node && !node.isArray()) throw new AuricleException(file + ": expected a JSON list of tokens");
        List<byte[]> regular = new ArrayList<>();
        int count = 0;
        boolean special = false;
        for (Object entry : entries) {
            String token = entry instanceof JsonNode node ? node.asText() : (String) entry;
            if (token.equals(END_OF_TEXT)) special = true;
            if (!special) regular.add(spelled(file, token));
            count++;
        }
        if (!special) throw new AuricleException(file + ": no " + END_OF_TEXT + " token");
        return new Vocabulary(regular, count);
    }

    private static byte[] spelled(Path file, String token) {
        try {
            return fromByteLevel(token);
        } catch (IllegalArgumentException e) {
            throw new AuricleException(file + ": " + e.getMessage());
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new AuricleException(file + ": cannot read JSON: " + e.getMessage(), e);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AuricleException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
