package io.auricle.model;

/** Whisper's ten hyperparameters, named as openai/whisper's {@code ModelDimensions}. */
public record ModelDimensions(
        int nMels,
        int nAudioCtx,
        int nAudioState,
        int nAudioHead,
        int nAudioLayer,
        int nVocab,
        int nTextCtx,
        int nTextState,
        int nTextHead,
        int nTextLayer) {

    public boolean isMultilingual() {
        return nVocab >= 51865;
    }

    /** 99 for v1/v2 multilingual models, 100 for large-v3 and turbo, 0 for English-only. */
    public int numLanguages() {
        return nVocab - 51765 - (isMultilingual() ? 1 : 0);
    }
}
