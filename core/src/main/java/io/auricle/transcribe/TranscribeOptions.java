package io.auricle.transcribe;

import io.auricle.decoding.DecodingOptions;

/**
 * How to transcribe a recording window by window; {@link #defaults()} holds the reference values.
 *
 * @param temperatures              tried in order while a window fails the two quality checks
 * @param compressionRatioThreshold above it the text is too repetitive: retry hotter
 * @param logProbThreshold          below this average log-probability: retry hotter
 * @param noSpeechThreshold         above it (with a low log-probability) the window is silence: skipped
 * @param conditionOnPreviousText   prompt each window with the text so far
 * @param audioCtx                  encoder positions per window (1500 = 30 s); fewer is faster, for short audio
 * @param decoding                  options of each window's decoding (temperature is set per try)
 */
public record TranscribeOptions(
        double[] temperatures,
        double compressionRatioThreshold,
        double logProbThreshold,
        double noSpeechThreshold,
        boolean conditionOnPreviousText,
        int audioCtx,
        DecodingOptions decoding) {

    public TranscribeOptions {
        if (temperatures == null || temperatures.length == 0) throw new IllegalArgumentException("no temperature");
        temperatures = temperatures.clone();
        if (audioCtx < 0) throw new IllegalArgumentException("audioCtx must be >= 0 (0: the model's)");
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

    public TranscribeOptions withAudioCtx(int ctx) {
        return new TranscribeOptions(temperatures, compressionRatioThreshold, logProbThreshold, noSpeechThreshold,
                conditionOnPreviousText, ctx, decoding);
    }

    public TranscribeOptions withTemperatures(double... t) {
        return new TranscribeOptions(t, compressionRatioThreshold, logProbThreshold, noSpeechThreshold,
                conditionOnPreviousText, audioCtx, decoding);
    }
}
