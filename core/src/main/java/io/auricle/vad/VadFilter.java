package io.auricle.vad;

import io.auricle.audio.AudioConstants;
import io.auricle.audio.LogMel;
import io.auricle.audio.LogMelStream;
import io.auricle.transcribe.Segment;
import io.auricle.transcribe.Transcription;
import io.auricle.transcribe.Word;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Transcribing only the speech (faster-whisper's {@code vad_filter}): the speech chunks of the audio laid end to
 * end for the model, and the segments it returns put back on the original timeline through a {@link TimestampMap}.
 * A segment with words takes its times from its words, each mapped through the chunk its middle lies in (as
 * faster-whisper does) but clamped to that chunk and not starting in the padding before its speech; a segment
 * without words maps as a span, so its end stays where its speech ends.
 */
public final class VadFilter {

    private final TimestampMap map;
    private final float[] audio;
    /** The concatenation, made when first asked for: the batched pipeline only ever takes pieces of it. */
    private float[] speech;
    private final double originalDuration;

    private VadFilter(TimestampMap map, float[] audio, int length) {
        this.map = map;
        this.audio = audio;
        this.originalDuration = (double) length / SileroVad.SAMPLE_RATE;
    }

    /** Finds the speech in {@code audio} (16 kHz mono) and prepares its concatenation. */
    public static VadFilter apply(SileroVad vad, float[] audio, VadOptions options) {
        return apply(vad, audio, audio.length, options);
    }

    /**
     * As {@link #apply(SileroVad, float[], VadOptions)} on the first {@code length} samples of {@code audio} (a file's
     * samples in the array they were read into, {@link io.auricle.audio.AudioFile#readAllUntrimmed}).
     */
    public static VadFilter apply(SileroVad vad, float[] audio, int length, VadOptions options) {
        List<SpeechChunk> chunks = SpeechTimestamps.detect(vad, audio, length, options);
        return new VadFilter(new TimestampMap(chunks, options.speechPadMs()), audio, length);
    }

    /** Given chunks of {@code audio} (clip timestamps, say) instead of the VAD's; {@code padMs}: their padding. */
    public static VadFilter ofChunks(List<SpeechChunk> chunks, float[] audio, int padMs) {
        return ofChunks(chunks, audio, audio.length, padMs);
    }

    /** As {@link #ofChunks(List, float[], int)}, for the first {@code length} samples of {@code audio}. */
    public static VadFilter ofChunks(List<SpeechChunk> chunks, float[] audio, int length, int padMs) {
        return new VadFilter(new TimestampMap(chunks, padMs), audio, length);
    }

    /** The samples to transcribe: the speech chunks end to end. */
    public float[] speech() {
        if (speech == null) speech = map.concatenate(audio);
        return speech;
    }

    /**
     * {@code LogMel.padded(speech(), nMels)}, exactly, fed chunk by chunk from the file's samples: the window-by-window
     * path then never holds the concatenation (a second copy of a long file's speech).
     */
    public float[][] paddedSpectrogram(int nMels, int threads) {
        int frames = LogMel.frameCount(map.totalSamples() + AudioConstants.N_SAMPLES);
        LogMelStream stream = new LogMelStream(nMels, threads, frames);
        for (SpeechChunk c : map.chunks()) stream.accept(audio, c.start(), c.end());
        return stream.finishPadded();
    }

    /**
     * Samples {@code [from, to)} of {@link #speech()}, without making the whole of it (a second copy of a long
     * file's speech beside the file's own samples).
     */
    public float[] speech(long from, long to) {
        return speech != null ? Arrays.copyOfRange(speech, (int) from, (int) to) : map.concatenated(audio, from, to);
    }

    public TimestampMap map() {
        return map;
    }

    /** Seconds of the original audio. */
    public double originalDuration() {
        return originalDuration;
    }

    /** A segment of the concatenated speech, on the original timeline. */
    public Segment restore(Segment s) {
        if (map.chunks().isEmpty()) {
            return s;
        }
        double start;
        double end;
        List<Word> words = s.words();
        if (!words.isEmpty()) {
            List<Word> mapped = new ArrayList<>(words.size());
            for (Word w : words) {
                int chunk = map.chunkOfStart((w.start() + w.end()) / 2);
                double wordEnd = map.toOriginal(w.end(), chunk);
                mapped.add(new Word(map.startToOriginal(w.start(), chunk, wordEnd), wordEnd, w.word(), w.probability()));
            }
            words = List.copyOf(mapped);
            start = words.getFirst().start();
            end = words.getLast().end();
        } else {
            double[] span = map.spanToOriginal(s.start(), s.end());
            start = span[0];
            end = span[1];
        }
        return new Segment(s.id(), s.seek(), start, end, s.text(), s.tokens(), s.temperature(), s.avgLogprob(),
                s.compressionRatio(), s.noSpeechProb(), words);
    }

    /** A whole transcription of the speech, on the original timeline and with the original duration. */
    public Transcription restore(Transcription t) {
        List<Segment> segments = new ArrayList<>(t.segments().size());
        for (Segment s : t.segments()) {
            segments.add(restore(s));
        }
        return new Transcription(t.language(), t.languageProbability(), originalDuration, List.copyOf(segments));
    }
}
