package io.auricle.vad;

import java.util.List;

/**
 * The speech chunks laid end to end (the audio that gets transcribed), and the way back: a time on that
 * concatenated timeline to the same instant of the original audio.
 *
 * <p>A chunk boundary is one instant of the concatenated timeline but two of the original (the end of one chunk,
 * the start of the next, with removed silence between). faster-whisper resolves it one way for every time, so a
 * segment whose end lands on or just past a boundary is stretched over the whole silence to the next chunk's
 * start (faster-whisper issue #1119). Here starts and ends resolve differently: a start on a boundary belongs to
 * the next chunk, an end to the previous; a time is clamped into the chunk it is mapped through, so nothing is
 * placed inside removed silence; and a span that crosses a boundary only by the chunk's padding (where the VAD
 * heard no speech, plus less than a word) is kept on the side where its speech is.
 *
 * <p>Starts are also kept out of a chunk's leading padding: Whisper tends to start the first word of a window at
 * the window's first instant, which with VAD is the padding before the speech, in silence. A start that maps
 * into the padding before a chunk's speech onset (where the VAD found it) moves to that onset.
 */
public final class TimestampMap {

    /**
     * Seconds: a span reaching past a chunk's padding by less than this holds no word of that chunk (Whisper's
     * timestamps come in 20 ms steps and overshoot speech edges; the VAD's onset is in 32 ms steps).
     */
    static final double SHORTEST_WORD = 0.2;

    private final List<SpeechChunk> chunks;
    private final long[] concatStart;       // sample where chunk k starts on the concatenated timeline
    private final long[] concatEnd;
    private final double padSamples;
    private final double sampleRate;

    /**
     * @param chunks     speech chunks in order, in samples of the original audio (as {@link SpeechTimestamps} gives)
     * @param speechPadMs the padding the chunks were made with; a span crossing into a chunk's padding only
     *                   is not moved across the silence
     */
    public TimestampMap(List<SpeechChunk> chunks, int speechPadMs) {
        this.chunks = List.copyOf(chunks);
        this.sampleRate = SileroVad.SAMPLE_RATE;
        this.padSamples = sampleRate * speechPadMs / 1000;
        concatStart = new long[chunks.size()];
        concatEnd = new long[chunks.size()];
        long at = 0;
        int previousEnd = 0;
        for (int k = 0; k < chunks.size(); k++) {
            SpeechChunk c = chunks.get(k);
            if (c.start() < previousEnd) {
                throw new IllegalArgumentException("speech chunks overlap or are out of order at " + c);
            }
            previousEnd = c.end();
            concatStart[k] = at;
            at += c.length();
            concatEnd[k] = at;
        }
    }

    /** The audio to transcribe: the chunks' samples end to end. */
    public float[] concatenate(float[] audio) {
        return concatenated(audio, 0, totalSamples());
    }

    /** Samples {@code [from, to)} of the concatenation, copied from {@code audio} chunk by chunk. */
    public float[] concatenated(float[] audio, long from, long to) {
        if (from < 0 || from > to || to > totalSamples()) {
            throw new IllegalArgumentException("samples [" + from + ", " + to + ") of " + totalSamples());
        }
        float[] out = new float[Math.toIntExact(to - from)];
        for (int k = 0; k < chunks.size(); k++) {
            long a = Math.max(from, concatStart[k]), b = Math.min(to, concatEnd[k]);
            if (a < b) {
                System.arraycopy(audio, (int) (chunks.get(k).start() + a - concatStart[k]), out, (int) (a - from),
                        (int) (b - a));
            }
        }
        return out;
    }

    public long totalSamples() {
        return chunks.isEmpty() ? 0 : concatEnd[chunks.size() - 1];
    }

    public List<SpeechChunk> chunks() {
        return chunks;
    }

    /** The chunk a start at {@code time} (concatenated seconds) lies in; a boundary belongs to the later chunk. */
    public int chunkOfStart(double time) {
        double sample = time * sampleRate;
        for (int k = 0; k < chunks.size(); k++) {
            if (sample < concatEnd[k]) {
                return k;
            }
        }
        return chunks.size() - 1;
    }

    /** The chunk an end at {@code time} lies in; a boundary belongs to the earlier chunk. */
    public int chunkOfEnd(double time) {
        double sample = time * sampleRate;
        for (int k = 0; k < chunks.size(); k++) {
            if (sample <= concatEnd[k]) {
                return k;
            }
        }
        return chunks.size() - 1;
    }

    /** {@code time} (concatenated seconds) on the original timeline, through chunk {@code k} and clamped to it. */
    public double toOriginal(double time, int k) {
        double sample = Math.clamp(time * sampleRate, (double) concatStart[k], (double) concatEnd[k]);
        return (sample - concatStart[k] + chunks.get(k).start()) / sampleRate;
    }

    /**
     * A span {@code [start, end]} of concatenated seconds on the original timeline. A span crossing into a later
     * chunk by no more than that chunk's padding (plus {@link #SHORTEST_WORD}) ends in the earlier chunk; one that
     * starts as close to an earlier chunk's end starts in the later one. Returns {@code {start, end}}.
     */
    public double[] spanToOriginal(double start, double end) {
        if (chunks.isEmpty()) {
            return new double[] {start, end};
        }
        int first = chunkOfStart(start);
        int last = Math.max(first, chunkOfEnd(end));
        double reach = padSamples + SHORTEST_WORD * sampleRate;
        while (last > first && separated(last - 1) && end * sampleRate - concatStart[last] <= reach) {
            last--;
        }
        while (first < last && separated(first) && concatEnd[first] - start * sampleRate <= reach) {
            first++;
        }
        double to = toOriginal(Math.max(start, end), last);
        return new double[] {startToOriginal(start, first, to), to};
    }

    /**
     * A start time through chunk {@code k}, not before the chunk's speech onset when padding precedes it;
     * {@code notAfter} (the end of the same word or span) bounds the move.
     */
    public double startToOriginal(double time, int k, double notAfter) {
        double t = toOriginal(time, k);
        double onset = (chunks.get(k).start() + leadingPad(k)) / sampleRate;
        return t < onset ? Math.max(t, Math.min(onset, notAfter)) : t;
    }

    /**
     * Samples of padding before chunk {@code k}'s speech: the full pad where audio before the chunk was removed.
     * Chunks closer than two pads were padded by half their gap instead and touch (or leave one sample between,
     * from the halving), so nothing is removed there and there is no padding to skip.
     */
    private double leadingPad(int k) {
        boolean removedBefore = k == 0 ? chunks.get(0).start() > 0 : separated(k - 1);
        return removedBefore ? Math.min(padSamples, chunks.get(k).length()) : 0;
    }

    /** Whether silence was removed between chunk {@code k} and the next (more than the halving's one sample). */
    private boolean separated(int k) {
        return chunks.get(k + 1).start() - chunks.get(k).end() > 1;
    }
}
