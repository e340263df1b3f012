package io.auricle.tokenizer;

/** One word as {@link Tokenizer#splitToWordTokens} cuts it: its text (leading space kept) and its token ids. */
public record WordTokens(String word, int[] tokens) {}
