package io.auricle.tokenizer;

/**
 * UTF-8 decoding that replaces bad bytes exactly as Python's {@code bytes.decode("utf-8", "replace")} does (one
 * U+FFFD per maximal invalid subpart), because openai/whisper's word splitting finds token boundaries by where
 * U+FFFD appears. The JDK's decoder differs on encoded surrogates (ED A0 80 gives one U+FFFD, Python three).
 */
final class Utf8 {
    private Utf8() {}

    static final char REPLACEMENT = '\uFFFD';

    static String decode(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder(length);
        int i = 0;
        while (i < length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                out.append((char) b);
                i++;
                continue;
            }
            int need;
            int lo = 0x80, hi = 0xBF; // allowed range of the second byte
            int cp;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
                cp = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                cp = b & 0x0F;
                if (b == 0xE0) lo = 0xA0;
                if (b == 0xED) hi = 0x9F;
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                cp = b & 0x07;
                if (b == 0xF0) lo = 0x90;
                if (b == 0xF4) hi = 0x8F;
            } else {
                out.append(REPLACEMENT);
                i++;
                continue;
            }
            int j = i + 1;
            boolean complete = true;
            for (int k = 0; k < need; k++, j++) {
                int c = j < length ? bytes[j] & 0xFF : -1;
                int min = k == 0 ? lo : 0x80, max = k == 0 ? hi : 0xBF;
                if (c < min || c > max) {
                    complete = false;
                    break;
                }
                cp = (cp << 6) | (c & 0x3F);
            }
            if (complete) out.appendCodePoint(cp);
            else out.append(REPLACEMENT);
            i = j;
        }
        return out.toString();
    }
}
