package io.auricle.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.audio.LogMel;
import io.auricle.decoding.SequenceRanker.Hypothesis;
import io.auricle.model.ReferenceFixtures;
import io.auricle.model.TinyEn;
import io.auricle.model.WhisperModel;
import org.junit.jupiter.api.Test;

/** best_of sampling at temperature > 0 on jfk: seeded, and never less likely than its own first sample. */
class BestOfTest {

    @Test
    void bestOfKeepsTheLikeliestSampleAndIsSeeded() {
        WhisperModel model = TinyEn.model();
        float[][] content = ReferenceFixtures.mel("jfk", 80);
        float[] audio = model.embedAudio(LogMel.window(content, 0, content[0].length));
        DecodingOptions hot = DecodingOptions.defaults().withTemperature(1.0);
        // best_of 1 is the first of best_of 5's samples (the same seeded generator, consumed in order).
        DecodingResult first = new DecodingTask(model, TinyEn.tokenizer(), hot.withBestOf(1, 42)).run(audio);
        DecodingResult best = new DecodingTask(model, TinyEn.tokenizer(), hot.withBestOf(5, 42)).run(audio);
        DecodingResult again = new DecodingTask(model, TinyEn.tokenizer(), hot.withBestOf(5, 42)).run(audio);
        assertArrayEquals(best.tokens(), again.tokens(), "same seed, same samples");
        assertEquals(1.0, best.temperature());
        MaximumLikelihoodRanker ranker = new MaximumLikelihoodRanker(null);
        double bestScore = ranker.score(new Hypothesis(best.tokens(), best.sumLogProb()));
        double firstScore = ranker.score(new Hypothesis(first.tokens(), first.sumLogProb()));
        System.out.printf("best of 5: %.3f \"%s\"; first sample: %.3f \"%s\"%n", bestScore, best.text(), firstScore,
                first.text());
        assertTrue(bestScore >= firstScore, bestScore + " < " + firstScore);
    }
}
