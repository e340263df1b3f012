package io.auricle.output;

import io.auricle.AuricleException;

/**
 * Subtitle layout options, as openai-whisper's {@code --max_line_width}, {@code --max_line_count},
 * {@code --highlight_words} and {@code --max_words_per_line}. Zero means "not set", exactly as the reference
 * treats a falsy value; {@link #DEFAULTS} is the reference's default (all unset).
 */
public record WriterOptions(int maxLineWidth, int maxLineCount, boolean highlightWords, int maxWordsPerLine) {

    public static final WriterOptions DEFAULTS = new WriterOptions(0, 0, false, 0);

    public WriterOptions {
        // the reference loops forever on a negative words-per-line; the others would only make odd layouts
        if (maxLineWidth < 0) throw new AuricleException("max line width must be positive, got " + maxLineWidth);
        if (maxLineCount < 0) throw new AuricleException("max line count must be positive, got " + maxLineCount);
        if (maxWordsPerLine < 0)
            throw new AuricleException("max words per line must be positive, got " + maxWordsPerLine);
    }
}
