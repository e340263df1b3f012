package io.auricle.transcribe;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * Text of regular tokens from a checkpoint's vocabulary bytes: concatenate, then decode UTF-8 with
 * replacement (as the reference tokenizers do). Stands in until the tokenizer lands.
 */
public record VocabularyText(List<byte[]> vocabulary) implements Function<int[], String> {

    @Override
    public String apply(int[] tokens) {
        int size = 0;
        for (int t : tokens) if (t >= 0 && t < vocabulary.size()) size += vocabulary.get(t).length;
        byte[] bytes = new byte[size];
        int pos = 0;
        for (int t : tokens) {
            if (t < 0 || t >= vocabulary.size()) continue; // special tokens have no text
            byte[] b = vocabulary.get(t);
            System.arraycopy(b, 0, bytes, pos, b.length);
            pos += b.length;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
