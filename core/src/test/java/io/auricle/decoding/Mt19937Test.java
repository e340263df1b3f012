package io.auricle.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The generator against the C++ standard's check value; its draws are checked against CTranslate2's elsewhere. */
class Mt19937Test {

    @Test
    void tenThousandthOutputOfTheDefaultSeedIsTheStandardsCheckValue() {
        Mt19937 generator = new Mt19937(5489); // [rand.predef]: mt19937's 10000th invocation gives 4123659995
        long value = 0;
        for (int i = 0; i < 10000; i++) value = generator.nextUnsigned();
        assertEquals(4123659995L, value);
    }

    @Test
    void discreteDrawsNeverPickAWeightOfZero() {
        Mt19937 generator = new Mt19937(1);
        float[] weights = {0, 0.25f, 0, 0.75f, 0};
        int[] counts = new int[weights.length];
        for (int i = 0; i < 4000; i++) counts[generator.nextIndex(weights)]++;
        assertEquals(0, counts[0] + counts[2] + counts[4]);
        assertEquals(1000, counts[1], 100);
    }
}
