package io.auricle.timing;

/**
 * Dynamic time warping of a tokens-by-frames cost matrix, as openai-whisper's timing.dtw_cpu and backtrace:
 * cumulative costs in float32 (the cost read as double, as the reference passes float64), a strict
 * diagonal-then-up preference with left taking every tie, and the path traced back from the last cell.
 */
public final class Dtw {
    private Dtw() {}

    /** The path, in order: pairs (textIndices[k], timeIndices[k]) from (0, 0) to (n - 1, m - 1). */
    public record Path(int[] textIndices, int[] timeIndices) {
        public int length() {
            return textIndices.length;
        }
    }

    private static final byte DIAGONAL = 0, UP = 1, LEFT = 2;

    /** Aligns {@code cost} ({@code n} rows of {@code m}, row-major). */
    public static Path align(float[] cost, int n, int m) {
        if (n <= 0 || m <= 0 || cost.length < (long) n * m)
            throw new IllegalArgumentException("cost must be " + n + " x " + m + ", got " + cost.length + " values");
        int w = m + 1;
        float[] total = new float[(n + 1) * w];
        byte[] trace = new byte[(n + 1) * w];
        java.util.Arrays.fill(total, Float.POSITIVE_INFINITY);
        total[0] = 0;
        for (int j = 1; j <= m; j++) {
            for (int i = 1; i <= n; i++) {
                float c0 = total[(i - 1) * w + j - 1];
                float c1 = total[(i - 1) * w + j];
                float c2 = total[i * w + j - 1];
                float c;
                byte t;
                if (c0 < c1 && c0 < c2) {
                    c = c0;
                    t = DIAGONAL;
                } else if (c1 < c0 && c1 < c2) {
                    c = c1;
                    t = UP;
                } else {
                    c = c2;
                    t = LEFT;
                }
                total[i * w + j] = (float) ((double) cost[(i - 1) * m + j - 1] + c);
                trace[i * w + j] = t;
            }
        }
        for (int j = 0; j <= m; j++) trace[j] = LEFT;
        for (int i = 0; i <= n; i++) trace[i * w] = UP;

        int[] text = new int[n + m];
        int[] time = new int[n + m];
        int length = 0;
        int i = n, j = m;
        while (i > 0 || j > 0) {
            text[length] = i - 1;
            time[length] = j - 1;
            length++;
            switch (trace[i * w + j]) {
                case DIAGONAL -> { i--; j--; }
                case UP -> i--;
                default -> j--;
            }
        }
        int[] textIndices = new int[length];
        int[] timeIndices = new int[length];
        for (int k = 0; k < length; k++) {
            textIndices[k] = text[length - 1 - k];
            timeIndices[k] = time[length - 1 - k];
        }
        return new Path(textIndices, timeIndices);
    }
}
