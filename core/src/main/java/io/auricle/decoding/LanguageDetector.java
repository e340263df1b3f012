package io.auricle.decoding;

import io.auricle.AuricleException;
import io.auricle.model.KvCache;
import io.auricle.model.WhisperModel;
import io.auricle.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spoken language of a window, as openai/whisper's detect_language (and CTranslate2's, which faster-whisper
 * calls): the decoder reads {@code <|startoftranscript|>} alone, and the softmax of its logits over the language
 * tokens only gives every language's probability.
 */
public final class LanguageDetector {
    private LanguageDetector() {}

    /**
     * @param language    the most likely language code
     * @param probability its probability
     * @param all         every language code with its probability, most likely first
     */
    public record Detection(String language, double probability, Map<String, Double> all) {}

    /** Detects the language of the window whose encoder output is {@code audioFeatures}. */
    public static Detection detect(WhisperModel model, Tokenizer tokenizer, float[] audioFeatures) {
        return detect(model, tokenizer, model.newCache(audioFeatures));
    }

    /** Detects with a cache of the window (its cached tokens are dropped first, so it can then decode the window). */
    public static Detection detect(WhisperModel model, Tokenizer tokenizer, KvCache cache) {
        if (!tokenizer.isMultilingual()) {
            throw new AuricleException("this model is English-only: it has no language tokens to detect a language with");
        }
        cache.truncate(0);
        float[] logits = model.logits(model.forward(new int[] {tokenizer.sot()}, cache, null), 0);
        cache.truncate(0);
        int[] tokens = tokenizer.languageTokens();
        List<String> codes = tokenizer.languageCodes();
        double max = Double.NEGATIVE_INFINITY;
        for (int t : tokens) max = Math.max(max, logits[t]);
        double[] p = new double[tokens.length];
        double sum = 0;
        for (int i = 0; i < tokens.length; i++) sum += p[i] = Math.exp(logits[tokens[i]] - max);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) order.add(i);
        // Most likely first; equal probabilities keep token order (argmax takes the first).
        order.sort(Comparator.comparingDouble((Integer i) -> -p[i]));
        Map<String, Double> all = new LinkedHashMap<>();
        for (int i : order) all.put(codes.get(i), p[i] / sum);
        int best = order.getFirst();
        return new Detection(codes.get(best), p[best] / sum, all);
    }
}
