package io.auricle.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One self-rewriting line on stderr: audio position, speed as a multiple of real time, and the time left.
 * Only drawn when the session is a terminal; otherwise every call does nothing, so logs stay clean.
 */
final class ProgressBar {
    private static final int WIDTH = 24;

    private final PrintStream err;
    private final boolean enabled;
    private final String label;
    private final long startNanos = System.nanoTime();
    private boolean drawn;

    ProgressBar(PrintStream err, boolean enabled, String label) {
        this.err = err;
        this.enabled = enabled;
        this.label = label;
    }

    /** Whether stdin and stdout are a terminal (the JDK's test; stderr is then the same screen in practice). */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    void update(double doneSeconds, double totalSeconds) {
        if (!enabled) return;
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        err.print("\r\033[K" + line(label, doneSeconds, totalSeconds, elapsed));
        err.flush();
        drawn = true;
    }

    /** Clears the bar so a line of text can be printed in its place (it is redrawn by the next update). */
    void clear() {
        if (!drawn) return;
        err.print("\r\033[K");
        err.flush();
        drawn = false;
    }

    /** "jfk.wav  00:30/01:00 [############            ] 4.1x real time, ETA 00:07". */
    static String line(String label, double done, double total, double elapsed) {
        double fraction = total > 0 ? Math.min(1, done / total) : 1;
        int filled = (int) Math.round(fraction * WIDTH);
        String bar = "#".repeat(filled) + " ".repeat(WIDTH - filled);
        double speed = elapsed > 0 ? done / elapsed : 0;
        String eta = speed > 0 ? clock((total - done) / speed) : "--:--";
        return String.format(Locale.ROOT, "%s  %s/%s [%s] %.1fx real time, ETA %s", label, clock(done), clock(total),
                bar, speed, eta);
    }

    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
