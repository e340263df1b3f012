package io.auricle.decoding;

import java.util.List;

/** Picks one of a window's finished hypotheses (openai/whisper's SequenceRanker). */
public interface SequenceRanker {

    /** A finished hypothesis: its sampled tokens (end-of-text excluded) and Σ log p (end-of-text included). */
    record Hypothesis(int[] tokens, double sumLogProb) {}

    /** The index of the chosen hypothesis; {@code hypotheses} is not empty. */
    int rank(List<Hypothesis> hypotheses);
}
