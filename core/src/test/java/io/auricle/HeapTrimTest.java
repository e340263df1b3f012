package io.auricle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapTrimTest {
    /** It collects after the heap grew by more than its threshold, and not again until it grows again. */
    @Test
    void collectsOnlyAfterGrowth() {
        HeapTrim.collectIfGrown(); // whatever the tests before left: a baseline
        byte[][] garbage = new byte[2 * (int) (HeapTrim.GROWTH >> 20)][];
        for (int i = 0; i < garbage.length; i++) garbage[i] = new byte[1 << 20];
        assertTrue(garbage[garbage.length - 1].length > 0);
        garbage = null;
        assertTrue(HeapTrim.collectIfGrown(), "64 MB more in use");
        assertFalse(HeapTrim.collectIfGrown(), "nothing since");
    }
}
