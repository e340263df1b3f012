package io.auricle.transcribe;

import io.auricle.model.WhisperModel;
import io.auricle.tokenizer.Tokenizer;

/**
 * Finds the spoken language of a multilingual model's first window (openai-whisper's detect_language). The
 * hook {@link WhisperEngine} calls when no language is given; the decoding package supplies the real one.
 */
@FunctionalInterface
public interface LanguageDetector {

    /** A language code and the model's probability for it. */
    record Detected(String language, double probability) {}

    /** {@code window} is the first 30 s of the padded log-mel spectrogram, {@code [nMels][3000]}. */
    Detected detect(WhisperModel model, Tokenizer tokenizer, float[][] window);
}
