package io.auricle.decoding;

/** Changes the next-token logits in place given the tokens so far (prompt included), e.g. by setting some to -∞. */
public interface LogitFilter {
    void apply(float[] logits, int[] tokens);
}
