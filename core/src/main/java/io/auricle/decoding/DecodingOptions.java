package io.auricle.decoding;

/**
 * How to decode one 30-second window; {@link #defaults()} holds openai/whisper's reference values.
 *
 * @param task                 "transcribe" or "translate" (multilingual models)
 * @param language             language code; null: English (the transcriber detects it first on multilingual models)
 * @param temperature          0 for greedy, otherwise sampling temperature
 * @param sampleLen            most tokens to sample; 0 means half the text context (224), as the reference
 * @param prompt               text tokens of previous windows to condition on (may be empty)
 * @param suppressTokens       tokens never sampled; -1 stands for the model's non-speech list
 * @param suppressBlank        forbid " " and end-of-text as the first sampled token
 * @param withoutTimestamps    decode text only ({@code <|notimestamps|>})
 * @param maxInitialTimestamp  latest first timestamp, in seconds; negative for no limit
 * @param seed                 seed of the sampler at temperature > 0
 * @param beamSize             beams at temperature 0; 1 is greedy (the fast path)
 * @param bestOf               independent samples at temperature > 0, the likeliest kept; 1 is a single sample
 * @param patience             beam search stops after {@code round(beamSize · patience)} finished hypotheses
 * @param lengthPenalty        null ranks by log-probability / length; α ranks by log-probability / ((5 + length) / 6)^α
 * @param prefix               text the window's transcript is made to continue (openai's prefix: after the
 *                             start-of-transcript sequence, not part of the result); null or blank: none
 * @param hotwords             faster-whisper's hint phrases: prompted after {@code <|startofprev|>}, before the
 *                             previous text, when there is no prefix; null or blank: none
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
        long seed,
        int beamSize,
        int bestOf,
        double patience,
        Double lengthPenalty,
        String prefix,
        String hotwords) {

    public DecodingOptions {
        if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (sampleLen < 0) throw new IllegalArgumentException("sampleLen must be >= 0, got " + sampleLen);
        if (beamSize < 1) throw new IllegalArgumentException("beam_size must be >= 1, got " + beamSize);
        if (bestOf < 1) throw new IllegalArgumentException("best_of must be >= 1, got " + bestOf);
        if (!(patience > 0)) throw new IllegalArgumentException("patience must be > 0, got " + patience);
        if (lengthPenalty != null && !(lengthPenalty >= 0 && lengthPenalty <= 1)) {
            throw new IllegalArgumentException("length_penalty must be between 0 and 1, got " + lengthPenalty);
        }
        prompt = prompt == null ? new int[0] : prompt.clone();
        suppressTokens = suppressTokens == null ? new int[0] : suppressTokens.clone();
        if (prefix != null && prefix.isBlank()) prefix = null;
        if (hotwords != null && hotwords.isBlank()) hotwords = null;
    }

    /** Greedy or single-sample decoding (beam 1, best_of 1, patience 1, plain length normalisation). */
    public DecodingOptions(String task, String language, double temperature, int sampleLen, int[] prompt,
                           int[] suppressTokens, boolean suppressBlank, boolean withoutTimestamps,
                           double maxInitialTimestamp, long seed) {
        this(task, language, temperature, sampleLen, prompt, suppressTokens, suppressBlank, withoutTimestamps,
                maxInitialTimestamp, seed, 1, 1, 1.0, null, null, null);
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
                0,
                1,              // greedy
                1,
                1.0,
                null,           // log-probability / length
                null,           // no prefix
                null);          // no hotwords
    }

    public DecodingOptions withTemperature(double t) {
        return new DecodingOptions(task, language, t, sampleLen, prompt, suppressTokens, suppressBlank, withoutTimestamps,
                maxInitialTimestamp, seed, beamSize, bestOf, patience, lengthPenalty, prefix, hotwords);
    }

    public DecodingOptions withPrompt(int[] previousTokens) {
        return new DecodingOptions(task, language, temperature, sampleLen, previousTokens, suppressTokens, suppressBlank,
                withoutTimestamps, maxInitialTimestamp, seed, beamSize, bestOf, patience, lengthPenalty, prefix, hotwords);
    }

    public DecodingOptions withoutTimestamps(boolean without) {
        return new DecodingOptions(task, language, temperature, sampleLen, prompt, suppressTokens, suppressBlank, without,
                maxInitialTimestamp, seed, beamSize, bestOf, patience, lengthPenalty, prefix, hotwords);
    }

    /** {@code language} null: English on English-only models, otherwise detect it first; task "transcribe" or "translate". */
    public DecodingOptions withLanguage(String language, String task) {
        return new DecodingOptions(task, language, temperature, sampleLen, prompt, suppressTokens, suppressBlank,
                withoutTimestamps, maxInitialTimestamp, seed, beamSize, bestOf, patience, lengthPenalty, prefix, hotwords);
    }

    /** Beam search at temperature 0 ({@code beamSize} 1: greedy), as openai/whisper's beam_size, patience, length_penalty. */
    public DecodingOptions withBeamSearch(int beamSize, double patience, Double lengthPenalty) {
        return new DecodingOptions(task, language, temperature, sampleLen, prompt, suppressTokens, suppressBlank,
                withoutTimestamps, maxInitialTimestamp, seed, beamSize, bestOf, patience, lengthPenalty, prefix, hotwords);
    }

    /** {@code bestOf} samples at temperature > 0, the likeliest kept; {@code seed} seeds the sampler. */
    public DecodingOptions withBestOf(int bestOf, long seed) {
        return new DecodingOptions(task, language, temperature, sampleLen, prompt, suppressTokens, suppressBlank,
                withoutTimestamps, maxInitialTimestamp, seed, beamSize, bestOf, patience, lengthPenalty, prefix, hotwords);
    }

    /** openai's prefix (text the transcript of every window continues); null: none. */
    public DecodingOptions withPrefix(String text) {
        return new DecodingOptions(task, language, temperature, sampleLen, prompt, suppressTokens, suppressBlank,
                withoutTimestamps, maxInitialTimestamp, seed, beamSize, bestOf, patience, lengthPenalty, text, hotwords);
    }

    /** faster-whisper's hotwords (hint phrases prompted before the previous text when there is no prefix); null: none. */
    public DecodingOptions withHotwords(String text) {
        return new DecodingOptions(task, language, temperature, sampleLen, prompt, suppressTokens, suppressBlank,
                withoutTimestamps, maxInitialTimestamp, seed, beamSize, bestOf, patience, lengthPenalty, prefix, text);
    }
}
