package io.auricle.timing;

/**
 * One word of an alignment (openai-whisper's timing.WordTiming): its text, its tokens, its span in seconds
 * from the start of the window, and the mean probability of its tokens. After punctuation merging a word
 * may be empty (text "" and no tokens): it keeps its place so the token counts still line up.
 */
public record WordTiming(String word, int[] tokens, double start, double end, double probability) {

    WordTiming withWord(String newWord, int[] newTokens) {
        return new WordTiming(newWord, newTokens, start, end, probability);
    }

    WordTiming withSpan(double newStart, double newEnd) {
        return new WordTiming(word, tokens, newStart, newEnd, probability);
    }
}
