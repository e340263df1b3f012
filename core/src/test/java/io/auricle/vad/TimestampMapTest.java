package io.auricle.vad;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The concatenated-to-original mapping on hand-built chunks (16 kHz: 16000 samples a second). */
class TimestampMapTest {

    // Speech at 1-3 s, 10-12 s (7 s of silence removed between) and 12-14 s (touching: nothing removed).
    static final List<SpeechChunk> CHUNKS = List.of(
            new SpeechChunk(16000, 48000), new SpeechChunk(160000, 192000), new SpeechChunk(192000, 224000));
    static final TimestampMap MAP = new TimestampMap(CHUNKS, 400);

    @Test
    void concatenatesTheChunks() {
        float[] audio = new float[240000];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = i;
        }
        float[] joined = MAP.concatenate(audio);
        assertEquals(96000, joined.length);
        assertEquals(16000f, joined[0]);
        assertEquals(47999f, joined[31999]);
        assertEquals(160000f, joined[32000]);
        assertEquals(223999f, joined[95999]);
        // pieces of it without making all of it (the batched pipeline's windows), across chunk boundaries
        for (int[] r : new int[][] {{0, 96000}, {0, 0}, {31990, 32010}, {5, 64001}, {63999, 96000}, {40000, 41000}}) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(java.util.Arrays.copyOfRange(joined, r[0], r[1]),
                    MAP.concatenated(audio, r[0], r[1]), r[0] + ".." + r[1]);
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> MAP.concatenated(audio, 0, 96001));
    }

    @Test
    void timesInsideAChunkShiftByTheSilenceBeforeIt() {
        assertEquals(1.5, MAP.toOriginal(0.5, MAP.chunkOfStart(0.5)), 1e-12);
        assertEquals(10.25, MAP.toOriginal(2.25, MAP.chunkOfStart(2.25)), 1e-12);
        assertEquals(13.5, MAP.toOriginal(5.5, MAP.chunkOfEnd(5.5)), 1e-12);
    }

    @Test
    void aBoundaryIsTheNextChunkForAStartAndThePreviousForAnEnd() {
        assertEquals(1, MAP.chunkOfStart(2.0));
        assertEquals(0, MAP.chunkOfEnd(2.0));
        assertEquals(10.0, MAP.toOriginal(2.0, MAP.chunkOfStart(2.0)), 1e-12);
        assertEquals(3.0, MAP.toOriginal(2.0, MAP.chunkOfEnd(2.0)), 1e-12);
    }

    @Test
    void anEndJustPastABoundaryStaysWithItsSpeech() {
        // faster-whisper's SpeechTimestampsMap maps an end at 2.02 s to 10.02 s: the segment swallows the
        // 7 s silence (its issue #1119). Inside the next chunk's 0.4 s padding, it ends where chunk 0 ends.
        assertArrayEquals(new double[] {1.5, 3.0}, MAP.spanToOriginal(0.5, 2.02), 1e-12);
        assertArrayEquals(new double[] {1.5, 3.0}, MAP.spanToOriginal(0.5, 2.4), 1e-12);
        // 8 ms past the padding is still no word of chunk 1 (a real segment of the declaration ended so)
        assertArrayEquals(new double[] {1.5, 3.0}, MAP.spanToOriginal(0.5, 2.408), 1e-12);
        // Well past the padding there is speech in chunk 1: the segment really spans the silence.
        assertArrayEquals(new double[] {1.5, 10.7}, MAP.spanToOriginal(0.5, 2.7), 1e-12);
    }

    @Test
    void aStartJustBeforeABoundaryMovesToTheNextChunk() {
        // ... and not into the 0.4 s padding before chunk 1's speech: to its onset, 10.4 s
        assertArrayEquals(new double[] {10.4, 11.0}, MAP.spanToOriginal(1.9, 3.0), 1e-12);
        assertArrayEquals(new double[] {10.4, 11.0}, MAP.spanToOriginal(1.5, 3.0), 1e-12);
        assertArrayEquals(new double[] {2.3, 11.0}, MAP.spanToOriginal(1.3, 3.0), 1e-12);
    }

    @Test
    void startsInTheLeadingPaddingMoveToTheSpeechOnset() {
        // Whisper starts a window's first word at its first instant: in chunk 0's padding (1.0-1.4 s).
        assertArrayEquals(new double[] {1.4, 2.0}, MAP.spanToOriginal(0.0, 1.0), 1e-12);
        assertEquals(10.2, MAP.startToOriginal(2.1, 1, 10.2), 1e-12);   // not past the word's own end
        assertEquals(10.5, MAP.startToOriginal(2.5, 1, 11.0), 1e-12);   // after the onset: unchanged
        // chunk 2 touches chunk 1: no padding of its own to skip
        assertEquals(12.0, MAP.startToOriginal(4.0, 2, 13.0), 1e-12);
        // a chunk at the very start of the audio was not padded on the left
        TimestampMap fromZero = new TimestampMap(List.of(new SpeechChunk(0, 32000)), 400);
        assertEquals(0.1, fromZero.startToOriginal(0.1, 0, 1.0), 1e-12);
        // halving an odd gap leaves one sample between chunks: still touching, nothing to skip
        TimestampMap halved = new TimestampMap(List.of(new SpeechChunk(0, 16000), new SpeechChunk(16001, 32000)), 400);
        assertEquals(1.0000625, halved.startToOriginal(1.0, 1, 2.0), 1e-12);
        assertArrayEquals(new double[] {0.5, 1.5000625}, halved.spanToOriginal(0.5, 1.5), 1e-12);
    }

    @Test
    void touchingChunksMapContinuously() {
        // Chunks 1 and 2 touch on the original timeline: 4.0 s is 12.0 s from either side, no padding rule.
        assertArrayEquals(new double[] {11.9, 12.1}, MAP.spanToOriginal(3.9, 4.1), 1e-12);
        assertArrayEquals(new double[] {11.0, 12.0}, MAP.spanToOriginal(3.0, 4.0), 1e-12);
    }

    @Test
    void timesPastTheEndAreClampedIntoTheLastChunk() {
        assertArrayEquals(new double[] {13.0, 14.0}, MAP.spanToOriginal(5.0, 7.5), 1e-12);
        assertArrayEquals(new double[] {1.0, 1.0}, MAP.spanToOriginal(-0.1, 0.0), 1e-12);
    }

    @Test
    void noChunksMeansNothingIsRemoved() {
        TimestampMap none = new TimestampMap(List.of(), 400);
        assertEquals(0, none.concatenate(new float[100]).length);
        assertArrayEquals(new double[] {1.0, 2.0}, none.spanToOriginal(1.0, 2.0), 1e-12);
    }

    @Test
    void overlappingChunksAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new TimestampMap(List.of(new SpeechChunk(0, 100), new SpeechChunk(50, 200)), 400));
    }
}
