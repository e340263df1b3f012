package io.auricle.decoding;

import java.util.random.RandomGenerator;

/**
 * Greedy decoding: the most likely token at temperature 0, otherwise a sample from softmax(logits / T).
 * The log-probability added is that of the unscaled filtered logits, as openai/whisper's GreedyDecoder.
 */
public final class GreedyDecoder implements TokenDecoder {
    private final double temperature;
    private final RandomGenerator random;
    private double sumLogProb;

    public GreedyDecoder(double temperature, RandomGenerator random) {
        if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        this.temperature = temperature;
        this.random = random;
    }

    @Override
    public int next(float[] logits) {
        int token = temperature == 0 ? argmax(logits) : sample(logits);
        sumLogProb += LogProbs.logProb(logits, token);
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

    private int sample(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l / temperature);
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(logits[i] / temperature - max);
        double u = random.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u < 0) return i;
        }
        return argmax(logits);
    }
}
