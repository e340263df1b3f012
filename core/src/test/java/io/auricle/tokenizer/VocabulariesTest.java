package io.auricle.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.auricle.AuricleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabulariesTest {

    @Test
    void tinyEnTokenizerJsonAndVocabularyTxtAgree() {
        Path dir = Fixtures.MODELS.resolve("tiny.en");
        assumeTrue(Files.isDirectory(dir));
        Vocabularies.Vocabulary ct2 = Vocabularies.readDirectory(dir);
        assertEquals(51864, ct2.nVocab());
        assertEquals(50256, ct2.regular().size());
        assertSameTokens(ct2.regular(), Vocabularies.readTokenizerJson(dir.resolve("tokenizer.json")));
        assertArrayEquals(" the".getBytes(StandardCharsets.UTF_8), ct2.regular().get(262));
        assertArrayEquals(new byte[] {(byte) 0xE6}, ct2.regular().get(162));
    }

    @Test
    void multilingualFilesAgree() {
        Path dir = Fixtures.MODELS.resolve("base");
        Path tiktoken = Fixtures.CACHE.resolve("pyref/whisper/assets/multilingual.tiktoken");
        assumeTrue(Files.isDirectory(dir) && Files.isRegularFile(tiktoken));
        Vocabularies.Vocabulary ct2 = Vocabularies.readDirectory(dir);
        assertEquals(51865, ct2.nVocab());
        assertSameTokens(Vocabularies.readTiktoken(tiktoken), ct2.regular());
        assertSameTokens(ct2.regular(), Vocabularies.readTokenizerJson(dir.resolve("tokenizer.json")));
        assertEquals(0, ct2.regular().get(50256).length);
    }

    @Test
    void byteLevelSpellingCoversEveryByte() {
        assertArrayEquals(" the".getBytes(StandardCharsets.UTF_8), Vocabularies.fromByteLevel("Ġthe"));
        assertArrayEquals(new byte[] {'\n', (byte) 0xAD, 0}, Vocabularies.fromByteLevel("ĊŃĀ"));
        assertThrows(IllegalArgumentException.class, () -> Vocabularies.fromByteLevel("日"));
    }

    @Test
    void directoryWithoutVocabularyIsAUserError(@TempDir Path dir) {
        AuricleException e = assertThrows(AuricleException.class, () -> Vocabularies.readDirectory(dir));
        assertEquals(dir + ": no vocabulary file (expected one of vocabulary.json, vocabulary.txt, tokenizer.json,"
                + " vocab.json)", e.getMessage());
    }

    @Test
    void badTiktokenLineIsAUserError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.tiktoken");
        Files.writeString(file, "IQ== 0\nIg== 5\n");
        AuricleException e = assertThrows(AuricleException.class, () -> Vocabularies.readTiktoken(file));
        assertEquals(file + ": line 2 is not 'token rank'", e.getMessage());
    }

    @Test
    void vocabularyTxtWithoutEndOfTextIsAUserError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("vocabulary.txt"), "a\nb\n");
        AuricleException e = assertThrows(AuricleException.class, () -> Vocabularies.readDirectory(dir));
        assertEquals(dir.resolve("vocabulary.txt") + ": no <|endoftext|> token", e.getMessage());
    }

    private static void assertSameTokens(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), "token " + i);
    }
}
