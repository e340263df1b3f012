package io.auricle.transcribe;

import static io.auricle.audio.AudioConstants.FRAMES_PER_SECOND;

import io.auricle.audio.LogMel;
import io.auricle.decoding.DecodingOptions;
import io.auricle.decoding.DecodingResult;
import io.auricle.decoding.DecodingTask;
import io.auricle.model.KvCache;
import io.auricle.model.WhisperModel;
import io.auricle.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Transcribes a log-mel spectrogram window by window, as faster-whisper's transcribe: each window is the
 * next (at most) 30 s of frames, zero-padded; decoding falls back to hotter temperatures on repetitive or
 * unlikely text; silent windows are skipped; timestamp pairs cut the text into segments, and the next window
 * starts at the last complete segment's end.
 */
public final class Transcriber {
    /** Mel frames per encoder position (conv2's stride). */
    private static final int INPUT_STRIDE = 2;

    private final WhisperModel model;
    private final Tokenizer tokenizer;

    public Transcriber(WhisperModel model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /** Transcribes 16 kHz mono samples. */
    public Transcription transcribe(float[] samples, TranscribeOptions options) {
        float[][] mel = LogMel.padded(samples, model.dims().nMels());
        return transcribe(mel, LogMel.contentFrames(mel), options);
    }

    /**
     * Transcribes the first {@code contentFrames} frames of {@code mel [nMels][frames]} (frames past them, if any,
     * are never read: each window is zero-padded, as the reference does).
     */
    public Transcription transcribe(float[][] mel, int contentFrames, TranscribeOptions options) {
        int audioCtx = options.audioCtx() > 0 ? Math.min(options.audioCtx(), model.dims().nAudioCtx())
                : model.dims().nAudioCtx();
        int windowFrames = INPUT_STRIDE * audioCtx;
        List<Segment> segments = new ArrayList<>();
        List<Integer> allTokens = new ArrayList<>();
        int promptResetSince = 0;
        int seek = 0;
        while (seek < contentFrames) {
            int segmentSize = Math.min(windowFrames, contentFrames - seek);
            double timeOffset = (double) seek / FRAMES_PER_SECOND;
            float[][] window = LogMel.window(mel, seek, segmentSize);
            KvCache cache = model.newCache(model.embedAudio(window, audioCtx));

            int[] prompt = options.conditionOnPreviousText()
                    ? allTokens.subList(promptResetSince, allTokens.size()).stream().mapToInt(Integer::intValue).toArray()
                    : new int[0];
            DecodingResult result = decodeWithFallback(cache, options, options.decoding().withPrompt(prompt));

            boolean silent = result.noSpeechProb() > options.noSpeechThreshold()
                    && result.avgLogProb() < options.logProbThreshold();
            if (silent) {
                seek += segmentSize;
                continue;
            }
            int previousSeek = seek;
            seek += addSegments(result, previousSeek, timeOffset, segmentSize, segments, allTokens);
            if (!options.conditionOnPreviousText() || result.temperature() > 0.5) promptResetSince = allTokens.size();
        }
        String language = options.decoding().language() == null ? "en" : options.decoding().language();
        return new Transcription(language, 1.0, (double) contentFrames / FRAMES_PER_SECOND, segments);
    }

    /** Decodes at each temperature in turn until the text is neither too repetitive nor too unlikely. */
    DecodingResult decodeWithFallback(KvCache cache, TranscribeOptions options, DecodingOptions decoding) {
        List<DecodingResult> tried = new ArrayList<>(), belowCompression = new ArrayList<>();
        for (double t : options.temperatures()) {
            DecodingResult r = new DecodingTask(model, tokenizer, decoding.withTemperature(t)).run(cache, null);
            tried.add(r);
            boolean repetitive = r.compressionRatio() > options.compressionRatioThreshold();
            if (!repetitive) belowCompression.add(r);
            boolean unlikely = r.avgLogProb() < options.logProbThreshold();
            boolean silence = r.noSpeechProb() > options.noSpeechThreshold() && unlikely;
            if (silence || (!repetitive && !unlikely)) return r;
        }
        // All failed: the most likely of those that were not repetitive (faster-whisper's choice).
        List<DecodingResult> pool = belowCompression.isEmpty() ? tried : belowCompression;
        DecodingResult best = pool.getFirst();
        for (DecodingResult r : pool) if (r.avgLogProb() > best.avgLogProb()) best = r;
        double last = options.temperatures()[options.temperatures().length - 1];
        return new DecodingResult(best.tokens(), best.text(), best.avgLogProb(), best.sumLogProb(),
                best.noSpeechProb(), last, best.compressionRatio());
    }

    /**
     * Cuts a window's tokens into segments at consecutive timestamps and returns how many frames to advance:
     * the whole window if the last segment is open-ended, else up to the last timestamp.
     */
    private int addSegments(DecodingResult r, int seek, double timeOffset, int segmentSize,
                            List<Segment> segments, List<Integer> allTokens) {
        int[] tokens = r.tokens();
        int n = tokens.length;
        boolean singleTimestampEnding = n >= 2 && !tokenizer.isTimestamp(tokens[n - 2]) && tokenizer.isTimestamp(tokens[n - 1]);
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            if (tokenizer.isTimestamp(tokens[i - 1]) && tokenizer.isTimestamp(tokens[i])) cuts.add(i);
        }
        int advance;
        if (!cuts.isEmpty()) {
            if (singleTimestampEnding) cuts.add(n);
            int last = 0;
            for (int cut : cuts) {
                int[] sliced = Arrays.copyOfRange(tokens, last, cut);
                addSegment(r, seek, timeOffset + seconds(sliced[0]), timeOffset + seconds(sliced[sliced.length - 1]),
                        sliced, segments, allTokens);
                last = cut;
            }
            advance = singleTimestampEnding ? segmentSize
                    : (tokens[last - 1] - tokenizer.timestampBegin()) * INPUT_STRIDE;
        } else {
            double duration = (double) segmentSize / FRAMES_PER_SECOND;
            for (int i = n - 1; i >= 0; i--) {
                if (tokenizer.isTimestamp(tokens[i])) {
                    if (tokens[i] != tokenizer.timestampBegin()) duration = seconds(tokens[i]);
                    break;
                }
            }
            addSegment(r, seek, timeOffset, timeOffset + duration, tokens, segments, allTokens);
            advance = segmentSize;
        }
        // A window that ends on its first timestamp would not move: take the whole window then.
        return advance > 0 ? advance : segmentSize;
    }

    /** Adds a segment unless it is instantaneous or empty; its tokens become prompt material for the next window. */
    private void addSegment(DecodingResult r, int seek, double start, double end, int[] tokens, List<Segment> out,
                            List<Integer> allTokens) {
        String text = tokenizer.decode(tokens);
        if (start == end || text.isBlank()) return;
        for (int t : tokens) allTokens.add(t);
        out.add(new Segment(out.size(), seek, start, end, text, tokens, r.temperature(), r.avgLogProb(),
                r.compressionRatio(), r.noSpeechProb(), List.of()));
    }

    private double seconds(int timestampToken) {
        return (timestampToken - tokenizer.timestampBegin()) * DecodingTask.TIME_PRECISION;
    }
}
