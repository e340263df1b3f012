package io.auricle.timing;

import java.util.Arrays;

/**
 * openai-whisper's timing.median_filter: a running median along a row, the row extended at both ends by
 * reflection (without repeating the edge, as torch's "reflect" padding). A row no longer than half the
 * width is returned unchanged, as the reference does.
 */
public final class MedianFilter {
    private MedianFilter() {}

    /** The filtered copy of {@code row}; {@code width} must be odd and positive. */
    public static float[] apply(float[] row, int width) {
        if (width <= 0 || width % 2 == 0) throw new IllegalArgumentException("width must be odd and positive, got " + width);
        int n = row.length;
        int pad = width / 2;
        if (n <= pad) return row.clone();
        float[] out = new float[n];
        float[] window = new float[width];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < width; k++) window[k] = row[reflect(i - pad + k, n)];
            Arrays.sort(window);
            out[i] = window[pad];
        }
        return out;
    }

    /** Filters every row in place. */
    public static void applyRows(float[][] rows, int width) {
        for (int r = 0; r < rows.length; r++) rows[r] = apply(rows[r], width);
    }

    private static int reflect(int i, int n) {
        if (i < 0) return -i;
        if (i >= n) return 2 * (n - 1) - i;
        return i;
    }
}
