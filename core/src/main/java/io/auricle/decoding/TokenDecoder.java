package io.auricle.decoding;

/** Picks the next token from filtered logits and keeps the running log-probability of the sequence. */
public interface TokenDecoder {

    /** The next token; {@link #sumLogProb} grows by its log-probability. */
    int next(float[] logits);

    /** Σ log p of the tokens picked so far, end-of-text included (as openai/whisper scores a sequence). */
    double sumLogProb();
}
