package io.auricle.transcribe;

/** One word with its time span in seconds (on the original audio timeline) and its probability. */
public record Word(double start, double end, String word, double probability) {}
