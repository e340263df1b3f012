package io.auricle.output;

import java.util.Locale;

/** openai-whisper's utils.format_timestamp. */
public final class Timestamps {
    private Timestamps() {}

    /**
     * {@code [hh:]mm:ss<marker>mmm}, milliseconds rounded half to even as Python's round(); hours appear when
     * non-zero or asked for.
     */
    public static String format(double seconds, boolean alwaysIncludeHours, char decimalMarker) {
        if (!(seconds >= 0)) throw new IllegalArgumentException("non-negative timestamp expected, got " + seconds);
        long milliseconds = (long) Math.rint(seconds * 1000.0);
        long hours = milliseconds / 3_600_000;
        milliseconds -= hours * 3_600_000;
        long minutes = milliseconds / 60_000;
        milliseconds -= minutes * 60_000;
        long secs = milliseconds / 1_000;
        milliseconds -= secs * 1_000;
        String hoursMarker = alwaysIncludeHours || hours > 0 ? String.format(Locale.ROOT, "%02d:", hours) : "";
        return hoursMarker + String.format(Locale.ROOT, "%02d:%02d%c%03d", minutes, secs, decimalMarker, milliseconds);
    }
}
