package io.auricle.decoding;

import io.auricle.decoding.SequenceRanker.Hypothesis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Beam search over one window, the bookkeeping of openai/whisper's BeamSearchDecoder with CTranslate2's choice
 * of which end-of-text candidates finish (faster-whisper is the reference we match): each step ranks
 * {@code 2 · beamSize} candidates (beam, token) by Σ log p; a candidate among the first {@code beamSize} that
 * is end-of-text finishes its hypothesis and its slot goes to the next candidate that is not; the search is
 * complete once {@code round(beamSize · patience)} hypotheses have finished. The first step has one row (all
 * beams share the prompt). Callers feed {@link #lastToken} of each slot to the cache of {@link #source}.
 */
public final class BeamSearchDecoder {
    private final int beamSize;
    private final int maxCandidates;
    private final int eot;
    private final List<Hypothesis> finished = new ArrayList<>();
    private int[][] sequences = {new int[0]};
    private double[] sums = {0};
    private int[] sources = {0};
    private boolean exhausted;

    public BeamSearchDecoder(int beamSize, double patience, int eot) {
        if (beamSize < 1) throw new IllegalArgumentException("beam size must be >= 1, got " + beamSize);
        this.beamSize = beamSize;
        this.maxCandidates = Math.max(1, (int) Math.round(beamSize * patience));
        this.eot = eot;
    }

    /** Live hypotheses: 1 before the first step, {@code beamSize} after. */
    public int size() {
        return sequences.length;
    }

    /** The sampled tokens of live hypothesis {@code slot}. */
    public int[] tokens(int slot) {
        return sequences[slot];
    }

    /** The slot, before the last {@link #update}, whose tokens {@code slot} extends. */
    public int source(int slot) {
        return sources[slot];
    }

    /** The token the last {@link #update} appended to {@code slot}. */
    public int lastToken(int slot) {
        int[] s = sequences[slot];
        return s[s.length - 1];
    }

    public List<Hypothesis> finished() {
        return List.copyOf(finished);
    }

    /**
     * One step: {@code logits[slot]} are the filtered logits of each live hypothesis. On the {@code last} step every
     * kept candidate finishes. Returns whether the search is complete.
     */
    public boolean update(float[][] logits, boolean last) {
        if (logits.length != sequences.length) {
            throw new IllegalArgumentException(logits.length + " rows of logits for " + sequences.length + " beams");
        }
        int wanted = 2 * beamSize;
        int[] candSource = new int[wanted], candToken = new int[wanted];
        double[] candScore = new double[wanted];
        int count = 0;
        for (int b = 0; b < logits.length; b++) {
            float[] row = logits[b];
            double base = sums[b] - LogProbs.logSumExp(row, 0, row.length);
            for (int t = 0; t < row.length; t++) {
                if (row[t] == Float.NEGATIVE_INFINITY) continue;
                double score = base + row[t];
                if (count == wanted && !(score > candScore[count - 1])) continue;
                // Insertion into the sorted top list; equal scores keep the earlier (beam, token), as a stable sort.
                int at = count == wanted ? count - 1 : count++;
                while (at > 0 && score > candScore[at - 1]) {
                    candScore[at] = candScore[at - 1];
                    candSource[at] = candSource[at - 1];
                    candToken[at] = candToken[at - 1];
                    at--;
                }
                candScore[at] = score;
                candSource[at] = b;
                candToken[at] = t;
            }
        }
        int kept = Math.min(beamSize, count);
        int[][] nextSequences = new int[kept][];
        double[] nextSums = new double[kept];
        int[] nextSources = new int[kept];
        int secondary = kept;
        for (int k = 0; k < kept; k++) {
            int pick = k;
            boolean isEnd = candToken[k] == eot;
            if (isEnd || last) {
                int[] prefix = sequences[candSource[k]];
                finished.add(new Hypothesis(isEnd ? prefix : append(prefix, candToken[k]), candScore[k]));
                if (isEnd) {
                    pick = -1;
                    while (secondary < count && pick < 0) {
                        if (candToken[secondary] != eot) pick = secondary;
                        secondary++;
                    }
                    if (pick < 0) { // no live candidate left (a nearly fully suppressed vocabulary)
                        pick = k;
                        exhausted = true;
                    }
                }
            }
            nextSequences[k] = append(sequences[candSource[pick]], candToken[pick]);
            nextSums[k] = candScore[pick];
            nextSources[k] = candSource[pick];
        }
        sequences = nextSequences;
        sums = nextSums;
        sources = nextSources;
        return last || exhausted || count == 0 || finished.size() >= maxCandidates;
    }

    private static int[] append(int[] prefix, int token) {
        int[] out = Arrays.copyOf(prefix, prefix.length + 1);
        out[prefix.length] = token;
        return out;
    }
}
