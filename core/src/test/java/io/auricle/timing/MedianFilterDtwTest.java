package io.auricle.timing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** MedianFilter and Dtw against openai-whisper's median_filter (torch) and dtw_cpu (numba). */
class MedianFilterDtwTest {

    @Test
    void medianFilterMatchesTheReference() throws IOException {
        JsonNode cases = TimingFixtures.load("median_filter.json.gz");
        assertEquals(25, cases.size());
        for (JsonNode c : cases) {
            int width = c.get("width").asInt();
            float[][] input = TimingFixtures.rows(c.get("input"));
            float[][] expected = TimingFixtures.rows(c.get("output"));
            for (int r = 0; r < input.length; r++) {
                float[] got = MedianFilter.apply(input[r], width);
                for (int i = 0; i < got.length; i++) {
                    // a median is one of its inputs: the same value, well within 1e-6
                    assertEquals(expected[r][i], got[i], 1e-6, "width " + width + " row " + r + " frame " + i);
                    assertEquals(Float.floatToIntBits(expected[r][i]), Float.floatToIntBits(got[i]));
                }
            }
        }
    }

    @Test
    void medianFilterWantsAnOddWidth() {
        assertThrows(IllegalArgumentException.class, () -> MedianFilter.apply(new float[10], 4));
        assertThrows(IllegalArgumentException.class, () -> MedianFilter.apply(new float[10], 0));
    }

    @Test
    void dtwPathsAreTheReferencePaths() throws IOException {
        JsonNode cases = TimingFixtures.load("dtw.json.gz");
        assertEquals(13, cases.size());
        for (JsonNode c : cases) {
            int[] shape = TimingFixtures.shape(c.get("x"));
            Dtw.Path path = Dtw.align(TimingFixtures.values(c.get("x")), shape[0], shape[1]);
            String where = shape[0] + "x" + shape[1];
            assertArrayEquals(TimingFixtures.ints(c.get("text_indices")), path.textIndices(), where);
            assertArrayEquals(TimingFixtures.ints(c.get("time_indices")), path.timeIndices(), where);
        }
    }

    @Test
    void dtwRejectsAShapeItsCostDoesNotHave() {
        assertThrows(IllegalArgumentException.class, () -> Dtw.align(new float[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Dtw.align(new float[0], 0, 3));
    }

    @Test
    void punctuationMergesAsTheReference() throws IOException {
        JsonNode cases = TimingFixtures.load("merge_punctuations.json.gz");
        assertEquals(5, cases.size());
        for (JsonNode c : cases) {
            WordTiming[] alignment = new WordTiming[c.get("input").size()];
            for (int i = 0; i < alignment.length; i++) {
                JsonNode w = c.get("input").get(i);
                alignment[i] = new WordTiming(w.get("word").asText(), TimingFixtures.ints(w.get("tokens")), i, i + 1, 0.5);
            }
            Punctuation.merge(alignment, Punctuation.PREPENDED, Punctuation.APPENDED);
            for (int i = 0; i < alignment.length; i++) {
                JsonNode w = c.get("output").get(i);
                assertEquals(w.get("word").asText(), alignment[i].word(), c.get("input").toString());
                assertArrayEquals(TimingFixtures.ints(w.get("tokens")), alignment[i].tokens());
            }
        }
    }
}
