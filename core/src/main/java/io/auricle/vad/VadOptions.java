package io.auricle.vad;

/**
 * Speech detection options, as faster-whisper's {@code VadOptions}, with its defaults.
 *
 * @param threshold            a frame whose speech probability is at least this is speech
 * @param negThreshold         below this a frame is silence; in between it continues the current state.
 *                             {@code NaN} means faster-whisper's default, {@code max(threshold - 0.15, 0.01)}
 * @param minSpeechDurationMs  speech chunks this short or shorter are dropped
 * @param maxSpeechDurationS   longer chunks are split (at the last silence over 98 ms if there is one)
 * @param minSilenceDurationMs silence needed to end a chunk
 * @param speechPadMs          padding added to each side of a chunk
 */
public record VadOptions(
        double threshold,
        double negThreshold,
        int minSpeechDurationMs,
        double maxSpeechDurationS,
        int minSilenceDurationMs,
        int speechPadMs) {

    public VadOptions {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("VAD threshold must be in [0, 1], got " + threshold);
        }
        if (!Double.isNaN(negThreshold) && !(negThreshold >= 0 && negThreshold <= 1)) {
            throw new IllegalArgumentException("VAD neg_threshold must be in [0, 1], got " + negThreshold);
        }
        if (minSpeechDurationMs < 0 || minSilenceDurationMs < 0 || speechPadMs < 0) {
            throw new IllegalArgumentException("VAD durations must not be negative");
        }
        if (!(maxSpeechDurationS > 0)) {
            throw new IllegalArgumentException("VAD max_speech_duration_s must be positive, got " + maxSpeechDurationS);
        }
    }

    public static VadOptions defaults() {
        return new VadOptions(
                0.5,                       // threshold: "lazy" 0.5 is good for most data (Silero's advice)
                Double.NaN,                // neg_threshold: threshold - 0.15
                0,                         // min_speech_duration_ms: keep every chunk
                Double.POSITIVE_INFINITY,  // max_speech_duration_s: never split
                2000,                      // min_silence_duration_ms
                400);                      // speech_pad_ms
    }

    /** The silence threshold in use. */
    double effectiveNegThreshold() {
        return Double.isNaN(negThreshold) ? Math.max(threshold - 0.15, 0.01) : negThreshold;
    }
}
