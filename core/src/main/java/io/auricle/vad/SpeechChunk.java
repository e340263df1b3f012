package io.auricle.vad;

/** A stretch of speech, in samples of the 16 kHz audio: {@code start} inclusive, {@code end} exclusive. */
public record SpeechChunk(int start, int end) {

    public SpeechChunk {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad speech chunk [" + start + ", " + end + ")");
        }
    }

    public int length() {
        return end - start;
    }
}
