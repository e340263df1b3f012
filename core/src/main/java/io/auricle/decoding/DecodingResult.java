package io.auricle.decoding;

/**
 * One decoded window.
 *
 * @param tokens           the sampled tokens, timestamps included, end-of-text excluded
 * @param text             the text tokens' text, stripped
 * @param avgLogProb       sumLogProb / (tokens + 1), as openai/whisper (the +1 is end-of-text)
 * @param sumLogProb       Σ log p of the sampled tokens and end-of-text
 * @param noSpeechProb     p({@code <|nospeech|>}) at the start-of-transcript position
 * @param temperature      the temperature used
 * @param compressionRatio UTF-8 length of the text over its zlib-compressed length
 */
public record DecodingResult(int[] tokens, String text, double avgLogProb, double sumLogProb, double noSpeechProb,
                             double temperature, double compressionRatio) {

    /** The same result, reported at another temperature (the fallback's last, when it keeps an earlier try). */
    public DecodingResult withTemperature(double t) {
        return new DecodingResult(tokens, text, avgLogProb, sumLogProb, noSpeechProb, t, compressionRatio);
    }
}
