package io.auricle.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each filter alone on hand-built logits, over a toy vocabulary: text 0..9, specials 10..17, timestamps 18..29. */
class LogitFiltersTest {
    /** EOT 10, notimestamps 17, timestamps from 18; the first sampled position is 1. */
    static ApplyTimestampRules rules(int maxInitialIndex) {
        return new ApplyTimestampRules(10, 17, 18, 1, maxInitialIndex);
    }

    static final float NEG = Float.NEGATIVE_INFINITY;

    static float[] flat(float v) {
        float[] x = new float[30];
        Arrays.fill(x, v);
        return x;
    }

    /** Indices whose logit is -∞. */
    static int[] suppressed(float[] logits) {
        return java.util.stream.IntStream.range(0, logits.length).filter(i -> logits[i] == NEG).toArray();
    }

    static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }

    static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).sorted().distinct().toArray();
    }

    @Test
    void suppressBlankOnlyAtTheFirstSampledPosition() {
        SuppressBlank f = new SuppressBlank(new int[] {3, 10}, 1);
        float[] first = flat(0);
        f.apply(first, new int[] {11});
        assertArrayEquals(new int[] {3, 10}, suppressed(first));
        float[] later = flat(0);
        f.apply(later, new int[] {11, 5});
        assertArrayEquals(new int[0], suppressed(later));
    }

    @Test
    void suppressTokensAlways() {
        SuppressTokens f = new SuppressTokens(new int[] {2, 13, 16});
        float[] x = flat(1);
        f.apply(x, new int[] {11, 4, 5});
        assertArrayEquals(new int[] {2, 13, 16}, suppressed(x));
        assertEquals(1f, x[3]);
    }

    @Test
    void firstTokenIsATimestampWithinTheInitialLimit() {
        float[] x = flat(0);
        rules(5).apply(x, new int[] {11});
        // all text, EOT and specials, and timestamps past index 5 (18 + 5 = 23)
        assertArrayEquals(concat(range(0, 18), range(24, 30)), suppressed(x));
    }

    @Test
    void aLoneTimestampIsFollowedByAnotherTimestampOrEndOfText() {
        float[] x = flat(0);
        x[10] = 5; // end-of-text beats the timestamp mass, so the mass rule adds nothing here
        rules(5).apply(x, new int[] {11, 18, 4, 20});
        // text before EOT, notimestamps, and timestamps before the last one (20)
        assertArrayEquals(concat(range(0, 10), new int[] {17, 18, 19}), suppressed(x));
    }

    @Test
    void afterAPairOnlyTextOrEndOfText() {
        float[] x = flat(0);
        x[4] = 5;
        rules(5).apply(x, new int[] {11, 18, 4, 20, 20});
        assertArrayEquals(concat(new int[] {17}, range(18, 30)), suppressed(x));
    }

    @Test
    void timestampMassAboveTheBestTextTokenForcesATimestamp() {
        float[] x = flat(-100);
        x[4] = 0;                                        // best text token
        for (int t = 21; t < 30; t++) x[t] = -1.5f;      // each below it; log(9 e^-1.5) = 0.70 above it
        rules(5).apply(x, new int[] {11, 18, 4});
        assertArrayEquals(concat(range(0, 18)), concat(Arrays.stream(suppressed(x)).filter(i -> i < 18).toArray()));
        assertEquals(NEG, x[4]);
        assertEquals(NEG, x[10]);   // EOT is below timestamp_begin too, as in the reference
        assertEquals(-1.5f, x[21]);
    }

    @Test
    void textStaysWhenTimestampMassIsBelowIt() {
        float[] x = flat(-100);
        x[4] = 0;
        for (int t = 21; t < 30; t++) x[t] = -3f;       // log(9 e^-3) = -0.80 < 0
        rules(5).apply(x, new int[] {11, 18, 4});
        assertEquals(0f, x[4]);
        // only notimestamps and timestamps up to the last one (18) are forbidden
        assertArrayEquals(new int[] {17, 18}, suppressed(x));
    }

    @Test
    void afterTextTheNextTimestampIsLaterThanTheLast() {
        // CTranslate2 forbids the last timestamp itself too (as openai/whisper): 22 closed its pair already
        float[] x = flat(0);
        x[5] = 10;
        rules(5).apply(x, new int[] {11, 18, 4, 22, 22, 6});
        assertArrayEquals(new int[] {17, 18, 19, 20, 21, 22}, suppressed(x));
    }

    @Test
    void greedyPicksTheMaximumAndAddsItsLogProbability() {
        GreedyDecoder g = new GreedyDecoder(0, null);
        float[] x = {0, 2, NEG, 2 + (float) Math.log(3)};
        assertEquals(3, g.next(x));
        // p = 3e^2 / (1 + e^2 + 3e^2)
        double p = 3 * Math.exp(2) / (1 + 4 * Math.exp(2));
        assertEquals(Math.log(p), g.sumLogProb(), 1e-6);
        assertEquals(1, GreedyDecoder.argmax(new float[] {0, 5, 5}));
    }
}
