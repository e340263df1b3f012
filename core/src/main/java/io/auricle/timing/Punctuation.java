package io.auricle.timing;

/**
 * openai-whisper's timing.merge_punctuations: opening marks are joined to the word that follows, closing
 * marks to the word before, leaving an empty word where the mark was. The membership tests are Python's
 * substring tests ({@code "" in s} is true), kept as they are.
 */
public final class Punctuation {
    private Punctuation() {}

    /** The reference's defaults (transcribe's --prepend_punctuations and --append_punctuations). */
    public static final String PREPENDED = "\"'\u201c\u00bf([{-";
    public static final String APPENDED = "\"'.\u3002,\uff0c!\uff01?\uff1f:\uff1a\u201d)]}\u3001";

    public static void merge(WordTiming[] alignment, String prepended, String appended) {
        int i = alignment.length - 2;
        int j = alignment.length - 1;
        while (i >= 0) {
            WordTiming previous = alignment[i];
            WordTiming following = alignment[j];
            if (previous.word().startsWith(" ") && prepended.contains(pythonStrip(previous.word()))) {
                alignment[j] = following.withWord(previous.word() + following.word(),
                        concat(previous.tokens(), following.tokens()));
                alignment[i] = previous.withWord("", new int[0]);
            } else {
                j = i;
            }
            i--;
        }
        i = 0;
        j = 1;
        while (j < alignment.length) {
            WordTiming previous = alignment[i];
            WordTiming following = alignment[j];
            if (!previous.word().endsWith(" ") && appended.contains(following.word())) {
                alignment[i] = previous.withWord(previous.word() + following.word(),
                        concat(previous.tokens(), following.tokens()));
                alignment[j] = following.withWord("", new int[0]);
            } else {
                i = j;
            }
            j++;
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Python's str.strip(): Unicode whitespace, which Java's strip() nearly but not quite matches. */
    static String pythonStrip(String s) {
        int from = 0, to = s.length();
        while (from < to && isSpace(s.charAt(from))) from++;
        while (to > from && isSpace(s.charAt(to - 1))) to--;
        return s.substring(from, to);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
    }
}
