package io.auricle.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in one fixed order. {@code reduceLanes(ADD)} leaves the order of its float additions
 * open, and the interpreter, C1 and C2 do choose differently: the same product then differs in its last bits
 * between a JVM's first transcription and its later ones, and sampled decoding (temperature fallback, best_of)
 * can take another path, so a server's answer differed from the CLI's for the same file and options. A butterfly of
 * lane swaps is the same float arithmetic in every tier, at the cost of the intrinsic.
 */
final class Lanes {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Swaps lane i with lane i ^ s, for s = L/2, L/4, ..., 1. */
    private static final VectorShuffle<Float>[] SWAPS = swaps();

    private Lanes() {}

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
