package io.auricle.model;

import io.auricle.tensor.Matrix;
import io.auricle.tensor.Ops;

/** A Linear layer: a weight prepared once by {@link Ops#prepare} and an optional bias. */
record Linear(Matrix weight, float[] bias) {

    static Linear load(Weights w, String prefix, boolean hasBias) {
        return new Linear(w.matrix(prefix + ".weight"), hasBias ? w.floats(prefix + ".bias") : null);
    }

    int out() {
        return weight.rows();
    }

    /** {@code y[n, out] = x[n, in] · Wᵀ + b}. */
    void apply(Ops ops, float[] x, int n, float[] y) {
        ops.matmul(x, n, weight, bias, y);
    }
}
