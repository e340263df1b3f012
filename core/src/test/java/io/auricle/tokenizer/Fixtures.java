package io.auricle.tokenizer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Golden fixtures made by tools/python/make_tokenizer_fixtures.py, and the cached models they came from. */
final class Fixtures {
    private Fixtures() {}

    static final Path CACHE = Path.of(System.getenv().getOrDefault("AURICLE_CACHE",
            System.getProperty("user.home") + "/.cache/auricle"));
    static final Path MODELS = Path.of(System.getProperty("auricle.models.dir", CACHE.resolve("models").toString()));

    private static JsonNode gpt2, multilingual;
    private static Tokenizer tinyEn, base;

    static synchronized JsonNode gpt2() {
        if (gpt2 == null) gpt2 = read("/tokenizer/gpt2.json");
        return gpt2;
    }

    static synchronized JsonNode multilingual() {
        if (multilingual == null) multilingual = read("/tokenizer/multilingual.json");
        return multilingual;
    }

    /** The tiny.en model's tokenizer; skips the test if the model is not in the cache. */
    static synchronized Tokenizer tinyEn() {
        Path dir = MODELS.resolve("tiny.en");
        assumeTrue(Files.isDirectory(dir), "no tiny.en model at " + dir + " (run tools/fetch-models)");
        if (tinyEn == null) tinyEn = Tokenizer.fromDirectory(dir);
        return tinyEn;
    }

    /**
     * A multilingual tokenizer: the base model's, else openai-whisper's multilingual.tiktoken as the fixture
     * script caches it; skips the test if neither is there.
     */
    static synchronized Tokenizer multilingualTokenizer() {
        if (base == null) {
            Path dir = MODELS.resolve("base");
            Path tiktoken = CACHE.resolve("pyref/whisper/assets/multilingual.tiktoken");
            if (Files.isDirectory(dir)) base = Tokenizer.fromDirectory(dir);
            else if (Files.isRegularFile(tiktoken)) base = new Tokenizer(Vocabularies.readTiktoken(tiktoken), 51865);
            assumeTrue(base != null, "no multilingual vocabulary at " + dir + " or " + tiktoken);
        }
        return base;
    }

    /** A vocabulary of the given size whose content does not matter: the 256 bytes, then filler tokens. */
    static List<byte[]> syntheticVocabulary(int size) {
        List<byte[]> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) tokens.add(new byte[] {(byte) b});
        while (tokens.size() < size) tokens.add(("filler" + tokens.size()).getBytes());
        return tokens;
    }

    static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) values[i] = array.get(i).asInt();
        return values;
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    private static JsonNode read(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing test resource " + resource);
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
