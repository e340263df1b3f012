package io.auricle.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Against faster-whisper's numpy FeatureExtractor with the same padding (tools/python/make_mel_fixtures.py). */
class LogMelTest {
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @CsvSource({"80", "128"})
    void jfkMatchesReference(int nMels) {
        assertClose("mel_jfk_" + nMels + "_pad0", LogMel.compute(MelFixtures.jfk(), nMels));
    }

    @ParameterizedTest
    @CsvSource({"chirp, 80, 0", "chirp, 128, 0", "short, 80, 0", "short, 80, 160", "tiny, 80, 0"})
    void generatedSignalsMatchReference(String input, int nMels, int padding) {
        float[] samples = MelFixtures.vector("input_" + input);
        assertClose("mel_" + input + "_" + nMels + "_pad" + padding, LogMel.compute(samples, nMels, padding));
    }

    @Test
    void transcribeFormPadsThirtySecondsOfZeros() {
        float[] jfk = MelFixtures.jfk();
        float[][] padded = LogMel.padded(jfk, 80);
        assertEquals((jfk.length + 480000) / 160, padded[0].length);
        assertEquals(jfk.length / 160, LogMel.contentFrames(padded));
        float[][] slice = new float[80][];
        for (int m = 0; m < 80; m++) slice[m] = Arrays.copyOfRange(padded[m], 1000, 1200);
        assertClose("mel_jfk_80_padN_frames1000to1200", slice);
    }

    /** The padded form of the first samples of a longer array is that of those samples alone, whatever follows. */
    @Test
    void paddedOfALengthIgnoresWhatLiesPastIt() {
        float[] jfk = MelFixtures.jfk();
        float[] roomy = Arrays.copyOf(jfk, jfk.length + 4321);
        Arrays.fill(roomy, jfk.length, roomy.length, 0.7f);
        float[][] expected = LogMel.padded(jfk, 80, 2), actual = LogMel.padded(roomy, jfk.length, 80, 2);
        assertEquals(expected.length, actual.length);
        for (int m = 0; m < expected.length; m++) assertArrayEquals(expected[m], actual[m], "mel " + m);
        assertThrows(IndexOutOfBoundsException.class, () -> LogMel.padded(jfk, jfk.length + 1, 80, 1));
    }

    @Test
    void paddedContentIsThePaddedFormWithoutTheSilence() {
        float[] chirp = MelFixtures.vector("input_chirp");
        float[][] padded = LogMel.padded(chirp, 80);
        float[][] content = LogMel.paddedContent(chirp, 80, 1);
        float[][] unpadded = LogMel.compute(chirp, 80);
        int frames = LogMel.contentFrames(padded);
        assertEquals(frames, content[0].length);
        for (int m = 0; m < 80; m++) {
            assertArrayEquals(Arrays.copyOf(padded[m], frames), content[m]);
            // only the last two frames reach past the audio's end, where padding=0 reflects the audio itself
            assertArrayEquals(Arrays.copyOf(unpadded[m], frames - 2), Arrays.copyOf(content[m], frames - 2));
        }
    }

    @Test
    void windowCopiesFramesAndPadsWithZerosLikePadOrTrim() {
        float[][] padded = LogMel.padded(MelFixtures.vector("input_chirp"), 80);
        int content = LogMel.contentFrames(padded);
        float[][] window = LogMel.window(padded, 100, content - 100);
        assertEquals(3000, window[0].length);
        for (int m = 0; m < 80; m++) {
            assertArrayEquals(Arrays.copyOfRange(padded[m], 100, content), Arrays.copyOfRange(window[m], 0, content - 100));
            assertArrayEquals(new float[3000 - (content - 100)], Arrays.copyOfRange(window[m], content - 100, 3000));
        }
        assertThrows(IllegalArgumentException.class, () -> LogMel.window(padded, padded[0].length - 10, 11));
        assertThrows(IllegalArgumentException.class, () -> LogMel.window(padded, 0, 3001));
    }

    @Test
    void threadsGiveIdenticalResults() {
        float[] jfk = MelFixtures.jfk();
        float[][] one = LogMel.compute(jfk, 80, 0, 1);
        float[][] three = LogMel.compute(jfk, 80, 0, 3);
        // Bit-identical: MelKernel.log10 uses only IEEE operations, so interpreted and compiled frames agree
        // (VectorOperators.LOG10 did not: SVML in C2 vs Math.log10 in the interpreter, an ulp apart).
        for (int m = 0; m < 80; m++) assertArrayEquals(one[m], three[m]);
    }

    @Test
    void silenceIsTheFloorEverywhere() {
        // log10(1e-10) = -10 is also the max, so nothing is clamped: (-10 + 4) / 4
        float[][] mel = LogMel.compute(new float[16000], 80);
        for (float[] row : mel) for (float v : row) assertEquals(-1.5f, v);
    }

    @Test
    void fewerSamplesThanOneHopGiveNoFrames() {
        assertEquals(0, LogMel.compute(new float[159], 80)[0].length);
        assertEquals(1, LogMel.compute(new float[160], 80)[0].length);
        assertEquals(0, LogMel.compute(new float[0], 128)[127].length);
    }

    @Test
    void everyFrameIsClampedToEightBelowTheMaximum() {
        float[][] mel = LogMel.compute(MelFixtures.jfk(), 80);
        float max = Float.NEGATIVE_INFINITY, min = Float.POSITIVE_INFINITY;
        for (float[] row : mel) for (float v : row) { max = Math.max(max, v); min = Math.min(min, v); }
        assertEquals(max - 2.0f, min, 1e-6f); // (max - 8 + 4) / 4 = (max + 4) / 4 - 2
    }

    private static void assertClose(String fixture, float[][] actual) {
        double diff = MelFixtures.maxAbsDiff(MelFixtures.matrix(fixture), actual);
        assertTrue(diff <= TOLERANCE, fixture + ": max |diff| " + diff);
        System.out.printf("%s: max |diff| %.2e%n", fixture, diff);
    }
}
