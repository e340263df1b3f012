package io.auricle.transcribe;

import java.util.List;

/**
 * One transcribed segment, with the fields of openai-whisper's result segments. Times are seconds on the
 * original audio timeline; {@code words} is empty unless word timestamps were asked for.
 */
public record Segment(
        int id,
        int seek,
        double start,
        double end,
        String text,
        int[] tokens,
        double temperature,
        double avgLogprob,
        double compressionRatio,
        double noSpeechProb,
        List<Word> words) {}
