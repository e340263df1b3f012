package io.auricle;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A full collection between jobs (files of one CLI run, an idle server) when the heap grew since the last one. The
 * launcher's serial collector keeps its young generation small and grows the old one for whatever a job promotes
 * (a long file's samples and spectrogram, a request's upload) rather than collect it, so a process that runs job
 * after job grew with each; a collection between them takes a few tens of ms at tiny.en.
 */
public final class HeapTrim {
    /** Heap growth since the last trim that makes a collection worth it. */
    static final long GROWTH = 32L << 20;
    private static final AtomicLong usedAfterLast = new AtomicLong();

    private HeapTrim() {}

    /** Collects if the heap in use grew by {@link #GROWTH} since the last collection made here; whether it did. */
    public static boolean collectIfGrown() {
        Runtime rt = Runtime.getRuntime();
        if (rt.totalMemory() - rt.freeMemory() < usedAfterLast.get() + GROWTH) return false;
        System.gc();
        usedAfterLast.set(rt.totalMemory() - rt.freeMemory());
        return true;
    }
}
