package io.auricle.decoding;

/** Log-softmax helpers over float logits, accumulated in double. */
final class LogProbs {
    private LogProbs() {}

    /** log Σ exp(x[i]) over {@code [from, to)}; -∞ when all are -∞. */
    static double logSumExp(float[] x, int from, int to) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) max = Math.max(max, x[i]);
        if (max == Float.NEGATIVE_INFINITY) return Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int i = from; i < to; i++) sum += Math.exp(x[i] - max);
        return max + Math.log(sum);
    }

    /** log softmax(x)[i]. */
    static double logProb(float[] x, int i) {
        return x[i] - logSumExp(x, 0, x.length);
    }
}
