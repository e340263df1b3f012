package io.auricle.transcribe;

import io.auricle.decoding.DecodingOptions;
import io.auricle.timing.Punctuation;
import io.auricle.vad.VadOptions;

/**
 * How to transcribe a recording window by window, with openai-whisper's transcribe() arguments;
 * {@link #defaults()} holds the reference values. A threshold of {@code NaN} is the reference's {@code None}
 * (that check is off).
 *
 * @param temperatures                  tried in order while a window fails the two quality checks
 * @param compressionRatioThreshold     above it the text is too repetitive: retry hotter
 * @param logProbThreshold              below this average log-probability: retry hotter
 * @param noSpeechThreshold             above it (with a low log-probability) the window is silence: skipped
 * @param conditionOnPreviousText       prompt each window with the text so far
 * @param audioCtx                      encoder positions per window (1500 = 30 s); fewer is faster, for short audio
 * @param decoding                      options of each window's decoding (temperature is set per try)
 * @param initialPrompt                 text to prompt the first window with (null: none)
 * @param wordTimestamps                align each word (cross-attention and DTW) and refine the segments with them
 * @param prependPunctuations           with word timestamps: marks joined to the next word
 * @param appendPunctuations            with word timestamps: marks joined to the previous word
 * @param clipTimestamps                start,end,start,end,... seconds of the clips to transcribe (empty: all);
 *                                      an odd count leaves the last clip open to the end
 * @param hallucinationSilenceThreshold with word timestamps: skip silences longer than this (seconds) around
 *                                      suspected hallucinations; NaN: off
 * @param vadFilter                     transcribe only the speech Silero VAD finds (faster-whisper's vad_filter);
 *                                      times stay on the original timeline
 * @param vadOptions                    how the speech is found (faster-whisper's vad_parameters, same defaults)
 * @param batchSize                     1: windows one after the other (openai's loop); more: faster-whisper's
 *                                      BatchedInferencePipeline, this many VAD-chunk windows decoded as one batch
 * @param refineWordTimestamps          with word timestamps: move word edges out of silence (our improvement,
 *                                      see docs/transcription.md); false: the reference's timings
 */
public record TranscribeOptions(
        double[] temperatures,
        double compressionRatioThreshold,
        double logProbThreshold,
        double noSpeechThreshold,
        boolean conditionOnPreviousText,
        int audioCtx,
        DecodingOptions decoding,
        String initialPrompt,
        boolean wordTimestamps,
        String prependPunctuations,
        String appendPunctuations,
        double[] clipTimestamps,
        double hallucinationSilenceThreshold,
        boolean vadFilter,
        VadOptions vadOptions,
        int batchSize,
        boolean refineWordTimestamps) {

    public TranscribeOptions {
        if (temperatures == null || temperatures.length == 0) throw new IllegalArgumentException("no temperature");
        temperatures = temperatures.clone();
        for (double t : temperatures) {
            if (!(t >= 0)) throw new IllegalArgumentException("temperature must be >= 0, got " + t);
        }
        if (audioCtx < 0) throw new IllegalArgumentException("audioCtx must be >= 0 (0: the model's)");
        if (decoding == null) decoding = DecodingOptions.defaults();
        if (prependPunctuations == null) prependPunctuations = Punctuation.PREPENDED;
        if (appendPunctuations == null) appendPunctuations = Punctuation.APPENDED;
        clipTimestamps = clipTimestamps == null ? new double[0] : clipTimestamps.clone();
        for (double t : clipTimestamps) {
            if (!(t >= 0)) throw new IllegalArgumentException("clip timestamps must be seconds >= 0, got " + t);
        }
        if (vadOptions == null) vadOptions = VadOptions.defaults();
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }

    /** openai's options: no VAD, one window at a time, word timings refined (the default). */
    public TranscribeOptions(double[] temperatures, double compressionRatioThreshold, double logProbThreshold,
                             double noSpeechThreshold, boolean conditionOnPreviousText, int audioCtx,
                             DecodingOptions decoding, String initialPrompt, boolean wordTimestamps,
                             String prependPunctuations, String appendPunctuations, double[] clipTimestamps,
                             double hallucinationSilenceThreshold) {
        this(temperatures, compressionRatioThreshold, logProbThreshold, noSpeechThreshold, conditionOnPreviousText,
                audioCtx, decoding, initialPrompt, wordTimestamps, prependPunctuations, appendPunctuations,
                clipTimestamps, hallucinationSilenceThreshold, false, VadOptions.defaults(), 1, true);
    }

    /** The options the model engineer's first loop took; the rest at the reference's defaults. */
    public TranscribeOptions(double[] temperatures, double compressionRatioThreshold, double logProbThreshold,
                             double noSpeechThreshold, boolean conditionOnPreviousText, int audioCtx,
                             DecodingOptions decoding) {
        this(temperatures, compressionRatioThreshold, logProbThreshold, noSpeechThreshold, conditionOnPreviousText,
                audioCtx, decoding, null, false, Punctuation.PREPENDED, Punctuation.APPENDED, new double[0], Double.NaN);
    }

    public static TranscribeOptions defaults() {
        return new TranscribeOptions(
                new double[] {0.0, 0.2, 0.4, 0.6, 0.8, 1.0}, // fallback temperatures
                2.4,                                          // gzip compression ratio
                -1.0,                                         // average log-probability
                0.6,                                          // no-speech probability
                true,                                         // condition on previous text
                0,                                            // full audio context
                DecodingOptions.defaults());
    }

    /** The decoding language (null: English for English-only models, detected for multilingual ones). */
    public String language() {
        return decoding.language();
    }

    public TranscribeOptions withAudioCtx(int ctx) {
        return new TranscribeOptions(temperatures, compressionRatioThreshold, logProbThreshold, noSpeechThreshold,
                conditionOnPreviousText, ctx, decoding, initialPrompt, wordTimestamps, prependPunctuations,
                appendPunctuations, clipTimestamps, hallucinationSilenceThreshold, vadFilter, vadOptions, batchSize, refineWordTimestamps);
    }

    public TranscribeOptions withTemperatures(double... t) {
        return new TranscribeOptions(t, compressionRatioThreshold, logProbThreshold, noSpeechThreshold,
                conditionOnPreviousText, audioCtx, decoding, initialPrompt, wordTimestamps, prependPunctuations,
                appendPunctuations, clipTimestamps, hallucinationSilenceThreshold, vadFilter, vadOptions, batchSize, refineWordTimestamps);
    }

    /** The three checks' thresholds; NaN turns a check off (the reference's None). */
    public TranscribeOptions withThresholds(double compressionRatio, double logProb, double noSpeech) {
        return new TranscribeOptions(temperatures, compressionRatio, logProb, noSpeech,
                conditionOnPreviousText, audioCtx, decoding, initialPrompt, wordTimestamps, prependPunctuations,
                appendPunctuations, clipTimestamps, hallucinationSilenceThreshold, vadFilter, vadOptions, batchSize, refineWordTimestamps);
    }

    public TranscribeOptions withConditionOnPreviousText(boolean condition) {
        return new TranscribeOptions(temperatures, compressionRatioThreshold, logProbThreshold, noSpeechThreshold,
                condition, audioCtx, decoding, initialPrompt, wordTimestamps, prependPunctuations,
                appendPunctuations, clipTimestamps, hallucinationSilenceThreshold, vadFilter, vadOptions, batchSize, refineWordTimestamps);
    }

    public TranscribeOptions withDecoding(DecodingOptions d) {
        return new TranscribeOptions(temperatures, compressionRatioThreshold, logProbThreshold, noSpeechThreshold,
                conditionOnPreviousText, audioCtx, d, initialPrompt, wordTimestamps, prependPunctuations,
                appendPunctuations, clipTimestamps, hallucinationSilenceThreshold, vadFilter, vadOptions, batchSize, refineWordTimestamps);
    }

    /** The language code (null: the model's default or detection) and the task ("transcribe" or "translate"). */
    public TranscribeOptions withLanguage(String language, String task) {
        return withDecoding(decoding.withLanguage(language, task));
    }

    public TranscribeOptions withInitialPrompt(String prompt) {
        return new TranscribeOptions(temperatures, compressionRatioThreshold, logProbThreshold, noSpeechThreshold,
                conditionOnPreviousText, audioCtx, decoding, prompt, wordTimestamps, prependPunctuations,
                appendPunctuations, clipTimestamps, hallucinationSilenceThreshold, vadFilter, vadOptions, batchSize, refineWordTimestamps);
    }

    public TranscribeOptions withWordTimestamps(boolean words) {
        return new TranscribeOptions(temperatures, compressionRatioThreshold, logProbThreshold, noSpeechThreshold,
                conditionOnPreviousText, audioCtx, decoding, initialPrompt, words, prependPunctuations,
                appendPunctuations, clipTimestamps, hallucinationSilenceThreshold, vadFilter, vadOptions, batchSize, refineWordTimestamps);
    }

    public TranscribeOptions withPunctuations(String prepend, String append) {
        return new TranscribeOptions(temperatures, compressionRatioThreshold, logProbThreshold, noSpeechThreshold,
                conditionOnPreviousText, audioCtx, decoding, initialPrompt, wordTimestamps, prepend, append,
                clipTimestamps, hallucinationSilenceThreshold, vadFilter, vadOptions, batchSize, refineWordTimestamps);
    }

    public TranscribeOptions withClipTimestamps(double... seconds) {
        return new TranscribeOptions(temperatures, compressionRatioThreshold, logProbThreshold, noSpeechThreshold,
                conditionOnPreviousText, audioCtx, decoding, initialPrompt, wordTimestamps, prependPunctuations,
                appendPunctuations, seconds, hallucinationSilenceThreshold, vadFilter, vadOptions, batchSize, refineWordTimestamps);
    }

    public TranscribeOptions withHallucinationSilenceThreshold(double seconds) {
        return new TranscribeOptions(temperatures, compressionRatioThreshold, logProbThreshold, noSpeechThreshold,
                conditionOnPreviousText, audioCtx, decoding, initialPrompt, wordTimestamps, prependPunctuations,
                appendPunctuations, clipTimestamps, seconds, vadFilter, vadOptions, batchSize, refineWordTimestamps);
    }

    public TranscribeOptions withVadFilter(boolean filter) {
        return new TranscribeOptions(temperatures, compressionRatioThreshold, logProbThreshold, noSpeechThreshold,
                conditionOnPreviousText, audioCtx, decoding, initialPrompt, wordTimestamps, prependPunctuations,
                appendPunctuations, clipTimestamps, hallucinationSilenceThreshold, filter, vadOptions, batchSize, refineWordTimestamps);
    }

    public TranscribeOptions withVadOptions(VadOptions vad) {
        return new TranscribeOptions(temperatures, compressionRatioThreshold, logProbThreshold, noSpeechThreshold,
                conditionOnPreviousText, audioCtx, decoding, initialPrompt, wordTimestamps, prependPunctuations,
                appendPunctuations, clipTimestamps, hallucinationSilenceThreshold, vadFilter, vad, batchSize, refineWordTimestamps);
    }

    /** 1: the sequential loop; more: the batched pipeline over VAD chunks. */
    public TranscribeOptions withBatchSize(int size) {
        return new TranscribeOptions(temperatures, compressionRatioThreshold, logProbThreshold, noSpeechThreshold,
                conditionOnPreviousText, audioCtx, decoding, initialPrompt, wordTimestamps, prependPunctuations,
                appendPunctuations, clipTimestamps, hallucinationSilenceThreshold, vadFilter, vadOptions, size, refineWordTimestamps);
    }

    /** openai's prefix: text every window's transcript is made to continue (not part of the result); null: none. */
    public TranscribeOptions withPrefix(String text) {
        return withDecoding(decoding.withPrefix(text));
    }

    /** faster-whisper's hotwords: hint phrases prompted before the previous text, ignored with a prefix; null: none. */
    public TranscribeOptions withHotwords(String text) {
        return withDecoding(decoding.withHotwords(text));
    }

    /** true (default): word edges moved out of silence; false: the reference's (faster-whisper's) timings. */
    public TranscribeOptions withRefineWordTimestamps(boolean refine) {
        return new TranscribeOptions(temperatures, compressionRatioThreshold, logProbThreshold, noSpeechThreshold,
                conditionOnPreviousText, audioCtx, decoding, initialPrompt, wordTimestamps, prependPunctuations,
                appendPunctuations, clipTimestamps, hallucinationSilenceThreshold, vadFilter, vadOptions, batchSize, refine);
    }
}
