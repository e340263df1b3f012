package io.auricle.decoding;

import io.auricle.tensor.Ops;

/** Log-softmax helpers over float logits (the sums accumulated in double). */
final class LogProbs {
    private LogProbs() {}

    /** log Σ exp(x[i]) over {@code [from, to)}; -∞ when all are -∞. */
    static double logSumExp(float[] x, int from, int to) {
        return Ops.get().logSumExp(x, from, to);
    }

    /** log softmax(x)[i]. */
    static double logProb(float[] x, int i) {
        return x[i] - logSumExp(x, 0, x.length);
    }
}
