package io.auricle.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.decoding.SequenceRanker.Hypothesis;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Beam bookkeeping on hand-made distributions over 4 tokens (token 3 is end-of-text), beam 2. */
class BeamSearchDecoderTest {
    private static final int EOT = 3;

    /** Logits whose softmax is {@code p} (they sum to 1). */
    private static float[] probs(double... p) {
        float[] logits = new float[p.length];
        for (int i = 0; i < p.length; i++) logits[i] = p[i] == 0 ? Float.NEGATIVE_INFINITY : (float) Math.log(p[i]);
        return logits;
    }

    @Test
    void endOfTextFinishesOnlyAmongTheFirstBeamSizeCandidates() {
        BeamSearchDecoder beams = new BeamSearchDecoder(2, 1.0, EOT);
        assertFalse(beams.update(new float[][] {probs(0.5, 0.3, 0.05, 0.15)}, false));
        assertEquals(2, beams.size());
        assertArrayEquals(new int[] {0}, beams.tokens(0));
        assertArrayEquals(new int[] {1}, beams.tokens(1));
        assertEquals(0, beams.source(1)); // both extend the single prompt row

        // Candidates: EOT after [0] 0.30, [0,1] 0.175, EOT after [1] 0.15, [1,0] 0.12, ...
        assertFalse(beams.update(new float[][] {probs(0, 0.35, 0.05, 0.6), probs(0.4, 0, 0.1, 0.5)}, false));
        List<Hypothesis> finished = beams.finished();
        assertEquals(1, finished.size(), "the EOT ranked third is outside the beam: not a hypothesis (CTranslate2)");
        assertArrayEquals(new int[] {0}, finished.get(0).tokens());
        assertEquals(Math.log(0.5 * 0.6), finished.get(0).sumLogProb(), 1e-6);
        // The finished slot 0 takes the next candidate that is not EOT: [1,0]; slot 1 keeps [0,1].
        assertArrayEquals(new int[] {1, 0}, beams.tokens(0));
        assertEquals(1, beams.source(0));
        assertEquals(0, beams.lastToken(0));
        assertArrayEquals(new int[] {0, 1}, beams.tokens(1));
        assertEquals(0, beams.source(1));

        // The last step: every kept candidate finishes, its token included.
        assertTrue(beams.update(new float[][] {probs(0.1, 0.2, 0.7, 0), probs(0.9, 0.1, 0, 0)}, true));
        finished = beams.finished();
        assertEquals(3, finished.size());
        assertArrayEquals(new int[] {0, 1, 0}, finished.get(1).tokens());
        assertEquals(Math.log(0.5 * 0.35 * 0.9), finished.get(1).sumLogProb(), 1e-6);
        assertArrayEquals(new int[] {1, 0, 2}, finished.get(2).tokens());
    }

    @Test
    void patienceSetsHowManyHypothesesComplete() {
        BeamSearchDecoder beams = new BeamSearchDecoder(2, 0.5, EOT); // round(2 · 0.5) = 1 hypothesis
        beams.update(new float[][] {probs(0.5, 0.3, 0.05, 0.15)}, false);
        assertTrue(beams.update(new float[][] {probs(0, 0.35, 0.05, 0.6), probs(0.4, 0, 0.1, 0.5)}, false));
    }

    @Test
    void rankerNormalisesByLengthOrGnmtPenalty() {
        List<Hypothesis> hs = List.of(new Hypothesis(new int[] {1, 2}, -1.0), new Hypothesis(new int[] {1, 2, 3, 4, 5}, -2.0));
        assertEquals(1, new MaximumLikelihoodRanker(null).rank(hs)); // -0.5 vs -0.4
        // GNMT, alpha 1: -1 / (7/6) = -0.857 vs -2 / (10/6) = -1.2
        assertEquals(0, new MaximumLikelihoodRanker(1.0).rank(hs));
        assertEquals(-1.0 / (7.0 / 6.0), new MaximumLikelihoodRanker(1.0).score(hs.get(0)), 1e-12);
    }

    @Test
    void optionsRefuseOutOfRangeValues() {
        DecodingOptions d = DecodingOptions.defaults();
        assertEquals("beam_size must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> d.withBeamSearch(0, 1.0, null)).getMessage());
        assertEquals("patience must be > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> d.withBeamSearch(5, 0.0, null)).getMessage());
        assertEquals("length_penalty must be between 0 and 1, got 1.5",
                assertThrows(IllegalArgumentException.class, () -> d.withBeamSearch(5, 1.0, 1.5)).getMessage());
        assertEquals("best_of must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> d.withBestOf(0, 1)).getMessage());
    }
}
