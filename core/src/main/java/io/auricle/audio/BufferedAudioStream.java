package io.auricle.audio;

import java.util.Arrays;
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

    /** Reads the whole stream into one array. */
    final float[] readRemaining() {
        float[] all = new float[1 << 16];
        int n = 0;
        for (int got; (got = read(all, n, all.length - n)) >= 0; ) {
            n += got;
            if (n == all.length) all = Arrays.copyOf(all, all.length * 2);
        }
        return Arrays.copyOf(all, n);
    }
}
