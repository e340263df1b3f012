package io.auricle.cli;

/** A five-stop approximation of matplotlib's viridis: dark purple (quiet) to yellow (loud), readable in grey too. */
final class Colormap {
    private static final int[] STOPS = {0x440154, 0x3B528B, 0x21918C, 0x5EC962, 0xFDE725};

    private Colormap() {}

    /** The colour for {@code x} in [0, 1] (clamped), as 0xRRGGBB. */
    static int viridis(float x) {
        float pos = Math.max(0, Math.min(1, x)) * (STOPS.length - 1);
        int i = Math.min((int) pos, STOPS.length - 2);
        float f = pos - i;
        int a = STOPS[i], b = STOPS[i + 1];
        int r = Math.round(((a >> 16) & 0xFF) * (1 - f) + ((b >> 16) & 0xFF) * f);
        int g = Math.round(((a >> 8) & 0xFF) * (1 - f) + ((b >> 8) & 0xFF) * f);
        int bl = Math.round((a & 0xFF) * (1 - f) + (b & 0xFF) * f);
        return r << 16 | g << 8 | bl;
    }
}
