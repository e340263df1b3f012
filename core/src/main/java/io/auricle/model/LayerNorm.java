package io.auricle.model;

import io.auricle.tensor.Ops;

/** A LayerNorm's parameters, widened to float once at load. */
record LayerNorm(float[] gamma, float[] beta) {

    static LayerNorm load(Weights w, String prefix) {
        return new LayerNorm(w.floats(prefix + ".weight"), w.floats(prefix + ".bias"));
    }

    void apply(Ops ops, float[] x, int n, float[] y) {
        ops.layerNorm(x, n, gamma.length, gamma, beta, y);
    }
}
