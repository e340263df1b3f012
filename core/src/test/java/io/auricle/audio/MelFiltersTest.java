package io.auricle.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MelFiltersTest {

    @ParameterizedTest
    @ValueSource(ints = {80, 128})
    void matchesLibrosaSlaneyFiltersFromFasterWhisper(int nMels) {
        float[][] expected = MelFixtures.matrix("filters_" + nMels);
        float[][] actual = MelFilters.whisper(nMels).matrix();
        double diff = MelFixtures.maxAbsDiff(expected, actual);
        assertTrue(diff <= 1e-6, "max |diff| " + diff);
    }

    @ParameterizedTest
    @ValueSource(ints = {80, 128})
    void sparseFormHoldsEveryNonZeroWeight(int nMels) {
        MelFilters filters = MelFilters.whisper(nMels);
        float[][] dense = filters.matrix();
        for (int m = 0; m < nMels; m++) {
            float[] w = filters.weights(m);
            int first = filters.firstBin(m);
            for (int k = 0; k < dense[m].length; k++) {
                float sparse = k >= first && k < first + w.length ? w[k - first] : 0f;
                assertEquals(dense[m][k], sparse, "filter " + m + " bin " + k);
            }
            assertTrue(w.length > 0 && w.length < 40, "filter " + m + " spans " + w.length + " bins");
        }
    }

    @Test
    void slaneyScaleIsLinearBelowOneKilohertz() {
        assertEquals(15.0, MelFilters.hzToMel(1000.0), 1e-12);
        assertEquals(45.245640471924965, MelFilters.hzToMel(8000.0), 1e-12);
        assertEquals(8000.0, MelFilters.melToHz(MelFilters.hzToMel(8000.0)), 1e-9);
    }

    @Test
    void rejectsNonsenseBandCounts() {
        assertThrows(IllegalArgumentException.class, () -> MelFilters.whisper(0));
    }
}
