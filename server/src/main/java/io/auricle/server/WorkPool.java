package io.auricle.server;

import io.auricle.HeapTrim;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number of workers behind a bounded waiting line. A request takes a place ({@link #tryAdmit}) before
 * its upload is read, so a full server refuses at once with 429 rather than spooling bodies it cannot serve.
 *
 * <p>When the last admitted request is answered, {@code whenIdle} runs a moment later unless another arrives: by
 * default {@link HeapTrim} (a full collection if the heap grew). Without it the server's memory rose with every
 * request (a 2-minute upload with word timestamps: +17 MB RSS each, without end); an idle moment is when a pause
 * costs nobody.
 */
final class WorkPool {
    private final Semaphore places;
    private final ExecutorService workers;
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final ScheduledExecutorService idle = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "auricle-idle");
        t.setDaemon(true);
        return t;
    });
    private final Runnable whenIdle;
    private final long idleDelayMillis;
    private ScheduledFuture<?> pendingIdle;

    WorkPool(int workers, int queue) {
        this(workers, queue, HeapTrim::collectIfGrown, 1000);
    }

    WorkPool(int workers, int queue, Runnable whenIdle, long idleDelayMillis) {
        this.whenIdle = whenIdle;
        this.idleDelayMillis = idleDelayMillis;
        this.places = new Semaphore(workers + queue);
        AtomicInteger n = new AtomicInteger();
        // The executor's own queue is unbounded but never holds more than `queue`: the places bound it.
        this.workers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "auricle-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    boolean tryAdmit() {
        if (!places.tryAcquire()) return false;
        admitted.incrementAndGet();
        synchronized (this) {
            if (pendingIdle != null) pendingIdle.cancel(false);
            pendingIdle = null;
        }
        return true;
    }

    /** Gives back a place taken by {@link #tryAdmit}; call exactly once per admission. */
    void release() {
        boolean nowIdle = admitted.decrementAndGet() == 0;
        places.release();
        if (nowIdle) {
            synchronized (this) {
                if (pendingIdle == null && !idle.isShutdown()) {
                    pendingIdle = idle.schedule(this::idleNow, idleDelayMillis, TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    private void idleNow() {
        synchronized (this) {
            pendingIdle = null;
        }
        if (admitted.get() == 0) whenIdle.run();
    }

    /** Runs {@code job} on a worker; the caller still owns its place and releases it when the job ends. */
    Future<?> submit(Runnable job) {
        return workers.submit(() -> {
            running.incrementAndGet();
            try {
                job.run();
            } finally {
                running.decrementAndGet();
            }
        });
    }

    int queued() {
        return Math.max(0, admitted.get() - running.get());
    }

    /** Waits until no place is taken (every admitted request answered), for at most {@code seconds}. */
    boolean awaitIdle(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (admitted.get() > 0) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(10);
        }
        return true;
    }

    int running() {
        return running.get();
    }

    /** Lets running and waiting jobs finish, for at most {@code seconds}. */
    void drain(int seconds) throws InterruptedException {
        idle.shutdownNow();
        workers.shutdown();
        if (!workers.awaitTermination(seconds, TimeUnit.SECONDS)) workers.shutdownNow();
    }
}
