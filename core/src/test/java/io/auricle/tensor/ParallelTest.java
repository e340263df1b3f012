package io.auricle.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private final Parallel pool = new Parallel(3, 10);

    @Test
    void everyIndexRunsExactlyOnceAcrossManyJobs() {
        for (int round = 0; round < 2000; round++) {
            int count = 1 + round % 37;
            AtomicIntegerArray hits = new AtomicIntegerArray(count);
            pool.run(count, hits::incrementAndGet);
            for (int i = 0; i < count; i++) assertEquals(1, hits.get(i), "round " + round + " index " + i);
        }
    }

    @Test
    void jobsAfterWorkersParkedStillComplete() throws InterruptedException {
        Thread.sleep(5); // far past the 10 microsecond spin: the workers are parked
        AtomicIntegerArray hits = new AtomicIntegerArray(64);
        pool.run(64, hits::incrementAndGet);
        for (int i = 0; i < 64; i++) assertEquals(1, hits.get(i));
    }

    @Test
    void aTaskFailureReachesTheCallerAndThePoolStaysUsable() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(10, i -> {
            if (i == 7) throw new IllegalStateException("task 7");
        }));
        assertEquals("task 7", e.getMessage());
        AtomicIntegerArray hits = new AtomicIntegerArray(5);
        pool.run(5, hits::incrementAndGet);
        for (int i = 0; i < 5; i++) assertEquals(1, hits.get(i));
    }

    @Test
    void aNestedCallRunsOnTheCallingTask() {
        AtomicIntegerArray hits = new AtomicIntegerArray(16);
        pool.run(4, outer -> pool.run(4, inner -> hits.incrementAndGet(outer * 4 + inner)));
        for (int i = 0; i < 16; i++) assertEquals(1, hits.get(i));
    }
}
