package io.auricle.transcribe;

import io.auricle.model.KvCache;

/**
 * The arrays one window's decoding fills (its spectrogram, the encoder output, the decoder cache with the
 * cross-attention keys and values), which the next window overwrites instead of allocating its own: 15 MB a
 * window at tiny.en. A transcription hands them on to the next one of the same engine when it is done, so a run
 * over many short files does not promote a set per file into the old generation either.
 */
final class WindowBuffers {
    float[][] window;
    float[] features;
    KvCache cache;
}
