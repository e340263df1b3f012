package io.auricle.decoding;

import java.util.Arrays;

/**
 * Whisper's timestamp grammar, as CTranslate2 (faster-whisper) applies it: never {@code <|notimestamps|>};
 * the first sampled token is a timestamp no later than {@code maxInitialTimestampIndex}; timestamps come in
 * pairs (after a lone timestamp only another timestamp or EOT, after a pair only text); timestamps never go
 * back; and when the total probability of the timestamps beats the best text token, a timestamp is forced.
 */
public final class ApplyTimestampRules implements LogitFilter {
    private final int eot;
    private final int noTimestamps;
    private final int timestampBegin;
    private final int sampleBegin;
    private final int maxInitialTimestampIndex; // -1: no limit

    /** Timestamp tokens are {@code timestampBegin} up to the end of the logits. */
    public ApplyTimestampRules(int eot, int noTimestamps, int timestampBegin, int sampleBegin,
                               int maxInitialTimestampIndex) {
        this.eot = eot;
        this.noTimestamps = noTimestamps;
        this.timestampBegin = timestampBegin;
        this.sampleBegin = sampleBegin;
        this.maxInitialTimestampIndex = maxInitialTimestampIndex;
    }

    @Override
    public void apply(float[] logits, int[] tokens) {
        int tsBegin = timestampBegin;
        logits[noTimestamps] = Float.NEGATIVE_INFINITY;
        int step = tokens.length;
        if (step == sampleBegin) {
            Arrays.fill(logits, 0, tsBegin, Float.NEGATIVE_INFINITY);
            if (maxInitialTimestampIndex >= 0) {
                int lastAllowed = tsBegin + maxInitialTimestampIndex;
                if (lastAllowed + 1 < logits.length) Arrays.fill(logits, lastAllowed + 1, logits.length, Float.NEGATIVE_INFINITY);
            }
            return;
        }
        if (step < sampleBegin) return;

        boolean lastWasTimestamp = isTimestamp(tokens[step - 1]);
        boolean penultimateWasTimestamp = step - 1 == sampleBegin || isTimestamp(tokens[step - 2]);
        if (lastWasTimestamp) {
            if (penultimateWasTimestamp) {
                Arrays.fill(logits, tsBegin, logits.length, Float.NEGATIVE_INFINITY); // a pair ended: text next
            } else {
                Arrays.fill(logits, 0, eot, Float.NEGATIVE_INFINITY);       // close the pair or end
            }
        }
        // Timestamps never go back: after a lone timestamp the same one may close the pair, otherwise the next
        // must be later than the last.
        for (int t = step - 1; t >= sampleBegin; t--) {
            if (isTimestamp(tokens[t])) {
                int end = lastWasTimestamp && !penultimateWasTimestamp ? tokens[t] : Math.min(tokens[t] + 1, logits.length);
                Arrays.fill(logits, tsBegin, end, Float.NEGATIVE_INFINITY);
                break;
            }
        }

        // Comparing log-softmax values; the common normalizer cancels out.
        double timestampMass = LogProbs.logSumExp(logits, tsBegin, logits.length);
        float maxText = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < tsBegin; i++) maxText = Math.max(maxText, logits[i]);
        if (timestampMass > maxText) Arrays.fill(logits, 0, tsBegin, Float.NEGATIVE_INFINITY);
    }

    private boolean isTimestamp(int token) {
        return token >= timestampBegin;
    }
}
