package io.auricle.decoding;

/**
 * How to decode one 30-second window; {@link #defaults()} holds openai/whisper's reference values.
 *
 * @param task                 "transcribe" or "translate" (multilingual models)
 * @param language             language code; null: English (language detection is not there yet)
 * @param temperature          0 for greedy, otherwise sampling temperature
 * @param sampleLen            most tokens to sample; 0 means half the text context (224), as the reference
 * @param prompt               text tokens of previous windows to condition on (may be empty)
 * @param suppressTokens       tokens never sampled; -1 stands for the model's non-speech list
 * @param suppressBlank        forbid " " and end-of-text as the first sampled token
 * @param withoutTimestamps    decode text only ({@code <|notimestamps|>})
 * @param maxInitialTimestamp  latest first timestamp, in seconds; negative for no limit
 * @param seed                 seed of the sampler at temperature > 0
 */
public record DecodingOptions(
        String task,
        String language,
        double temperature,
        int sampleLen,
        int[] prompt,
        int[] suppressTokens,
        boolean suppressBlank,
        boolean withoutTimestamps,
        double maxInitialTimestamp,
        long seed) {

    public DecodingOptions {
        if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (sampleLen < 0) throw new IllegalArgumentException("sampleLen must be >= 0, got " + sampleLen);
        prompt = prompt == null ? new int[0] : prompt.clone();
        suppressTokens = suppressTokens == null ? new int[0] : suppressTokens.clone();
    }

    public static DecodingOptions defaults() {
        return new DecodingOptions(
                "transcribe",
                null,           // English
                0.0,            // greedy
                0,              // n_text_ctx // 2
                new int[0],     // no previous text
                new int[] {-1}, // the model's non-speech tokens
                true,           // suppress a blank start
                false,          // with timestamps
                1.0,            // first timestamp within 1 s
                0);
    }

    public DecodingOptions withTemperature(double t) {
        return new DecodingOptions(task, language, t, sampleLen, prompt, suppressTokens, suppressBlank, withoutTimestamps,
                maxInitialTimestamp, seed);
    }

    public DecodingOptions withPrompt(int[] previousTokens) {
        return new DecodingOptions(task, language, temperature, sampleLen, previousTokens, suppressTokens, suppressBlank,
                withoutTimestamps, maxInitialTimestamp, seed);
    }

    public DecodingOptions withoutTimestamps(boolean without) {
        return new DecodingOptions(task, language, temperature, sampleLen, prompt, suppressTokens, suppressBlank, without,
                maxInitialTimestamp, seed);
    }
}
