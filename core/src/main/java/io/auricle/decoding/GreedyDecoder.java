package io.auricle.decoding;

/**
 * Greedy decoding: the most likely token at temperature 0, otherwise a sample from softmax(log_softmax(logits) / T),
 * computed in floats and drawn as CTranslate2 does (see {@link Mt19937}). The log-probability added is that of
 * the unscaled filtered logits, as openai/whisper's GreedyDecoder.
 */
public final class GreedyDecoder implements TokenDecoder {
    private final double temperature;
    private final Mt19937 random;
    private double sumLogProb;
    private float[] probabilities = new float[0]; // sampling's working arrays, kept from token to token
    private double[] exps = new double[0];

    /** {@code random} may be null at temperature 0. */
    public GreedyDecoder(double temperature, Mt19937 random) {
        if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        this.temperature = temperature;
        this.random = random;
    }

    @Override
    public int next(float[] logits) {
        double logSum = LogProbs.logSumExp(logits, 0, logits.length);
        int token = temperature == 0 ? argmax(logits) : sample(logits, (float) logSum);
        sumLogProb += logits[token] - logSum;
        return token;
    }

    @Override
    public double sumLogProb() {
        return sumLogProb;
    }

    /** The first index of the largest value (ties go to the lower id, as torch.argmax). */
    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    /**
     * CTranslate2's RandomSampler over all tokens: log-softmax, times 1/T, softmax, each step rounded to float as its
     * float tensors are, then one discrete draw. Rounding as it does keeps the two engines' draws the same.
     */
    private int sample(float[] logits, float logSum) {
        int n = logits.length;
        if (probabilities.length != n) {
            probabilities = new float[n];
            exps = new double[n];
        }
        float inverseT = (float) (1 / temperature);
        float scaledMax = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            probabilities[i] = (logits[i] - logSum) * inverseT;
            scaledMax = Math.max(scaledMax, probabilities[i]);
        }
        double total = 0;
        for (int i = 0; i < n; i++) total += exps[i] = Math.exp(probabilities[i] - scaledMax);
        for (int i = 0; i < n; i++) probabilities[i] = (float) (exps[i] / total);
        return random.nextIndex(probabilities);
    }
}
