package io.auricle.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkPoolTest {
    /** The idle hook (a full collection in the server) runs once the last request is answered, not while any is. */
    @Test
    void idleHookRunsWhenTheLastRequestIsAnsweredAndNotWhileOneIsAdmitted() throws InterruptedException {
        AtomicInteger idle = new AtomicInteger();
        WorkPool pool = new WorkPool(1, 1, idle::incrementAndGet, 100);
        assertTrue(pool.tryAdmit());
        assertTrue(pool.tryAdmit());
        pool.release();
        Thread.sleep(300);
        assertEquals(0, idle.get(), "one request still admitted");
        pool.release();
        assertTrue(pool.tryAdmit(), "a request arriving within the delay");
        Thread.sleep(300);
        assertEquals(0, idle.get(), "the pending hook was called off");
        pool.release();
        for (int i = 0; i < 50 && idle.get() == 0; i++) Thread.sleep(20);
        assertEquals(1, idle.get());
        Thread.sleep(300);
        assertEquals(1, idle.get(), "once per idle moment");
        pool.drain(1);
    }
}
