package io.auricle.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.AuricleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
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
    private static final char[] UNICODE_TO_BYTE = new char[512];

    static {
        // GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the other bytes take the
        // code points from 256 upward, in byte order.
        java.util.Arrays.fill(UNICODE_TO_BYTE, (char) 0xFFFF);
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            UNICODE_TO_BYTE[printable ? b : 256 + shifted++] = (char) b;
        }
    }

    /** The raw bytes of a token spelled with GPT-2's byte-to-unicode map, e.g. "Ġthe" → " the". */
    public static byte[] fromByteLevel(String spelled) {
        byte[] bytes = new byte[spelled.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = spelled.charAt(i);
            if (c >= UNICODE_TO_BYTE.length || UNICODE_TO_BYTE[c] == 0xFFFF) {
                throw new IllegalArgumentException("not a byte-level token: " + spelled);
            }
            bytes[i] = (byte) UNICODE_TO_BYTE[c];
        }
        return bytes;
    }

    /**
     * Reads a CTranslate2 ({@code vocabulary.json} or {@code vocabulary.txt}, which list every id) or Hugging
     * Face ({@code tokenizer.json} with {@code config.json}'s vocab_size) model directory.
     */
    public static Vocabulary readDirectory(Path dir) {
        Path json = dir.resolve("vocabulary.json"), txt = dir.resolve("vocabulary.txt");
        if (Files.isRegularFile(json)) return fromFullList(json, readJson(json));
        if (Files.isRegularFile(txt)) return fromFullList(txt, readLines(txt));
        Path tokenizer = dir.resolve("tokenizer.json"), config = dir.resolve("config.json");
        if (Files.isRegularFile(tokenizer)) {
            JsonNode vocabSize = Files.isRegularFile(config) ? readJson(config).get("vocab_size") : null;
            if (vocabSize == null || !vocabSize.canConvertToInt()) {
                throw new AuricleException(config + ": no vocab_size, so n_vocab is unknown");
            }
            return new Vocabulary(readTokenizerJson(tokenizer), vocabSize.asInt());
        }
        throw new AuricleException(dir + ": no vocabulary.json, vocabulary.txt or tokenizer.json");
    }

    /** The regular tokens of a Hugging Face {@code tokenizer.json}: model.vocab ids below {@code <|endoftext|>}. */
    public static List<byte[]> readTokenizerJson(Path file) {
        JsonNode root = readJson(file);
        JsonNode vocab = root.path("model").path("vocab");
        if (!vocab.isObject()) throw new AuricleException(file + ": no model.vocab");
        int eot = -1;
        for (JsonNode added : root.path("added_tokens")) {
            if (END_OF_TEXT.equals(added.path("content").asText())) eot = added.path("id").asInt();
        }
        if (eot < 0 && vocab.has(END_OF_TEXT)) eot = vocab.get(END_OF_TEXT).asInt();
        if (eot <= 0) throw new AuricleException(file + ": no " + END_OF_TEXT + " token");
        byte[][] regular = new byte[eot][];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            int id = entry.getValue().asInt(-1);
            if (id >= 0 && id < eot) regular[id] = spelled(file, entry.getKey());
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
                tokens.add(Base64.getDecoder().decode(fields[0]));
            } catch (IllegalArgumentException e) {
                throw new AuricleException(file + ": bad line " + (tokens.size() + 1) + ": " + e.getMessage());
            }
        }
        return tokens;
    }

    private static Vocabulary fromFullList(Path file, Iterable<?> entries) {
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
