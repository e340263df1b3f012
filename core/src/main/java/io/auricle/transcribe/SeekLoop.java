package io.auricle.transcribe;

import static io.auricle.audio.AudioConstants.FRAMES_PER_SECOND;

import io.auricle.audio.LogMel;
import io.auricle.decoding.DecodingOptions;
import io.auricle.decoding.DecodingResult;
import io.auricle.decoding.DecodingTask;
import io.auricle.decoding.Mt19937;
import io.auricle.model.KvCache;
import io.auricle.model.WhisperModel;
import io.auricle.timing.AlignmentLag;
import io.auricle.timing.AlignmentCapture;
import io.auricle.timing.AlignmentPass;
import io.auricle.timing.SilenceClamp;
import io.auricle.timing.WordAligner;
import io.auricle.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * openai-whisper's transcribe() loop, one window per {@link #next()} call, so a caller can stop between
 * windows: 30 s windows within the clips, temperature fallback, the no-speech skip, segments cut at
 * timestamp pairs, the seek moved to the last complete segment (or the last word, with word timestamps),
 * the prompt from the text so far, and the hallucination-silence skipping.
 *
 * <p>Where it differs from the reference, on purpose: segments that come out empty or instantaneous are
 * dropped (the reference keeps them with empty text; faster-whisper drops them); a window whose only
 * segment ends on its first timestamp still advances by the whole window (the reference would loop); a
 * window that is all digital silence (every frame at the spectrogram's floor) is skipped undecoded (the
 * reference hears " you" in 30 s of zeros).
 */
final class SeekLoop implements SegmentSource {
    /** Mel frames per encoder position (conv2's stride). */
    private static final int INPUT_STRIDE = 2;
    private static final double TIME_PRECISION = DecodingTask.TIME_PRECISION;
    /** Marks that do not count as words when scoring a segment for hallucination (the reference's list). */
    private static final String PUNCTUATION = "\"'\u201c\u00bf([{-\"'.\u3002,\uff0c!\uff01?\uff1f:\uff1a\u201d)]}\u3001";

    private final WhisperModel model;
    private final Tokenizer tokenizer;
    private final TranscribeOptions options;
    private final String language;
    private final float[][] mel;
    private final int contentFrames;
    private final int audioCtx;
    private final int windowFrames;
    private final int[][] clips;
    private final WordAligner aligner;
    /** The lowest value of the spectrogram: its clamp floor, (max - 8 + 4) / 4. */
    private final float globalFloor;

    private final List<Integer> allTokens = new ArrayList<>();
    /** The fallback's random numbers, one stream through the whole transcription (as CTranslate2's). */
    private final Mt19937 sampler;
    /** The last window's arrays, which the next window overwrites; handed to {@code whenDone} at the end. */
    private final WindowBuffers buffers;
    private java.util.function.Consumer<WindowBuffers> whenDone;
    private int promptResetSince;
    private int clipIndex;
    private int seek;
    private double lastSpeechTimestamp;
    private final AlignmentCapture passCapture; // the alignment pass's rows, written over window after window

    /**
     * @param mel           a padded spectrogram ({@link LogMel#padded}): windows are cut from its first
     *                      {@code contentFrames} frames
     * @param language      the decoding language (null on English-only models)
     * @param buffers       arrays of an earlier transcription of this model (or new ones), given to
     *                      {@code whenDone} once the last window is decoded
     */
    SeekLoop(WhisperModel model, Tokenizer tokenizer, float[][] mel, int contentFrames, TranscribeOptions options,
             String language, WindowBuffers buffers, java.util.function.Consumer<WindowBuffers> whenDone) {
        this.model = model;
        this.buffers = buffers;
        this.whenDone = whenDone;
        this.tokenizer = tokenizer;
        this.options = options;
        this.sampler = new Mt19937(options.decoding().seed());
        this.language = language;
        this.mel = mel;
        this.contentFrames = contentFrames;
        this.audioCtx = options.audioCtx() > 0 ? Math.min(options.audioCtx(), model.dims().nAudioCtx())
                : model.dims().nAudioCtx();
        this.windowFrames = INPUT_STRIDE * audioCtx;
        this.clips = clips(options.clipTimestamps(), contentFrames);
        this.aligner = WordAligner.of(tokenizer, language,
                new WordAligner.Options(7, 1.0, options.prependPunctuations(), options.appendPunctuations()));
        this.passCapture = new AlignmentCapture(model.checkpoint().alignmentHeads());
        if (options.initialPrompt() != null) {
            for (int t : tokenizer.encode(" " + options.initialPrompt().strip())) allTokens.add(t);
        }
        this.seek = clips.length > 0 ? clips[0][0] : contentFrames;
        float min = Float.POSITIVE_INFINITY;
        for (float[] row : mel) for (int f = 0; f < contentFrames; f++) min = Math.min(min, row[f]);
        this.globalFloor = min;
    }

    /** The clips as [start, end) mel frames, as the reference parses clip_timestamps. */
    static int[][] clips(double[] clipTimestamps, int contentFrames) {
        List<Integer> points = new ArrayList<>();
        for (double t : clipTimestamps) points.add((int) Math.rint(t * FRAMES_PER_SECOND));
        if (points.isEmpty()) points.add(0);
        if (points.size() % 2 == 1) points.add(contentFrames);
        int[][] clips = new int[points.size() / 2][];
        for (int i = 0; i < clips.length; i++) clips[i] = new int[] {points.get(2 * i), points.get(2 * i + 1)};
        return clips;
    }

    /** Mel frames up to which the audio has been transcribed (for progress). */
    @Override
    public int position() {
        return Math.min(seek, contentFrames);
    }

    /** Moves to the next window to decode; false when every clip is done. */
    private boolean advanceToWindow() {
        while (clipIndex < clips.length) {
            int clipStart = clips[clipIndex][0], clipEnd = clips[clipIndex][1];
            if (seek < clipStart) seek = clipStart;
            if (seek < clipEnd && seek < contentFrames) return true;
            clipIndex++;
            if (clipIndex < clips.length) seek = clips[clipIndex][0];
        }
        seek = Math.max(seek, contentFrames);
        if (whenDone != null) {
            whenDone.accept(buffers);
            whenDone = null;
        }
        return false;
    }

    @Override
    public boolean hasNext() {
        return advanceToWindow();
    }

    /** Decodes the next window and returns its segments (possibly none); call only after {@link #hasNext()}. */
    @Override
    public List<Segment> next() {
        if (!advanceToWindow()) throw new IllegalStateException("no window left");
        int clipEnd = clips[clipIndex][1];
        double timeOffset = (double) seek / FRAMES_PER_SECOND;
        double windowEndTime = (double) (seek + 3000) / FRAMES_PER_SECOND;
        int segmentSize = Math.min(windowFrames, Math.min(contentFrames - seek, clipEnd - seek));
        double segmentDuration = (double) segmentSize / FRAMES_PER_SECOND;
        if (isFloor(seek, segmentSize)) { // nothing within the 80 dB Whisper hears: the model would only hallucinate
            seek += segmentSize;
            return List.of();
        }
        WindowBuffers b = buffers;
        b.window = LogMel.window(mel, seek, segmentSize, b.window);
        b.features = model.embedAudio(b.window, audioCtx, b.features);
        KvCache cache = b.cache = model.newCache(b.features, b.cache);

        int[] prompt = allTokens.subList(promptResetSince, allTokens.size()).stream().mapToInt(Integer::intValue).toArray();
        DecodingOptions decoding = options.decoding().withPrompt(prompt);
        if (language != null && !language.equals(decoding.language())) decoding = withLanguage(decoding, language);
        DecodingResult result = decodeWithFallback(cache, decoding);

        // No voice activity: skip the window unless the text is likely despite the no-speech probability.
        boolean skip = result.noSpeechProb() > options.noSpeechThreshold()
                && !(result.avgLogProb() > options.logProbThreshold());
        if (skip) {
            seek += segmentSize;
            return List.of();
        }

        int previousSeek = seek;
        int[] tokens = result.tokens();
        int n = tokens.length;
        boolean singleTimestampEnding = n >= 2 && !tokenizer.isTimestamp(tokens[n - 2]) && tokenizer.isTimestamp(tokens[n - 1]);
        List<Segment> current = new ArrayList<>();
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            if (tokenizer.isTimestamp(tokens[i - 1]) && tokenizer.isTimestamp(tokens[i])) cuts.add(i);
        }
        if (!cuts.isEmpty()) {
            if (singleTimestampEnding) cuts.add(n);
            int last = 0;
            for (int cut : cuts) {
                int[] sliced = Arrays.copyOfRange(tokens, last, cut);
                current.add(segment(result, previousSeek, timeOffset + seconds(sliced[0]),
                        timeOffset + seconds(sliced[sliced.length - 1]), sliced));
                last = cut;
            }
            if (singleTimestampEnding) {
                seek += segmentSize;
            } else {
                int advance = (tokens[last - 1] - tokenizer.timestampBegin()) * INPUT_STRIDE;
                seek += advance > 0 ? advance : segmentSize; // the reference would decode this window forever
            }
        } else {
            double duration = segmentDuration;
            for (int i = n - 1; i >= 0; i--) {
                if (tokenizer.isTimestamp(tokens[i])) {
                    if (tokens[i] != tokenizer.timestampBegin()) duration = seconds(tokens[i]);
                    break;
                }
            }
            current.add(segment(result, previousSeek, timeOffset, timeOffset + duration, tokens));
            seek += segmentSize;
        }

        if (options.wordTimestamps()) {
            current = addWordTimestamps(current, segmentSize);
            if (!singleTimestampEnding) {
                Double lastWordEnd = end(current);
                if (lastWordEnd != null && lastWordEnd > timeOffset) seek = (int) Math.rint(lastWordEnd * FRAMES_PER_SECOND);
            }
            double threshold = options.hallucinationSilenceThreshold();
            if (!Double.isNaN(threshold)) {
                if (!singleTimestampEnding) {
                    Double lastWordEnd = end(current);
                    if (lastWordEnd != null && lastWordEnd > timeOffset) {
                        seek = windowEndTime - lastWordEnd > threshold ? (int) Math.rint(lastWordEnd * FRAMES_PER_SECOND)
                                : previousSeek + segmentSize;
                    }
                }
                // a first segment that looks hallucinated after a long silence: skip the silence, decode again
                Segment first = nextWordsSegment(current, 0);
                if (first != null && isAnomaly(first)) {
                    double gap = first.start() - timeOffset;
                    if (gap > threshold) {
                        seek = previousSeek + (int) Math.rint(gap * FRAMES_PER_SECOND);
                        return List.of();
                    }
                }
                current = dropHallucinationInSilence(current, threshold, timeOffset, segmentDuration, windowEndTime);
            }
            Double lastWordEnd = end(current);
            if (lastWordEnd != null) lastSpeechTimestamp = lastWordEnd;
        }

        List<Segment> kept = new ArrayList<>();
        for (Segment s : current) {
            if (s.start() == s.end() || s.text().isBlank()) continue;
            kept.add(s);
            for (int t : s.tokens()) allTokens.add(t);
        }
        if (!options.conditionOnPreviousText() || result.temperature() > 0.5) promptResetSince = allTokens.size();
        // only the times we give out move: the seek and the prompt stay the reference's, so do the tokens
        if (options.wordTimestamps() && options.refineWordTimestamps()) {
            kept = SilenceClamp.apply(AlignmentLag.shift(kept, AlignmentLag.of(model.dims())),
                    SilenceClamp.silences(mel, previousSeek, segmentSize, globalFloor));
        }
        return kept;
    }

    /**
     * Whether every frame of the window sits at the spectrogram's clamp floor (80 dB under the loudest frame of
     * the recording: digital silence). The reference decodes such windows and tiny.en says " you" on 30 s of
     * zeros (faster-whisper too); we skip them.
     */
    private boolean isFloor(int from, int frames) {
        float floor = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float[] row : mel) {
            for (int f = from; f < from + frames; f++) {
                floor = Math.min(floor, row[f]);
                max = Math.max(max, row[f]);
            }
        }
        return max == floor && max <= globalFloor;
    }

    /**
     * Skips the silence before a suspected hallucination that is surrounded by silence or more suspects:
     * the segments from it on are dropped and the next window starts at it (or at the end).
     */
    private List<Segment> dropHallucinationInSilence(List<Segment> current, double threshold, double timeOffset,
                                                     double segmentDuration, double windowEndTime) {
        double halLastEnd = lastSpeechTimestamp;
        double contentDuration = (double) contentFrames / FRAMES_PER_SECOND;
        for (int si = 0; si < current.size(); si++) {
            Segment segment = current.get(si);
            if (segment.words().isEmpty()) continue;
            if (isAnomaly(segment)) {
                Segment next = nextWordsSegment(current, si + 1);
                double halNextStart = next != null ? next.words().getFirst().start() : timeOffset + segmentDuration;
                boolean silenceBefore = segment.start() - halLastEnd > threshold || segment.start() < threshold
                        || segment.start() - timeOffset < 2.0;
                boolean silenceAfter = halNextStart - segment.end() > threshold || isAnomaly(next)
                        || windowEndTime - segment.end() < 2.0;
                if (silenceBefore && silenceAfter) {
                    seek = (int) Math.rint(Math.max(timeOffset + 1, segment.start()) * FRAMES_PER_SECOND);
                    if (contentDuration - segment.end() < threshold) seek = contentFrames;
                    return new ArrayList<>(current.subList(0, si));
                }
            }
            halLastEnd = segment.end();
        }
        return current;
    }

    /** Words that are very long, very short or improbable score high. */
    static double wordAnomalyScore(Word word) {
        double duration = word.end() - word.start();
        double score = 0;
        if (word.probability() < 0.15) score += 1.0;
        if (duration < 0.133) score += (0.133 - duration) * 15;
        if (duration > 2.0) score += duration - 2.0;
        return score;
    }

    static boolean isAnomaly(Segment segment) {
        if (segment == null || segment.words().isEmpty()) return false;
        List<Word> words = segment.words().stream().filter(w -> !PUNCTUATION.contains(w.word())).limit(8).toList();
        double score = words.stream().mapToDouble(SeekLoop::wordAnomalyScore).sum();
        return score >= 3 || score + 0.01 >= words.size();
    }

    private static Segment nextWordsSegment(List<Segment> segments, int from) {
        for (int i = from; i < segments.size(); i++) if (!segments.get(i).words().isEmpty()) return segments.get(i);
        return null;
    }

    /** The reference's get_end: the last word's end, else the last segment's end; null without segments. */
    static Double end(List<Segment> segments) {
        for (int i = segments.size() - 1; i >= 0; i--) {
            List<Word> words = segments.get(i).words();
            if (!words.isEmpty()) return words.getLast().end();
        }
        return segments.isEmpty() ? null : segments.getLast().end();
    }

    /** add_word_timestamps over this window's segments: one alignment pass over all their text tokens. */
    private List<Segment> addWordTimestamps(List<Segment> segments, int segmentSize) {
        if (segments.isEmpty()) return segments;
        int numFrames = Math.min(segmentSize, windowFrames);
        int[] textTokens = aligner.textTokens(segments);
        AlignmentPass.Result pass = textTokens.length == 0 ? new AlignmentPass.Result(new float[0][][], new float[0])
                : AlignmentPass.run(model, buffers.cache, tokenizer.sotSequence(language, options.decoding().task()),
                        tokenizer.noTimestamps(), tokenizer.eot(), textTokens, passCapture);
        return new ArrayList<>(aligner.addWordTimestamps(segments, pass.attention(), WordAligner.Attention.PROBABILITIES,
                pass.textTokenProbs(), numFrames, lastSpeechTimestamp));
    }

    /**
     * The reference's decode_with_fallback: each temperature in turn until the text is neither too repetitive
     * nor too unlikely (or the window is silence). When all fail, faster-whisper's choice rather than openai's
     * last try (a sample at temperature 1): the likeliest try that is not too repetitive, else the likeliest of
     * all, reported at the last temperature (so the prompt is reset after it, as in both).
     */
    private DecodingResult decodeWithFallback(KvCache cache, DecodingOptions decoding) {
        List<DecodingResult> tries = new ArrayList<>();
        List<DecodingResult> notRepetitive = new ArrayList<>();
        DecodingResult result = null;
        for (double t : options.temperatures()) {
            result = new DecodingTask(model, tokenizer, decoding.withTemperature(t)).run(cache, null, sampler);
            tries.add(result);
            boolean repetitive = result.compressionRatio() > options.compressionRatioThreshold();
            if (!repetitive) notRepetitive.add(result);
            boolean needsFallback = repetitive || result.avgLogProb() < options.logProbThreshold();
            if (result.noSpeechProb() > options.noSpeechThreshold() && result.avgLogProb() < options.logProbThreshold()) {
                needsFallback = false; // silence
            }
            if (!needsFallback) return result;
        }
        DecodingResult best = null;
        for (DecodingResult r : notRepetitive.isEmpty() ? tries : notRepetitive) {
            if (best == null || r.avgLogProb() > best.avgLogProb()) best = r;
        }
        return best.withTemperature(result.temperature());
    }

    private Segment segment(DecodingResult r, int seek, double start, double end, int[] tokens) {
        int[] text = Arrays.stream(tokens).filter(t -> t < tokenizer.eot()).toArray();
        return new Segment(0, seek, start, end, tokenizer.decode(text), tokens, r.temperature(), r.avgLogProb(),
                r.compressionRatio(), r.noSpeechProb(), List.of());
    }

    private double seconds(int timestampToken) {
        return (timestampToken - tokenizer.timestampBegin()) * TIME_PRECISION;
    }

    private static DecodingOptions withLanguage(DecodingOptions d, String language) {
        return d.withLanguage(language, d.task());
    }
}
