package io.auricle.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A persistent pool that runs {@code count} numbered tasks on the calling thread plus {@code threads - 1}
 * workers. Workers spin briefly between jobs, then park: a decoder step issues dozens of kernels a few
 * microseconds apart, and waking a parked thread (or a fork-join dispatch) per kernel costs more than the kernel.
 *
 * <p>Tasks are handed out one index at a time from a shared counter, so uneven tasks balance. A call made while
 * the pool is busy (from a task, or from a second thread) runs its tasks serially on the caller.
 */
final class Parallel {

    /** One numbered piece of work; {@code index} runs from 0 to {@code count - 1}. */
    interface Task {
        void run(int index);
    }

    private static final class Job {
        final Task task;
        final int count;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(Task task, int count) {
            this.task = task;
            this.count = count;
        }

        /** Runs tasks until none are left. */
        void work() {
            for (int i; (i = next.getAndIncrement()) < count; ) {
                try {
                    task.run(i);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    private final int threads;
    private final long spinNanos;
    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Job current;
    private final AtomicInteger parked = new AtomicInteger();

    /** @param threads total threads including the caller, at least 1
     *  @param spinMicros how long an idle worker spins before it parks */
    Parallel(int threads, long spinMicros) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.spinNanos = spinMicros * 1000;
        this.workers = new Thread[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            int id = w;
            workers[w] = Thread.ofPlatform().daemon().name("auricle-kernel-" + (w + 1)).unstarted(() -> workerLoop(id));
            workers[w].start();
        }
    }

    int threads() {
        return threads;
    }

    /** Runs {@code task.run(0 .. count-1)}, each index once, and returns when all are done. */
    void run(int count, Task task) {
        if (count <= 0) return;
        if (count == 1 || workers.length == 0 || !busy.compareAndSet(false, true)) {
            for (int i = 0; i < count; i++) task.run(i);
            return;
        }
        try {
            Job job = new Job(task, count);
            current = job;
            if (parked.get() > 0) {
                for (Thread w : workers) LockSupport.unpark(w);
            }
            job.work();
            awaitDone(job);
            Throwable failure = job.failure;
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
            if (failure != null) throw new IllegalStateException(failure);
        } finally {
            busy.set(false);
        }
    }

    private static void awaitDone(Job job) {
        for (int spins = 0; job.done.get() < job.count; spins++) {
            // A worker may have been descheduled mid-task on a shared machine: stop burning the core soon.
            if (spins < 20_000) Thread.onSpinWait();
            else Thread.yield();
        }
    }

    private void workerLoop(int id) {
        Job seen = null;
        while (true) {
            Job job = current;
            if (job != seen) {
                seen = job;
                job.work();
                continue;
            }
            long start = System.nanoTime();
            int spins = 0;
            while ((job = current) == seen) {
                Thread.onSpinWait();
                if ((++spins & 255) == 0 && System.nanoTime() - start > spinNanos) {
                    // Announce the park before re-checking, so a dispatcher either sees us parked or we see its job.
                    parked.incrementAndGet();
                    if (current == seen) LockSupport.park(this);
                    parked.decrementAndGet();
                    start = System.nanoTime();
                }
            }
        }
    }
}
