package io.auricle.audio;

import io.auricle.AuricleException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/** An {@link AudioStream} that decodes a piece at a time and hands out the samples from a small buffer. */
abstract class BufferedAudioStream implements AudioStream {
    private float[] pending = new float[16384];
    private int start;
    private int end;
    private boolean finished;

    /** Decodes the next piece, handing its samples to {@link #push}; returns false when the source is exhausted. */
    protected abstract boolean decodeMore();

    /** Queues 16-bit samples, scaled to [-1, 1) as the reference does (divide by 32768). */
    protected final void push(short[] s16, int count) {
        makeRoom(count);
        for (int i = 0; i < count; i++) pending[end + i] = s16[i] / 32768f;
        end += count;
    }

    private void makeRoom(int count) {
        if (end + count <= pending.length) return;
        int live = end - start;
        if (live + count > pending.length) {
            float[] bigger = new float[Math.max(pending.length * 2, live + count)];
            System.arraycopy(pending, start, bigger, 0, live);
            pending = bigger;
        } else {
            System.arraycopy(pending, start, pending, 0, live);
        }
        start = 0;
        end = live;
    }

    @Override
    public final int read(float[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0) return 0;
        while (start == end) {
            if (finished) return -1;
            start = end = 0;
            if (!decodeMore()) finished = true;
        }
        int n = Math.min(len, end - start);
        System.arraycopy(pending, start, buf, off, n);
        start += n;
        return n;
    }

    /** The longest Java array: about 37 hours at 16 kHz. */
    private static final int MAX_SAMPLES = Integer.MAX_VALUE - 8;

    /**
     * Reads the whole stream into one array, sized from the declared duration (when plausible) so a long file
     * is not copied while growing. Refuses, with one line, what cannot fit rather than running out of memory.
     */
    final float[] readRemaining(String file) {
        AudioFile.Decoded d = readRemainingUntrimmed(file);
        return d.length() == d.samples().length ? d.samples() : Arrays.copyOf(d.samples(), d.length());
    }

    /** As {@link #readRemaining}, without the copy that trims the array to the samples read. */
    final AudioFile.Decoded readRemainingUntrimmed(String file) {
        double declared = info().durationSeconds();
        long declaredSamples = Double.isFinite(declared) ? (long) Math.ceil(declared * AudioConstants.SAMPLE_RATE) : 0;
        // A damaged header may declare anything: trust it for sizing only as far as it fits.
        long expected = fits(declaredSamples + 4096) ? declaredSamples + 4096 : 0;
        float[] all = new float[(int) Math.max(expected, 1 << 16)];
        int n = 0;
        for (int got; (got = read(all, n, all.length - n)) >= 0; ) {
            n += got;
            if (n == all.length) {
                long bigger = Math.max(Math.min(2L * all.length, MAX_SAMPLES), all.length + 1L);
                if (!fits(bigger)) throw tooLong(file, Math.max(declaredSamples, n + 1L));
                all = Arrays.copyOf(all, (int) bigger);
            }
        }
        return new AudioFile.Decoded(all, n);
    }

    /** Whether {@code samples} floats fit in one array, with heap room for it and its trimmed copy. */
    private static boolean fits(long samples) {
        return samples <= MAX_SAMPLES && samples * Float.BYTES * 2 <= Runtime.getRuntime().maxMemory();
    }

    private static AuricleException tooLong(String file, long samples) {
        double hours = samples / (AudioConstants.SAMPLE_RATE * 3600.0);
        if (samples > MAX_SAMPLES) {
            return new AuricleException(String.format(Locale.ROOT, "%s: %.1f hours of audio is too long to hold as"
                    + " one array; stream it with AudioFile.open", file, hours));
        }
        return new AuricleException(String.format(Locale.ROOT, "%s: %.1f hours of audio needs about %d MB in memory,"
                + " more than the %d MB this JVM may use (raise -Xmx, or stream it with AudioFile.open)",
                file, hours, samples * Float.BYTES * 2 >> 20, Runtime.getRuntime().maxMemory() >> 20));
    }
}
