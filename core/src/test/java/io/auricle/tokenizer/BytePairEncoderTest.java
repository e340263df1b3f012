package io.auricle.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BytePairEncoderTest {

    /** The heap merge that long pieces take must give exactly tiktoken's scan-merge ids. */
    @Test
    void heapMergeEqualsScanMerge() {
        assumeTrue(Files.isDirectory(Fixtures.MODELS.resolve("tiny.en")), "no tiny.en model");
        BytePairEncoder bpe = new BytePairEncoder(
                Vocabularies.readDirectory(Fixtures.MODELS.resolve("tiny.en")).regular(), "tiny.en");
        Random random = new Random(11);
        String[] alphabet = {"a", "b", "e", "t", "h", "in", "er", " ", "!", "-", "é", "日", "♪", "0", "1"};
        for (int trial = 0; trial < 300; trial++) {
            byte[] piece;
            if (trial % 3 == 0) {
                piece = new byte[1 + random.nextInt(400)];
                random.nextBytes(piece);
            } else {
                StringBuilder s = new StringBuilder();
                int n = 1 + random.nextInt(300);
                for (int i = 0; i < n; i++) s.append(alphabet[random.nextInt(trial % 2 == 0 ? 4 : alphabet.length)]);
                piece = s.toString().getBytes(StandardCharsets.UTF_8);
            }
            int[] scan = bpe.mergeByScan(piece);
            assertArrayEquals(scan, bpe.mergeWithHeap(piece), "trial " + trial);
            assertArrayEquals(piece, concat(bpe, scan));
        }
    }

    @Test
    void looksUpTokensByTheirBytes() {
        List<byte[]> vocabulary = Fixtures.syntheticVocabulary(300);
        vocabulary.set(299, new byte[0]); // multilingual.tiktoken has an empty token; it must never match
        BytePairEncoder bpe = new BytePairEncoder(vocabulary, "test");
        byte[] filler = "filler270".getBytes(StandardCharsets.UTF_8);
        assertEquals(270, bpe.rank(filler, 0, filler.length));
        assertEquals(-1, bpe.rank(filler, 0, 4));
        assertEquals(-1, bpe.rank(filler, 0, 0));
        assertArrayEquals(new int[] {'f', 'i', 'l'}, bpe.encode("fil".getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] concat(BytePairEncoder bpe, int[] ids) {
        int length = 0;
        for (int id : ids) length += bpe.length(id);
        byte[] out = new byte[length];
        int at = 0;
        for (int id : ids) at = bpe.copyBytes(id, out, at);
        return out;
    }
}
