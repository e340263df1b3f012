package io.auricle.decoding;

import java.util.List;

/**
 * The hypothesis with the highest length-normalised log-probability, as openai/whisper: divided by the length
 * when {@code lengthPenalty} is null, else by the GNMT penalty {@code ((5 + length) / 6)^α}. Ties go to the first.
 */
public final class MaximumLikelihoodRanker implements SequenceRanker {
    private final Double lengthPenalty;

    public MaximumLikelihoodRanker(Double lengthPenalty) {
        this.lengthPenalty = lengthPenalty;
    }

    public double score(Hypothesis h) {
        int length = h.tokens().length;
        double penalty = lengthPenalty == null ? length : Math.pow((5.0 + length) / 6.0, lengthPenalty);
        return h.sumLogProb() / penalty;
    }

    @Override
    public int rank(List<Hypothesis> hypotheses) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < hypotheses.size(); i++) {
            double s = score(hypotheses.get(i));
            if (s > bestScore || i == 0) {
                best = i;
                bestScore = s;
            }
        }
        return best;
    }
}
