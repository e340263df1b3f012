package io.auricle.audio;

/**
 * A pull stream of 16 kHz mono samples in [-1, 1]. Memory stays bounded whatever the file's length.
 * Not thread-safe. Bad data found while reading throws {@link io.auricle.AuricleException}.
 */
public interface AudioStream extends AutoCloseable {

    /** What the source file declares. */
    AudioInfo info();

    /**
     * Reads up to {@code len} samples into {@code buf[off..]}.
     *
     * @return the number of samples read (at least 1 when {@code len > 0}), or -1 at the end
     */
    int read(float[] buf, int off, int len);

    @Override
    void close();
}
