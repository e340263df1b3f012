package io.auricle.audio;

import static io.auricle.audio.AudioConstants.HOP_LENGTH;
import static io.auricle.audio.AudioConstants.N_FFT;
import static io.auricle.audio.AudioConstants.N_SAMPLES;

import java.util.Arrays;
import java.util.stream.IntStream;

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
 *
 * <p>{@link #read} streams a whole file this way: the transcription of a long file then holds its spectrogram
 * (16 KB a second of audio at 80 bands) but never its samples (64 KB a second).
 */
public final class LogMelStream {
    /** Samples per read when streaming a file: 30 s, i.e. about 3000 frames to split among the threads. */
    private static final int READ_CHUNK = N_SAMPLES;
    /** Below this many frames per thread a batch of frames is computed on the calling thread alone. */
    private static final int FRAMES_PER_THREAD = 512;

    private final int nMels;
    /** One per thread (each owns its scratch buffers and running max); the first does small batches. */
    private final MelKernel[] kernels;
    private float[][] logs;
    private int frames;
    /** Samples from absolute position {@code bufferStart}; {@code buffered} of them are valid. */
    private float[] buffer = new float[4 * N_FFT];
    private long bufferStart;
    private int buffered;
    private boolean finished;

    public LogMelStream(int nMels) {
        this(nMels, 1, 0);
    }

    /**
     * @param threads        threads for large batches of frames (the common fork-join pool's)
     * @param expectedFrames frames to make room for at once (the declared duration; 0 if unknown), so that a long
     *                       file's spectrogram is not copied while it grows
     */
    public LogMelStream(int nMels, int threads, int expectedFrames) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.nMels = nMels;
        MelFilters filters = MelFilters.whisper(nMels);
        this.kernels = new MelKernel[threads];
        for (int i = 0; i < threads; i++) kernels[i] = new MelKernel(filters);
        this.logs = new float[nMels][Math.max(256, expectedFrames)];
    }

    /**
     * A spectrogram whose bands may be longer than its {@code frames}: {@link #read} sizes them from the declared
     * duration (with a little room, as a resampled length is not known to the sample) and does not copy a long
     * file's 41 MB again only to drop the unused frames. Past {@code frames} the bands hold zeros.
     */
    public record Spectrogram(float[][] bands, int frames) {}

    /**
     * {@link LogMel#padded} of everything {@code in} has left, read a chunk at a time: the samples are never all
     * in memory at once. {@code expectedSeconds} sizes the spectrogram up front (NaN or 0 if unknown).
     */
    public static Spectrogram read(AudioStream in, int nMels, int threads, double expectedSeconds) {
        long expected = Double.isFinite(expectedSeconds) && expectedSeconds > 0
                ? (long) Math.ceil(expectedSeconds * AudioConstants.FRAMES_PER_SECOND * 1.01) + N_SAMPLES / HOP_LENGTH + 160
                : 0;
        LogMelStream stream = new LogMelStream(nMels, threads, (int) Math.min(expected, 1 << 28));
        float[] chunk = new float[READ_CHUNK];
        int n = 0;
        for (int got; (got = in.read(chunk, n, chunk.length - n)) >= 0; ) {
            n += got;
            if (n == chunk.length) {
                stream.accept(chunk, 0, n);
                n = 0;
            }
        }
        stream.accept(chunk, 0, n);
        return stream.complete(N_SAMPLES, false);
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
        return complete(padding, true).bands();
    }

    /** {@link #finish}, the bands cut to the frame count if {@code exact}, else as long as they grew. */
    private Spectrogram complete(int padding, boolean exact) {
        if (finished) throw new IllegalStateException("stream already finished");
        if (padding < 0) throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        finished = true;
        long received = bufferStart + buffered;
        long total = received + padding;
        int all = LogMel.frameCount(total);
        compute(all, new MelKernel.Signal(buffer, bufferStart, received, total));
        float[][] out = new float[nMels][];
        for (int m = 0; m < nMels; m++) {
            out[m] = logs[m].length == all || !exact ? logs[m] : Arrays.copyOf(logs[m], all);
            logs[m] = null; // so that at most one band is held twice
        }
        float max = Float.NEGATIVE_INFINITY;
        for (MelKernel kernel : kernels) max = Math.max(max, kernel.max());
        if (all > 0) LogMel.normalize(out, 0, all, max);
        logs = null;
        buffer = null;
        return new Spectrogram(out, all);
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
        int from = frames;
        int blocks = (upTo - from + Fft.LANES - 1) / Fft.LANES;
        int parts = Math.min(kernels.length, Math.max(1, (upTo - from) / FRAMES_PER_THREAD));
        if (parts == 1) {
            kernels[0].frames(signal, from, upTo, logs, from);
        } else { // ranges of whole vector blocks, as LogMel.compute splits them
            float[][] out = logs;
            IntStream.range(0, parts).parallel().forEach(part -> {
                int a = Math.min(upTo, from + (int) ((long) blocks * part / parts) * Fft.LANES);
                int b = Math.min(upTo, from + (int) ((long) blocks * (part + 1) / parts) * Fft.LANES);
                kernels[part].frames(signal, a, b, out, a);
            });
        }
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
