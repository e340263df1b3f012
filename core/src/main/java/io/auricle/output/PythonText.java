package io.auricle.output;

/** Python's str.strip() and len(): the writers' layout rules are defined in those terms. */
final class PythonText {
    private PythonText() {}

    /** Python's str.isspace() for one character. */
    static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
    }

    static String strip(String s) {
        int from = 0, to = s.length();
        while (from < to && isSpace(s.charAt(from))) from++;
        while (to > from && isSpace(s.charAt(to - 1))) to--;
        return s.substring(from, to);
    }

    /** The length in code points, as Python counts a str. */
    static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
