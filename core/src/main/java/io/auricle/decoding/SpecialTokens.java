package io.auricle.decoding;

import io.auricle.model.ModelDimensions;

/**
 * The special token ids decoding needs, derived from the vocabulary size as openai/whisper's tokenizer
 * lays them out after the regular ranks: endoftext, startoftranscript, one per language, translate,
 * transcribe, startoflm, startofprev, nospeech, notimestamps, then 1501 timestamps 0.00..30.00 s.
 */
public record SpecialTokens(int eot, int sot, int translate, int transcribe, int sotLm, int sotPrev,
                            int noSpeech, int noTimestamps, int timestampBegin, int nVocab) {

    public static SpecialTokens of(ModelDimensions dims) {
        int eot = dims.isMultilingual() ? 50257 : 50256;
        int translate = eot + 2 + dims.numLanguages();
        return new SpecialTokens(eot, eot + 1, translate, translate + 1, translate + 2, translate + 3,
                translate + 4, translate + 5, translate + 6, dims.nVocab());
    }

    public boolean isTimestamp(int token) {
        return token >= timestampBegin;
    }
}
