package io.auricle.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.AuricleException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TextDecoderTest {

    static float[] randomAudio(int nAudioCtx, int d) {
        SplittableRandom random = new SplittableRandom(7);
        float[] audio = new float[nAudioCtx * d];
        for (int i = 0; i < audio.length; i++) audio[i] = (float) random.nextGaussian();
        return audio;
    }

    /** The KV cache must not change the result: a prompt at once equals the same tokens one by one. */
    @Test
    void oneTokenAtATimeEqualsTheWholeSequence() {
        WhisperModel model = TinyEn.model();
        float[] audio = randomAudio(100, 384);
        int[] tokens = {50257, 50363, 843, 523, 616, 5891};
        KvCache whole = model.newCache(audio);
        float[] all = model.forward(tokens, whole, null);
        KvCache stepwise = model.newCache(audio);
        float[] last = null;
        for (int t : tokens) last = model.forward(new int[] {t}, stepwise, null);
        assertEquals(tokens.length, stepwise.length());
        float[] a = model.logits(all, tokens.length - 1), b = model.logits(last, 0);
        double maxDiff = 0;
        for (int i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        assertEquals(0, maxDiff, 1e-3);

        // Truncating and decoding again gives the same logits as the first time.
        stepwise.truncate(2);
        float[] again = model.forward(new int[] {843, 523, 616, 5891}, stepwise, null);
        float[] c = model.logits(again, 3);
        for (int i = 0; i < a.length; i++) assertEquals(b[i], c[i], 1e-3);
    }

    /**
     * Past the rows a cache starts with, it grows and keeps what it held: 150 tokens one by one (and in a batched
     * step, and through a fork and a copy taken before the growth) give the logits of the 150 tokens at once.
     */
    @Test
    void cachesGrowPastTheirFirstRowsWithoutChangingTheResult() {
        WhisperModel model = TinyEn.model();
        float[] audio = randomAudio(20, 384);
        int n = 150;
        assertTrue(n > 2 * KvCache.INITIAL_ROWS);
        int[] tokens = new int[n];
        tokens[0] = 50257;
        tokens[1] = 50363;
        for (int i = 2; i < n; i++) tokens[i] = 200 + 37 * i % 5000;
        float[] whole = model.logits(model.forward(tokens, model.newCache(audio), null), n - 1);

        KvCache stepwise = model.newCache(audio), batched = model.newCache(audio);
        KvCache early = null, copied = model.newCache(audio);
        float[] last = null, lastBatched = null;
        for (int i = 0; i < n; i++) {
            last = model.forward(new int[] {tokens[i]}, stepwise, null);
            lastBatched = model.step(new int[] {tokens[i]}, new KvCache[] {batched})[0];
            if (i == 9) early = stepwise.fork();
        }
        for (int i = 10; i < n; i++) model.forward(new int[] {tokens[i]}, early, null);
        model.forward(new int[] {tokens[0]}, copied, null);
        copied.copyFrom(stepwise, 1);  // a short cache takes a long one's tokens (a beam reorder)
        assertEquals(n, copied.length());
        for (float[] other : new float[][] {model.logits(last, 0), lastBatched,
                model.logits(model.forward(new int[] {tokens[n - 1]}, truncated(early, n - 1), null), 0),
                model.logits(model.forward(new int[] {tokens[n - 1]}, truncated(copied, n - 1), null), 0)}) {
            double maxDiff = 0;
            for (int i = 0; i < whole.length; i++) maxDiff = Math.max(maxDiff, Math.abs(whole[i] - other[i]));
            assertEquals(0, maxDiff, 1e-3);
        }
    }

    /**
     * Forks share the prompt's keys and values instead of copying them: a fork (and a fork of a fork) reads the
     * first rows from the cache it came from, holds only the tokens after them, and decodes what a cache holding
     * every token decodes; that cache cannot drop the shared rows while the forks are in use.
     */
    @Test
    void forksShareThePromptsRowsAndDecodeAsAFullCache() {
        WhisperModel model = TinyEn.model();
        float[] audio = randomAudio(20, 384);
        int[] prompt = new int[100];
        for (int i = 0; i < prompt.length; i++) prompt[i] = 300 + 17 * i;
        KvCache root = model.newCache(audio);
        model.forward(prompt, root, null);
        KvCache fork = root.fork();
        assertEquals(prompt.length, fork.sharedRows());
        assertEquals(KvCache.INITIAL_ROWS, fork.rows(), "a fork holds the tokens after the prompt only");
        model.forward(new int[] {440}, fork, null);
        KvCache forkOfFork = fork.fork();
        assertEquals(prompt.length, forkOfFork.sharedRows());

        int[] full = java.util.Arrays.copyOf(prompt, prompt.length + 2);
        full[prompt.length] = 440;
        full[prompt.length + 1] = 1396;
        float[] expected = model.logits(model.forward(full, model.newCache(audio), null), full.length - 1);
        float[] stepped = model.step(new int[] {1396}, new KvCache[] {forkOfFork})[0];
        assertArrayEquals(expected, stepped, 1e-4f, "batched step of a fork of a fork");
        model.forward(new int[] {1396}, fork, null);
        KvCache onlyOwn = model.newCache(audio);
        model.forward(prompt, onlyOwn, null);
        onlyOwn.copyFrom(fork, prompt.length); // a beam reorder into a cache that shares nothing
        assertEquals(full.length, onlyOwn.length());
        float[] next = model.logits(model.forward(new int[] {262}, fork, null), 0);
        assertArrayEquals(next, model.logits(model.forward(new int[] {262}, onlyOwn, null), 0), 1e-4f);

        assertThrows(IllegalStateException.class, () -> root.truncate(50), "the forks read rows 0..99");
        root.releaseForks();
        root.truncate(50);
        KvCache later = root.fork();
        assertEquals(50, later.sharedRows(), "the next run's forks share what the cache holds then");
    }

    private static KvCache truncated(KvCache cache, int length) {
        cache.truncate(length);
        return cache;
    }

    @Test
    void crossAttentionWeightsReachTheSinkForTheLayersAsked() {
        WhisperModel model = TinyEn.model();
        KvCache cache = model.newCache(randomAudio(50, 384));
        int[] calls = new int[4];
        model.forward(new int[] {50257, 50363}, cache, new CrossAttentionSink() {
            @Override
            public boolean wants(int layer) {
                return layer >= 2;
            }

            @Override
            public void accept(int layer, float[] weights, int nHead, int nq, int nk) {
                calls[layer]++;
                assertTrue(weights.length >= 6 * 2 * 50, "room for [nHead, nq, nk]: " + weights.length);
                assertEquals(6 * 2 * 50, nHead * nq * nk);
                for (int row = 0; row < nHead * nq; row++) {
                    double sum = 0;
                    for (int j = 0; j < nk; j++) sum += weights[row * nk + j];
                    assertEquals(1.0, sum, 1e-4);
                }
            }
        });
        assertEquals(0, calls[0] + calls[1]);
        assertEquals(1, calls[2]);
        assertEquals(1, calls[3]);
    }

    @Test
    void audioContextIsBoundedAndShapesTheOutput() {
        WhisperModel model = TinyEn.model();
        float[][] mel = new float[80][3000];
        assertEquals(10 * 384, model.embedAudio(mel, 10).length);
        assertEquals("audio context 1501 is outside 1..1500",
                assertThrows(AuricleException.class, () -> model.embedAudio(mel, 1501)).getMessage());
        assertEquals("the model needs 80 mel bands, got 128",
                assertThrows(AuricleException.class, () -> model.embedAudio(new float[128][3000])).getMessage());
    }

    @Test
    void theTextContextCannotOverflow() {
        WhisperModel model = TinyEn.model();
        KvCache cache = model.newCache(randomAudio(10, 384));
        cache.truncate(0);
        assertThrows(IllegalArgumentException.class, () -> model.forward(new int[449], cache, null));
        assertThrows(IllegalArgumentException.class, () -> model.forward(new int[] {51864}, cache, null));
    }
}
