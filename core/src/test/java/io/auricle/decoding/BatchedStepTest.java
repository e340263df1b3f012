package io.auricle.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.auricle.audio.LogMel;
import io.auricle.model.KvCache;
import io.auricle.model.ReferenceFixtures;
import io.auricle.model.TinyEn;
import io.auricle.model.WhisperModel;
import org.junit.jupiter.api.Test;

/** The beams' batched decoder step and the cache forks it runs on, against one token at a time. */
class BatchedStepTest {

    @Test
    void batchedStepEqualsOneHypothesisAtATime() {
        WhisperModel model = TinyEn.model();
        float[][] content = ReferenceFixtures.mel("jfk", 80);
        float[] audio = model.embedAudio(LogMel.window(content, 0, content[0].length));
        KvCache root = model.newCache(audio);
        model.forward(new int[] {50257, 50363, 843}, root, null);
        KvCache a = root.fork(), b = root.fork(), c = root.fork();
        model.forward(new int[] {523}, c, null); // c diverges: "so"
        c.copyFrom(b, 2);                        // ... and is brought back to b's three tokens
        int[] next = {523, 11, 1265};
        float[][] batched = model.step(next, new KvCache[] {a, b, c});
        for (int i = 0; i < next.length; i++) {
            KvCache single = model.newCache(audio);
            float[] expected = model.logits(model.forward(new int[] {50257, 50363, 843, next[i]}, single, null), 3);
            assertArrayEquals(expected, batched[i], 2e-3f, "hypothesis " + i);
        }
        assertEquals(4, a.length());
        assertEquals(3, root.length(), "forks do not move the cache they came from");

        // Caches at different positions (as a batch of windows has) each decode at their own position.
        float[][] mixed = model.step(new int[] {11, 11}, new KvCache[] {a, root.fork()});
        KvCache aAlone = model.newCache(audio), rootAlone = model.newCache(audio);
        float[] aExpected = model.logits(model.forward(new int[] {50257, 50363, 843, 523, 11}, aAlone, null), 4);
        float[] rootExpected = model.logits(model.forward(new int[] {50257, 50363, 843, 11}, rootAlone, null), 3);
        assertArrayEquals(aExpected, mixed[0], 2e-3f, "the longer cache");
        assertArrayEquals(rootExpected, mixed[1], 2e-3f, "the shorter cache");
    }
}
