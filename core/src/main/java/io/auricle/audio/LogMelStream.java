package io.auricle.audio;

import static io.auricle.audio.AudioConstants.HOP_LENGTH;
import static io.auricle.audio.AudioConstants.N_FFT;
import static io.auricle.audio.AudioConstants.N_SAMPLES;

import java.util.Arrays;

/**
 * {@link LogMel} for audio that arrives in pieces (a decoder streaming a long file), with the same result
 * bit for bit: {@code accept} the samples in any chunking, then {@link #finish(int)} gives exactly
 * {@code LogMel.compute(allSamples, nMels, padding)}.
 *
 * <p>Whisper clamps every value to (max − 8) where max is over the whole input, so no frame is final until
 * the last sample is in. The stream therefore keeps each frame's log10 energies as soon as its 400-sample
 * window is complete, and applies the clamp and rescale in a second pass over the stored frames at the end.
 * Only the samples that unfinished frames still need are kept. (Computing each 30 s chunk on its own instead
 * differs in two ways: each chunk clamps against its own max, and frames at the chunk edges see reflected
 * audio instead of their neighbours; LogMelStreamTest measures it.)
 */
public final class LogMelStream {
    private final int nMels;
    private final MelKernel kernel;
    private float[][] logs;
    private int frames;
    /** Samples from absolute position {@code bufferStart}; {@code buffered} of them are valid. */
    private float[] buffer = new float[4 * N_FFT];
    private long bufferStart;
    private int buffered;
    private boolean finished;

    public LogMelStream(int nMels) {
        this.nMels = nMels;
        this.kernel = new MelKernel(MelFilters.whisper(nMels));
        this.logs = new float[nMels][256];
    }

    /** Appends {@code samples[from, to)} and computes every frame whose window is now complete. */
    public void accept(float[] samples, int from, int to) {
        if (finished) throw new IllegalStateException("stream already finished");
        java.util.Objects.checkFromToIndex(from, to, samples.length);
        dropUnneededSamples();
        if (buffered + (to - from) > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, buffered + (to - from)));
        }
        System.arraycopy(samples, from, buffer, buffered, to - from);
        buffered += to - from;
        long received = bufferStart + buffered;
        // Frame f needs samples [160 f − 200, 160 f + 200); the extra sample keeps frame 0's mirror image
        // valid (numpy reflects more than once when the whole input is 200 samples or fewer). Whole vector
        // blocks only, so small chunks do not cost partial blocks.
        long complete = received > N_FFT / 2 ? (received - N_FFT / 2 - 1) / HOP_LENGTH + 1 : 0;
        int upTo = (int) (frames + (complete - frames) / Fft.LANES * Fft.LANES);
        if (upTo > frames) compute(upTo, new MelKernel.Signal(buffer, bufferStart, received, Long.MAX_VALUE / 4));
    }

    public void accept(float[] samples) {
        accept(samples, 0, samples.length);
    }

    /** Frames computed so far (their values are not final until {@link #finish}). */
    public int framesReady() {
        return frames;
    }

    /**
     * Appends {@code padding} zeros, computes the remaining frames and returns the whole spectrogram,
     * {@code [nMels][(samples + padding) / 160]}: equal to {@code LogMel.compute(samples, nMels, padding)}.
     */
    public float[][] finish(int padding) {
        if (finished) throw new IllegalStateException("stream already finished");
        if (padding < 0) throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        finished = true;
        long received = bufferStart + buffered;
        long total = received + padding;
        int all = LogMel.frameCount(total);
        compute(all, new MelKernel.Signal(buffer, bufferStart, received, total));
        float[][] out = new float[nMels][];
        for (int m = 0; m < nMels; m++) out[m] = logs[m].length == all ? logs[m] : Arrays.copyOf(logs[m], all);
        if (all > 0) LogMel.normalize(out, 0, all, kernel.max());
        logs = null;
        buffer = null;
        return out;
    }

    /** {@link #finish(int)} with transcribe's 30 s of zeros: equal to {@code LogMel.padded(samples, nMels)}. */
    public float[][] finishPadded() {
        return finish(N_SAMPLES);
    }

    private void compute(int upTo, MelKernel.Signal signal) {
        if (upTo <= frames) return;
        if (upTo > logs[0].length) {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * logs[0].length, upTo));
            for (int m = 0; m < nMels; m++) logs[m] = Arrays.copyOf(logs[m], capacity);
        }
        kernel.frames(signal, frames, upTo, logs, frames);
        frames = upTo;
    }

    /** Forgets samples before the first one the next frame needs (keeping the first 201 for frame 0's mirror). */
    private void dropUnneededSamples() {
        long keepFrom = Math.max(0, (long) frames * HOP_LENGTH - N_FFT / 2);
        if (frames == 0 || keepFrom <= bufferStart) return;
        int drop = (int) Math.min(keepFrom - bufferStart, buffered);
        System.arraycopy(buffer, drop, buffer, 0, buffered - drop);
        buffered -= drop;
        bufferStart += drop;
    }
}
