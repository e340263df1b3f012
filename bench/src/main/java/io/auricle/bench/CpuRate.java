package io.auricle.bench;

import java.lang.management.ManagementFactory;

/**
 * GFLOP/s per second of CPU time, for kernel comparisons on a shared machine where wall time mostly measures the
 * neighbours. Process CPU counts every thread of ours (native ones included) but ticks in 10 ms steps, so each
 * round runs until it has used {@code auricle.bench.roundMillis} (default 300) ms of it; best of 4 rounds after a
 * warm-up of two rounds.
 */
final class CpuRate {
    private CpuRate() {
    }

    static void report(String what, double flopsPerCall, Runnable call) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long roundNanos = Long.getLong("auricle.bench.roundMillis", 300) * 1_000_000L;
        double bestCpu = Double.MAX_VALUE, bestWall = Double.MAX_VALUE;
        for (int r = 0; r < 6; r++) {
            long p0 = os.getProcessCpuTime(), w0 = System.nanoTime(), p;
            int calls = 0;
            do {
                call.run();
                calls++;
            } while ((p = os.getProcessCpuTime()) - p0 < roundNanos);
            if (r < 2) continue;
            bestCpu = Math.min(bestCpu, (p - p0) / 1e9 / calls);
            bestWall = Math.min(bestWall, (System.nanoTime() - w0) / 1e9 / calls);
        }
        System.out.printf("%-32s %8.3f ms CPU %8.3f ms wall %6.1f GFLOP/s per CPU-second %6.1f GFLOP/s wall (load %.1f)%n",
                what, bestCpu * 1e3, bestWall * 1e3, flopsPerCall / bestCpu / 1e9, flopsPerCall / bestWall / 1e9,
                os.getSystemLoadAverage());
    }
}
