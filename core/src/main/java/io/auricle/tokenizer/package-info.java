/**
 * Whisper's tokenizer: {@link io.auricle.tokenizer.Tokenizer} (byte-level BPE by rank, special tokens derived
 * from n_vocab, decoding, word splitting for word timestamps), {@link io.auricle.tokenizer.Languages} (openai's
 * language table) and {@link io.auricle.tokenizer.Vocabularies} (vocabulary file readers).
 */
package io.auricle.tokenizer;
