package io.auricle.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in one fixed order. {@code reduceLanes(ADD)} leaves the order of its float additions
 * open, and the interpreter, C1 and C2 do choose differently: the same product then differs in its last bits
 * between a JVM's first transcription and its later ones, and sampled decoding (temperature fallback, best_of)
 * can take another path, so a server's answer differed from the CLI's for the same file and options. A butterfly of
 * lane swaps is the same float arithmetic in every tier, at the cost of the intrinsic.
 *
 * <p>{@link #sum4} sums four vectors with the same additions as four {@link #sum}s (a float addition does not
 * depend on the order of its two operands), in a third of the operations: the first two swaps of each butterfly
 * are done for two and then four vectors at once, each vector's partial sums in its own half and then quarter of
 * one register. A decoder product of few rows sums a vector per output and input row (51864 outputs each step).
 */
final class Lanes {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Swaps lane i with lane i ^ s, for s = L/2, L/4, ..., 1. */
    private static final VectorShuffle<Float>[] SWAPS = swaps();
    private static final int L = F.length();
    private static final VectorMask<Float> UPPER_HALF = lanesWith(L / 2);
    private static final VectorMask<Float> ODD_QUARTERS = lanesWith(L / 4);
    private static final VectorShuffle<Float> SWAP_HALVES = SWAPS[0];
    private static final VectorShuffle<Float> SWAP_QUARTERS = SWAPS[1];

    private Lanes() {}

    /**
     * {@code y[yo + j] = sum(aj)} for j = 0..3, bit for bit; needs at least four lanes. Halves: {@code [a0 | a1]}
     * and {@code [a2 | a3]}, each lane the sum of a lane and its swap; quarters: {@code [a0, a2, a1, a3]}; then the
     * remaining swaps within each quarter, and each vector's sum is the first lane of its quarter.
     */
    static void sum4(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3, float[] y, int yo) {
        FloatVector h01 = a0.blend(a1, UPPER_HALF).add(a1.blend(a0, UPPER_HALF).rearrange(SWAP_HALVES));
        FloatVector h23 = a2.blend(a3, UPPER_HALF).add(a3.blend(a2, UPPER_HALF).rearrange(SWAP_HALVES));
        FloatVector q = h01.blend(h23, ODD_QUARTERS).add(h23.blend(h01, ODD_QUARTERS).rearrange(SWAP_QUARTERS));
        for (int k = 2; k < SWAPS.length; k++) q = q.add(q.rearrange(SWAPS[k]));
        y[yo] = q.lane(0);
        y[yo + 1] = q.lane(L / 2);
        y[yo + 2] = q.lane(L / 4);
        y[yo + 3] = q.lane(3 * L / 4);
    }

    /** The lanes i with {@code (i & bit) != 0}. */
    private static VectorMask<Float> lanesWith(int bit) {
        boolean[] set = new boolean[L];
        for (int i = 0; i < L; i++) set[i] = (i & bit) != 0;
        return VectorMask.fromArray(F, set, 0);
    }

    /** Lane 0 of the butterfly: ((v0 + v4) + (v2 + v6)) + ((v1 + v5) + (v3 + v7)) for eight lanes. */
    static float sum(FloatVector v) {
        for (VectorShuffle<Float> swap : SWAPS) v = v.add(v.rearrange(swap));
        return v.lane(0);
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] swaps() {
        int steps = Integer.numberOfTrailingZeros(F.length());
        VectorShuffle<Float>[] swaps = new VectorShuffle[steps];
        for (int k = 0; k < steps; k++) {
            int s = F.length() >> (k + 1);
            swaps[k] = VectorShuffle.fromOp(F, i -> i ^ s);
        }
        return swaps;
    }
}
