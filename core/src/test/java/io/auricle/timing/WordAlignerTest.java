package io.auricle.timing;

import com.fasterxml.jackson.databind.JsonNode;
import io.auricle.tokenizer.Tokenizer;
import io.auricle.tokenizer.WordTokens;
import io.auricle.transcribe.Segment;
import io.auricle.transcribe.Word;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * WordAligner against openai-whisper's find_alignment and add_word_timestamps run on the same attention
 * logits, token probabilities and segments (tools/python/make_timing_fixtures.py).
 */
class WordAlignerTest {

    record Case(JsonNode json) {
        String name() {
            return json.get("name").asText();
        }

        @Override
        public String toString() {
            return name();
        }

        int[] textTokens() {
            return TimingFixtures.ints(json.get("text_tokens"));
        }

        float[] probabilities() {
            JsonNode p = json.get("text_token_probs");
            float[] v = new float[p.size()];
            for (int i = 0; i < v.length; i++) v[i] = (float) p.get(i).asDouble();
            return v;
        }

        int numFrames() {
            return json.get("num_frames").asInt();
        }

        float[][][] logits() {
            return TimingFixtures.cube(json.get("qk"));
        }

        List<WordTokens> split() {
            List<WordTokens> split = new ArrayList<>();
            for (JsonNode w : json.get("split")) {
                split.add(new WordTokens(w.get("word").asText(), TimingFixtures.ints(w.get("tokens"))));
            }
            return split;
        }

        /** The reference tokenizer's split of text tokens + eot, served for exactly that sequence. */
        WordAligner aligner() {
            int[] expected = java.util.Arrays.copyOf(textTokens(), textTokens().length + 1);
            expected[expected.length - 1] = json.get("eot").asInt();
            List<WordTokens> split = split();
            return new WordAligner(tokens -> {
                assertArrayEquals(expected, tokens);
                return split;
            }, json.get("eot").asInt());
        }
    }

    static Stream<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : TimingFixtures.load("alignment.json.gz")) cases.add(new Case(c));
        assertEquals(22, cases.size());
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matrixAndPathMatchTheReference(Case c) {
        if (c.json().get("matrix").isNull()) return; // no text: the reference never builds one
        int sot = c.json().get("sot_sequence").size();
        float[][] matrix = WordAligner.matrix(c.logits(), WordAligner.Attention.LOGITS, c.numFrames(),
                c.textTokens().length, WordAligner.Options.DEFAULTS);
        float[][] expected = TimingFixtures.rows(c.json().get("matrix"));
        assertEquals(expected.length, matrix.length - sot - 1);
        for (int r = 0; r < expected.length; r++) {
            assertEquals(expected[r].length, matrix[sot + r].length);
            for (int f = 0; f < expected[r].length; f++) {
                assertEquals(expected[r][f], matrix[sot + r][f], 1e-5, c + " row " + r + " frame " + f);
            }
        }
        float[] cost = new float[expected.length * expected[0].length];
        for (int r = 0; r < expected.length; r++) {
            for (int f = 0; f < expected[r].length; f++) cost[r * expected[r].length + f] = -matrix[sot + r][f];
        }
        Dtw.Path path = Dtw.align(cost, expected.length, expected[0].length);
        assertArrayEquals(TimingFixtures.ints(c.json().get("text_indices")), path.textIndices(), c.toString());
        assertArrayEquals(TimingFixtures.ints(c.json().get("time_indices")), path.timeIndices(), c.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void findAlignmentMatchesTheReference(Case c) {
        List<WordTiming> got = c.aligner().findAlignment(c.logits(), WordAligner.Attention.LOGITS, c.textTokens(),
                c.probabilities(), c.numFrames());
        assertAlignment(c, got);
    }

    /** The same attention given after a softmax over all 1500 frames, as Ops.attention can capture it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void softmaxWeightsOverTheWholeWindowGiveTheSameWords(Case c) {
        float[][][] logits = c.logits();
        SplittableRandom random = new SplittableRandom(6);
        float[][][] weights = new float[logits.length][logits[0].length][1500];
        for (int h = 0; h < logits.length; h++) {
            for (int r = 0; r < logits[h].length; r++) {
                double[] e = new double[1500];
                double max = Double.NEGATIVE_INFINITY;
                for (int f = 0; f < 1500; f++) {
                    e[f] = f < logits[h][r].length ? logits[h][r][f] : random.nextDouble(-3, 3); // beyond the window
                    max = Math.max(max, e[f]);
                }
                double total = 0;
                for (int f = 0; f < 1500; f++) total += e[f] = Math.exp(e[f] - max);
                for (int f = 0; f < 1500; f++) weights[h][r][f] = (float) (e[f] / total);
            }
        }
        List<WordTiming> got = c.aligner().findAlignment(weights, WordAligner.Attention.PROBABILITIES,
                c.textTokens(), c.probabilities(), c.numFrames());
        assertAlignment(c, got);
    }

    /** Our tokenizer (tiny.en's vocabulary) splits the words as openai-whisper's tiny.en tokenizer did. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void withTheTinyEnTokenizer(Case c) {
        Tokenizer tokenizer = tinyEn();
        assertEquals(c.json().get("eot").asInt(), tokenizer.eot());
        int[] withEot = java.util.Arrays.copyOf(c.textTokens(), c.textTokens().length + 1);
        withEot[withEot.length - 1] = tokenizer.eot();
        List<WordTokens> split = tokenizer.splitToWordTokens(withEot, null);
        List<WordTokens> expected = c.split();
        assertEquals(expected.size(), split.size(), c.toString());
        for (int i = 0; i < split.size(); i++) {
            assertEquals(expected.get(i).word(), split.get(i).word(), c + " word " + i);
            assertArrayEquals(expected.get(i).tokens(), split.get(i).tokens(), c + " word " + i);
        }
        List<WordTiming> got = WordAligner.of(tokenizer, "en").findAlignment(c.logits(),
                WordAligner.Attention.LOGITS, c.textTokens(), c.probabilities(), c.numFrames());
        assertAlignment(c, got);
    }

    private static Tokenizer tinyEn;

    private static synchronized Tokenizer tinyEn() {
        Path dir = MODELS.resolve("tiny.en");
        assumeTrue(Files.isDirectory(dir), "no tiny.en model at " + dir + " (run tools/fetch-models)");
        if (tinyEn == null) tinyEn = Tokenizer.fromDirectory(dir);
        return tinyEn;
    }

    private static final Path MODELS = Path.of(System.getProperty("auricle.models.dir",
            System.getenv().getOrDefault("AURICLE_CACHE", System.getProperty("user.home") + "/.cache/auricle")
                    + "/models"));

    private static void assertAlignment(Case c, List<WordTiming> got) {
        JsonNode expected = c.json().get("alignment");
        assertEquals(expected.size(), got.size(), c.toString());
        for (int i = 0; i < got.size(); i++) {
            JsonNode e = expected.get(i);
            String where = c + " word " + i;
            assertEquals(e.get("word").asText(), got.get(i).word(), where);
            assertArrayEquals(TimingFixtures.ints(e.get("tokens")), got.get(i).tokens(), where);
            assertEquals(e.get("start").asDouble(), got.get(i).start(), where);
            assertEquals(e.get("end").asDouble(), got.get(i).end(), where);
            assertEquals(e.get("probability").asDouble(), got.get(i).probability(), 1e-15, where);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void addWordTimestampsMatchesTheReference(Case c) {
        List<Segment> in = new ArrayList<>();
        for (JsonNode s : c.json().get("segments_in")) {
            in.add(new Segment(s.get("id").asInt(), s.get("seek").asInt(), s.get("start").asDouble(),
                    s.get("end").asDouble(), s.get("text").asText(), TimingFixtures.ints(s.get("tokens")), 0, -0.2,
                    1.3, 0.01, List.of()));
        }
        List<Segment> out = c.aligner().addWordTimestamps(in, c.logits(), WordAligner.Attention.LOGITS,
                c.probabilities(), c.numFrames(), c.json().get("last_speech_timestamp").asDouble());
        JsonNode expected = c.json().get("segments_out");
        assertEquals(expected.size(), out.size());
        for (int s = 0; s < out.size(); s++) {
            JsonNode e = expected.get(s);
            Segment got = out.get(s);
            String where = c + " segment " + s;
            assertEquals(e.get("start").asDouble(), got.start(), where);
            assertEquals(e.get("end").asDouble(), got.end(), where);
            assertEquals(e.get("words").size(), got.words().size(), where);
            for (int w = 0; w < got.words().size(); w++) {
                JsonNode ew = e.get("words").get(w);
                Word gw = got.words().get(w);
                assertEquals(ew.get("word").asText(), gw.word(), where + " word " + w);
                assertEquals(ew.get("start").asDouble(), gw.start(), where + " word " + w);
                assertEquals(ew.get("end").asDouble(), gw.end(), where + " word " + w);
                assertEquals(ew.get("probability").asDouble(), gw.probability(), 1e-15, where + " word " + w);
            }
            assertEquals(in.get(s).text(), got.text());
            assertArrayEquals(in.get(s).tokens(), got.tokens());
        }
    }

    @Test
    void theFixturesExerciseTheBoundaryRules() throws IOException {
        // words whose final times are not aligned times: the long-word and segment-boundary rules moved them
        int moved = 0;
        for (Case c : cases().toList()) {
            double offset = c.json().get("segments_in").get(0).get("seek").asInt() / 100.0;
            List<Double> starts = new ArrayList<>(), ends = new ArrayList<>();
            for (JsonNode a : c.json().get("alignment")) {
                starts.add(WordAligner.round2(offset + a.get("start").asDouble()));
                ends.add(WordAligner.round2(offset + a.get("end").asDouble()));
            }
            for (JsonNode s : c.json().get("segments_out")) {
                for (JsonNode w : s.get("words")) {
                    if (!starts.contains(w.get("start").asDouble()) || !ends.contains(w.get("end").asDouble())) moved++;
                }
            }
        }
        assertTrue(moved >= 8, moved + " words moved by the rules");
    }

    @Test
    void roundsAsPython() {
        assertEquals(0.12, WordAligner.round2(0.125)); // 0.125 is exact: half to even
        assertEquals(0.13, WordAligner.round2(0.1250000001));
        assertEquals(2.67, WordAligner.round2(2.675)); // 2.675 is 2.67499999… in binary
    }

    @Test
    void badShapesAreRefused() {
        WordAligner aligner = new WordAligner(tokens -> List.of(), 50256);
        float[][][] attention = new float[1][3][10];
        assertThrows(IllegalArgumentException.class, () -> aligner.findAlignment(attention,
                WordAligner.Attention.LOGITS, new int[] {1, 2}, new float[] {0.5f, 0.5f}, 20));
        assertThrows(IllegalArgumentException.class, () -> aligner.findAlignment(new float[1][4][10],
                WordAligner.Attention.LOGITS, new int[] {1, 2}, new float[] {0.5f, 0.5f}, 40));
        assertEquals(List.of(), aligner.findAlignment(new float[1][4][10], WordAligner.Attention.LOGITS,
                new int[] {1, 2}, new float[] {0.5f, 0.5f}, 20)); // the splitter found no words
    }
}
