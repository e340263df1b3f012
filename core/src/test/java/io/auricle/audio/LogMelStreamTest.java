package io.auricle.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogMelStreamTest {

    @Test
    void randomChunksGiveExactlyTheWholeFileSpectrogram() {
        float[] jfk = MelFixtures.jfk();
        Random random = new Random(42);
        for (int padding : new int[] {0, 480000}) {
            LogMelStream stream = new LogMelStream(80);
            for (int at = 0; at < jfk.length; ) {
                int to = Math.min(jfk.length, at + 1 + random.nextInt(5000));
                stream.accept(jfk, at, to);
                at = to;
            }
            assertTrue(stream.framesReady() > 1000, "frames computed while streaming: " + stream.framesReady());
            assertExactlyEqual(LogMel.compute(jfk, 80, padding), stream.finish(padding));
        }
    }

    @Test
    void sampleBySampleAndShortInputs() {
        for (String input : new String[] {"short", "tiny"}) {
            float[] samples = MelFixtures.vector("input_" + input);
            LogMelStream stream = new LogMelStream(128);
            for (int i = 0; i < samples.length; i++) stream.accept(samples, i, i + 1);
            assertExactlyEqual(LogMel.compute(samples, 128, 160), stream.finish(160));
        }
        LogMelStream empty = new LogMelStream(80);
        assertEquals(0, empty.finish(0)[0].length);
    }

    @Test
    void finishPaddedIsTheTranscribeForm() {
        float[] chirp = MelFixtures.vector("input_chirp");
        LogMelStream stream = new LogMelStream(80);
        stream.accept(chirp);
        assertExactlyEqual(LogMel.padded(chirp, 80), stream.finishPadded());
        assertThrows(IllegalStateException.class, () -> stream.accept(chirp));
    }

    /**
     * What the stream avoids: computing 30 s chunks on their own. A loud minute-long recording whose second
     * half-minute is quiet: the quiet chunk clamps against its own, lower max, and the frames at the seam see
     * reflected audio instead of their neighbours.
     */
    @Test
    void independentThirtySecondChunksDiffer() {
        float[] jfk = MelFixtures.jfk();
        float[] audio = new float[2 * 480000];
        for (int i = 0; i < audio.length; i++) audio[i] = jfk[i % jfk.length] * (i < 480000 ? 1f : 0.001f);
        float[][] whole = LogMel.compute(audio, 80);
        float[] first = java.util.Arrays.copyOfRange(audio, 0, 480000);
        float[] second = java.util.Arrays.copyOfRange(audio, 480000, audio.length);
        float[][] chunk1 = LogMel.compute(first, 80), chunk2 = LogMel.compute(second, 80);

        double seam = 0, quiet = 0;
        for (int m = 0; m < 80; m++) {
            for (int f = 0; f < 3000; f++) {
                double d1 = Math.abs(whole[m][f] - chunk1[m][f]), d2 = Math.abs(whole[m][3000 + f] - chunk2[m][f]);
                if (f >= 2998) seam = Math.max(seam, d1);
                else if (f <= 1) seam = Math.max(seam, d2);
                else quiet = Math.max(quiet, d2);
            }
        }
        System.out.printf("independent 30 s chunks vs whole: seam frames max |diff| %.3f, rest of quiet chunk %.3f%n",
                seam, quiet);
        assertTrue(quiet > 0.5, "the quiet chunk's own clamp changes its values: " + quiet);
        assertTrue(seam > 1e-3, "seam frames: " + seam);
    }

    /**
     * A file streamed in ragged reads, longer than one 30 s chunk (so batches of frames are split among threads and
     * chunk edges fall mid-frame): exactly transcribe's spectrogram of all its samples, whatever the size hint.
     */
    @Test
    void readingAStreamGivesThePaddedSpectrogram() {
        float[] jfk = MelFixtures.jfk();
        float[] audio = new float[75 * 16000 + 123];
        for (int i = 0; i < audio.length; i++) audio[i] = jfk[i % jfk.length] * (1f - 0.6f * i / audio.length);
        float[][] expected = LogMel.padded(audio, 80);
        for (double hint : new double[] {Double.NaN, 10.0, 75.0077, 600.0}) {
            for (int threads : new int[] {1, 3}) {
                LogMelStream.Spectrogram actual = LogMelStream.read(new RaggedStream(audio, new Random(5)), 80, threads, hint);
                assertEquals(expected[0].length, actual.frames());
                float[][] cut = new float[80][];
                for (int m = 0; m < 80; m++) {
                    cut[m] = java.util.Arrays.copyOf(actual.bands()[m], actual.frames());
                    for (int f = actual.frames(); f < actual.bands()[m].length; f++) assertEquals(0f, actual.bands()[m][f]);
                }
                assertExactlyEqual(expected, cut);
            }
        }
    }

    /** Hands out {@code samples} a random number at a time, as a decoder does. */
    private record RaggedStream(float[] samples, Random random, int[] at) implements AudioStream {
        RaggedStream(float[] samples, Random random) {
            this(samples, random, new int[1]);
        }

        @Override
        public AudioInfo info() {
            return new AudioInfo("test", "f32", 16000, 1, Double.NaN);
        }

        @Override
        public int read(float[] buf, int off, int len) {
            if (at[0] == samples.length) return -1;
            int n = Math.min(Math.min(len, 1 + random.nextInt(70000)), samples.length - at[0]);
            System.arraycopy(samples, at[0], buf, off, n);
            at[0] += n;
            return n;
        }

        @Override
        public void close() {
        }
    }

    private static void assertExactlyEqual(float[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int m = 0; m < expected.length; m++) assertArrayEquals(expected[m], actual[m], "mel " + m);
    }
}
