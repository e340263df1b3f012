package io.auricle.tokenizer;

import static io.auricle.tokenizer.Fixtures.ints;
import static io.auricle.tokenizer.Fixtures.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.AuricleException;
import io.auricle.model.CheckpointLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenizerTest {

    private static JsonNode fixture(String encoding) {
        return encoding.equals("gpt2") ? Fixtures.gpt2() : Fixtures.multilingual();
    }

    private static Tokenizer tokenizer(String encoding) {
        return encoding.equals("gpt2") ? Fixtures.tinyEn() : Fixtures.multilingualTokenizer();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "multilingual"})
    void encodesEveryTranscriptAsTheReferenceAndDecodesItBack(String encoding) {
        Tokenizer tokenizer = tokenizer(encoding);
        JsonNode cases = fixture(encoding).get("encode");
        assertTrue(cases.size() > 400, "fixture has " + cases.size() + " texts");
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            int[] ids = tokenizer.encode(text);
            assertArrayEquals(ints(c.get("ids")), ids, () -> "ids of " + abbreviate(text));
            assertEquals(text, tokenizer.decode(ids), () -> "round trip of " + abbreviate(text));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "multilingual"})
    void fixtureCoversEveryManifestTranscript(String encoding) throws IOException {
        Path speech = Path.of(System.getProperty("auricle.speech.dir", "../shared/data/speech"));
        assumeTrue(Files.isDirectory(speech), "no speech data at " + speech);
        Set<String> texts = new HashSet<>();
        fixture(encoding).get("encode").forEach(c -> texts.add(c.get("text").asText()));
        int rows = 0;
        try (var sets = Files.list(speech)) {
            for (Path manifest : sets.map(s -> s.resolve("manifest.tsv")).filter(Files::isRegularFile).toList()) {
                List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
                int column = List.of(lines.getFirst().split("\t")).indexOf("text");
                for (String line : lines.subList(1, lines.size())) {
                    String[] fields = line.split("\t", -1);
                    String text = " " + (column < fields.length ? fields[column] : "");
                    assertTrue(texts.contains(text), () -> manifest + ": fixture lacks " + abbreviate(text));
                    rows++;
                }
            }
        }
        assertTrue(rows > 400, "only " + rows + " manifest rows");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "multilingual"})
    void decodesEveryPrefixAsTheReference(String encoding) {
        Tokenizer tokenizer = tokenizer(encoding);
        for (JsonNode c : fixture(encoding).get("decode")) {
            int[] ids = ints(c.get("ids"));
            assertEquals(c.get("text").asText(), tokenizer.decode(ids), () -> "decode of " + c.get("ids"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "multilingual"})
    void splitsWordsAsTheReference(String encoding) {
        Tokenizer tokenizer = tokenizer(encoding);
        for (JsonNode c : fixture(encoding).get("split")) {
            int[] ids = ints(c.get("ids"));
            String language = c.get("language").isNull() ? null : c.get("language").asText();
            assertEquals(c.get("textWithTimestamps").asText(), tokenizer.decodeWithTimestamps(ids));
            List<WordTokens> words = tokenizer.splitToWordTokens(ids, language);
            assertEquals(strings(c.get("words")), words.stream().map(WordTokens::word).toList(), language);
            List<List<Integer>> expected = new ArrayList<>();
            c.get("wordTokens").forEach(w -> expected.add(IntStream.of(ints(w)).boxed().toList()));
            assertEquals(expected, words.stream().map(w -> IntStream.of(w.tokens()).boxed().toList()).toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "multilingual"})
    void nonSpeechTokensAreTheReferenceSymbols(String encoding) {
        assertArrayEquals(ints(fixture(encoding).get("accessors").get("nonSpeechTokens")),
                tokenizer(encoding).nonSpeechTokens());
    }

    /** The model's own suppress list ("-1" in openai-whisper) is the non-speech symbols plus six specials. */
    @Test
    void tinyEnSuppressListIsNonSpeechTokensPlusSpecials() throws IOException {
        Tokenizer t = Fixtures.tinyEn();
        JsonNode config = new ObjectMapper().readTree(Fixtures.MODELS.resolve("tiny.en/config.json").toFile());
        int[] expected = IntStream.concat(IntStream.of(t.nonSpeechTokens()),
                IntStream.of(t.translate(), t.transcribe(), t.sot(), t.sotPrev(), t.sotLm(), t.noSpeech()))
                .sorted().toArray();
        assertArrayEquals(ints(config.get("suppress_ids")), expected);
        assertArrayEquals(ints(config.get("suppress_ids_begin")), new int[] {t.encode(" ")[0], t.eot()});
    }

    /** The engine builds its tokenizer from a loaded checkpoint; that must be the tokenizer the fixtures check. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny.en", "base"})
    void checkpointVocabularyGivesTheSameTokenizer(String model) {
        Path dir = Fixtures.MODELS.resolve(model);
        assumeTrue(Files.isRegularFile(dir.resolve("model.bin")), "no " + model + " model at " + dir);
        Tokenizer fromCheckpoint = Tokenizer.of(CheckpointLoader.load(dir));
        Tokenizer reference = model.equals("base") ? Fixtures.multilingualTokenizer() : Fixtures.tinyEn();
        assertEquals(reference.nVocab(), fromCheckpoint.nVocab());
        assertEquals(reference.timestampBegin(), fromCheckpoint.timestampBegin());
        for (int id = 0; id < reference.eot(); id++) {
            assertArrayEquals(reference.tokenBytes(id), fromCheckpoint.tokenBytes(id), "token " + id);
        }
    }

    @Test
    void englishOnlySpecialTokens() {
        Tokenizer t = new Tokenizer(Fixtures.syntheticVocabulary(50256), 51864);
        assertEquals(List.of(50256, 50257, 50357, 50358, 50359, 50360, 50361, 50362, 50363),
                List.of(t.eot(), t.sot(), t.translate(), t.transcribe(), t.sotLm(), t.sotPrev(), t.noSpeech(),
                        t.noTimestamps(), t.timestampBegin()));
        assertEquals(false, t.isMultilingual());
        assertArrayEquals(new int[] {50257}, t.sotSequence("nl", "translate"));
        assertSpecialsAsReference(t, Fixtures.gpt2());
    }

    @Test
    void multilingualSpecialTokens() {
        Tokenizer t = new Tokenizer(Fixtures.syntheticVocabulary(50257), 51865);
        assertEquals(List.of(50257, 50258, 50259, 50359, 50363, 50364),
                List.of(t.eot(), t.sot(), t.languageToken("en"), t.transcribe(), t.noTimestamps(),
                        t.timestampBegin()));
        JsonNode fixture = Fixtures.multilingual();
        assertSpecialsAsReference(t, fixture);
        for (JsonNode c : fixture.get("sotSequences")) {
            assertArrayEquals(ints(c.get("ids")), t.sotSequence(c.get("language").asText(), c.get("task").asText()));
        }
        assertArrayEquals(new int[] {50258, 50259, 50359}, t.sotSequence(null, null));
        AuricleException e = assertThrows(AuricleException.class, () -> t.languageToken("yue"));
        assertEquals("language yue (cantonese) is not in this model's 99 languages", e.getMessage());
    }

    @Test
    void largeV3HasCantonese() {
        Tokenizer t = new Tokenizer(Fixtures.syntheticVocabulary(50257), 51866);
        JsonNode v3 = Fixtures.multilingual().get("v3");
        assertSpecialsAsReference(t, v3);
        assertArrayEquals(ints(v3.get("cantoneseSotSequence")), t.sotSequence("yue", "transcribe"));
    }

    private static void assertSpecialsAsReference(Tokenizer t, JsonNode fixture) {
        JsonNode a = fixture.get("accessors");
        assertEquals(List.of(a.get("eot").asInt(), a.get("sot").asInt(), a.get("sotPrev").asInt(),
                        a.get("sotLm").asInt(), a.get("noSpeech").asInt(), a.get("noTimestamps").asInt(),
                        a.get("timestampBegin").asInt(), a.get("transcribe").asInt(), a.get("translate").asInt(),
                        a.get("nVocab").asInt()),
                List.of(t.eot(), t.sot(), t.sotPrev(), t.sotLm(), t.noSpeech(), t.noTimestamps(), t.timestampBegin(),
                        t.transcribe(), t.translate(), t.nVocab()));
        assertArrayEquals(ints(a.get("languageTokens")), t.languageTokens());
        assertEquals(strings(a.get("languageCodes")), t.languageCodes());
        List<String> names = strings(fixture.get("specialTokens"));
        assertEquals(t.nVocab() - t.eot(), names.size());
        for (int i = 0; i < names.size(); i++) {
            assertEquals(names.get(i), t.decodeWithTimestamps(new int[] {t.eot() + i}));
            assertEquals(names.get(i), new String(t.tokenBytes(t.eot() + i), StandardCharsets.UTF_8));
        }
        assertEquals("", t.decode(IntStream.range(t.eot(), t.nVocab()).toArray()));
    }

    @Test
    void tokenBytesMayEndMidCharacter() {
        Tokenizer t = Fixtures.tinyEn();
        int[] ids = t.encode("日");
        assertTrue(ids.length > 1);
        byte[] joined = new byte[0];
        for (int id : ids) {
            byte[] b = t.tokenBytes(id);
            byte[] next = java.util.Arrays.copyOf(joined, joined.length + b.length);
            System.arraycopy(b, 0, next, joined.length, b.length);
            joined = next;
        }
        assertArrayEquals("日".getBytes(StandardCharsets.UTF_8), joined);
        assertEquals("\uFFFD", t.decode(new int[] {ids[0]}));
    }

    @Test
    void vocabularyThatDoesNotFitNVocabIsRejected() {
        AuricleException e = assertThrows(AuricleException.class,
                () -> new Tokenizer(Fixtures.syntheticVocabulary(50000), 51864, "m.bin"));
        assertEquals("m.bin: 50000 regular tokens do not fit n_vocab 51864 (Whisper adds 1509 special tokens"
                + " and 0 to 100 language tokens)", e.getMessage());
    }

    @Test
    void vocabularyWithoutEveryByteIsRejected() {
        List<byte[]> vocabulary = new ArrayList<>(Fixtures.syntheticVocabulary(50256));
        vocabulary.set(0x41, "AA".getBytes());
        AuricleException e = assertThrows(AuricleException.class, () -> new Tokenizer(vocabulary, 51864, "m.bin"));
        assertEquals("m.bin: vocabulary lacks the single byte 0x41", e.getMessage());
    }

    @Test
    void trailingEndOfTextInTheVocabularyIsIgnored() {
        List<byte[]> vocabulary = new ArrayList<>(Fixtures.syntheticVocabulary(50256));
        vocabulary.add("<|endoftext|>".getBytes());
        assertEquals(50363, new Tokenizer(vocabulary, 51864).timestampBegin());
    }

    @Test
    void unknownLanguageAndTaskAreUserErrors() {
        Tokenizer t = new Tokenizer(Fixtures.syntheticVocabulary(50257), 51865);
        assertEquals("unsupported language: klingon",
                assertThrows(AuricleException.class, () -> t.languageToken("klingon")).getMessage());
        assertEquals("unknown task: summarize (expected transcribe or translate)",
                assertThrows(AuricleException.class, () -> t.sotSequence("en", "summarize")).getMessage());
    }

    @Test
    void idsOutsideTheVocabularyAreRejected() {
        Tokenizer t = new Tokenizer(Fixtures.syntheticVocabulary(50256), 51864);
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {51864}));
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {-1}));
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
