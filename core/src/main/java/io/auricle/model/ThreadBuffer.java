package io.auricle.model;

/**
 * A float array per thread, grown on demand and reused, for what a call needs only while it runs (a decoder step's
 * logits, the weights handed to a sink, the alignment pass's logits). Arrays of a few MB made per call outlive the
 * launcher's small young generation once a collection falls within the call, and the serial collector grows its
 * old generation for them rather than collect it.
 */
public final class ThreadBuffer {
    private final ThreadLocal<float[]> buffer = new ThreadLocal<>();

    /** This thread's array, at least {@code size} floats long; its contents are whatever the last use left. */
    public float[] get(int size) {
        float[] b = buffer.get();
        if (b == null || b.length < size) buffer.set(b = new float[size]);
        return b;
    }
}
