package io.auricle.audio;

import static io.auricle.audio.AudioConstants.HOP_LENGTH;
import static io.auricle.audio.AudioConstants.N_FRAMES;
import static io.auricle.audio.AudioConstants.N_SAMPLES;

import java.util.stream.IntStream;

/**
 * Whisper's log-mel spectrogram, exactly as openai-whisper's {@code log_mel_spectrogram(audio, n_mels,
 * padding)} defines it: append {@code padding} zeros; STFT with n_fft 400, hop 160, periodic Hann window,
 * centred with reflect padding of 200 on each side; power |X|² with the last frame dropped; Slaney mel filters
 * ({@link MelFilters}); log10 floored at 1e-10; clamp to (max − 8) where max is over the WHOLE input; then
 * (x + 4) / 4. The result is {@code [nMels][(samples + padding) / 160]}.
 *
 * <p>Because of the whole-input max a value depends on every other frame; {@link LogMelStream} computes the
 * same numbers incrementally by deferring that clamp to the end.
 *
 * <p>The decoder uses the transcribe form: {@link #padded} (30 s of zeros appended, so every window up to
 * the end of speech is a full 3000 frames of real STFT), then {@link #window} cuts one
 * {@code [nMels][3000]} window at a frame offset, zero-padded past the content like whisper's
 * {@code pad_or_trim}.
 */
public final class LogMel {
    private LogMel() {
    }

    /** {@code log_mel_spectrogram(samples, nMels)}: no padding; {@code samples.length / 160} frames. */
    public static float[][] compute(float[] samples, int nMels) {
        return compute(samples, nMels, 0, 1);
    }

    /** {@code log_mel_spectrogram(samples, nMels, padding)}: {@code padding} zeros appended first. */
    public static float[][] compute(float[] samples, int nMels, int padding) {
        return compute(samples, nMels, padding, 1);
    }

    /** As {@link #compute(float[], int, int)}, with the frames split over {@code threads} threads. */
    public static float[][] compute(float[] samples, int nMels, int padding, int threads) {
        if (padding < 0) throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        return compute(samples, samples.length, nMels, padding, frameCount((long) samples.length + padding), threads);
    }

    /**
     * The first {@code frames} frames of {@code log_mel_spectrogram(samples[0, length), nMels, padding)} (what
     * lies past {@code length} is not read).
     */
    private static float[][] compute(float[] samples, int length, int nMels, int padding, int frames, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        java.util.Objects.checkFromToIndex(0, length, samples.length);
        MelFilters filters = MelFilters.whisper(nMels);
        long total = (long) length + padding;
        float[][] out = new float[nMels][frames];
        if (frames == 0) return out;
        MelKernel.Signal signal = new MelKernel.Signal(samples, 0, length, total);
        // Ranges of whole vector blocks, so no block straddles two threads.
        int blocks = (frames + Fft.LANES - 1) / Fft.LANES;
        int parts = Math.min(threads, blocks);
        MelKernel[] kernels = new MelKernel[parts];
        IntStream.range(0, parts).parallel().forEach(part -> {
            int from = Math.min(frames, (int) ((long) blocks * part / parts) * Fft.LANES);
            int to = Math.min(frames, (int) ((long) blocks * (part + 1) / parts) * Fft.LANES);
            kernels[part] = new MelKernel(filters);
            kernels[part].frames(signal, from, to, out, from);
        });
        float max = Float.NEGATIVE_INFINITY;
        for (MelKernel kernel : kernels) max = Math.max(max, kernel.max());
        normalize(out, 0, frames, max);
        return out;
    }

    /**
     * The form openai-whisper's transcribe uses: {@code log_mel_spectrogram(samples, nMels,
     * padding=N_SAMPLES)}. Frames beyond {@link #contentFrames} are the appended silence.
     */
    public static float[][] padded(float[] samples, int nMels) {
        return compute(samples, nMels, N_SAMPLES, 1);
    }

    /** As {@link #padded(float[], int)}, over {@code threads} threads. */
    public static float[][] padded(float[] samples, int nMels, int threads) {
        return compute(samples, nMels, N_SAMPLES, threads);
    }

    /** As {@link #padded(float[], int, int)} of the first {@code length} samples (a file's, in the array it was read into). */
    public static float[][] padded(float[] samples, int length, int nMels, int threads) {
        return compute(samples, length, nMels, N_SAMPLES, frameCount((long) length + N_SAMPLES), threads);
    }

    /**
     * Only the {@code samples.length / 160} content frames of {@link #padded}: what transcribe slices its
     * windows from. Identical to {@code padded(...)[m][0, content)}, without computing the 3000 frames of
     * silence; the last two frames differ from {@link #compute(float[], int)}, which reflects the audio's own end
     * where this sees the appended zeros. (The clamp's max is the same: the silence frames are all -10.)
     */
    public static float[][] paddedContent(float[] samples, int nMels, int threads) {
        return compute(samples, samples.length, nMels, N_SAMPLES, frameCount(samples.length), threads);
    }

    /** Frames of real audio in a {@link #padded} spectrogram: transcribe's {@code mel.shape[-1] - N_FRAMES}. */
    public static int contentFrames(float[][] paddedMel) {
        return Math.max(0, paddedMel[0].length - N_FRAMES);
    }

    /**
     * One model input, {@code [nMels][3000]}: frames {@code [seek, seek + frames)} of {@code mel}, then zeros
     * (whisper's {@code pad_or_trim(mel[:, seek:seek + frames], N_FRAMES)}; the padding is 0.0, not the
     * log-mel of silence, exactly as there).
     */
    public static float[][] window(float[][] mel, int seek, int frames) {
        return window(mel, seek, frames, null);
    }

    /** As {@link #window(float[][], int, int)}, into {@code done} (an earlier window no longer needed) when it fits. */
    public static float[][] window(float[][] mel, int seek, int frames, float[][] done) {
        int available = mel.length == 0 ? 0 : mel[0].length;
        if (seek < 0 || frames < 0 || frames > N_FRAMES || seek > available - frames) {
            throw new IllegalArgumentException("window [" + seek + ", " + ((long) seek + frames)
                    + ") is outside 0.." + available + " or longer than " + N_FRAMES + " frames");
        }
        boolean fits = done != null && done.length == mel.length && (done.length == 0 || done[0].length == N_FRAMES);
        float[][] out = fits ? done : new float[mel.length][N_FRAMES];
        for (int m = 0; m < mel.length; m++) {
            System.arraycopy(mel[m], seek, out[m], 0, frames);
            if (fits) java.util.Arrays.fill(out[m], frames, N_FRAMES, 0f);
        }
        return out;
    }

    /** STFT frames of {@code samples} (audio plus padding) after dropping the last one. */
    public static int frameCount(long samples) {
        long frames = samples / HOP_LENGTH;
        if (frames > Integer.MAX_VALUE) throw new IllegalArgumentException("audio too long: " + samples + " samples");
        return (int) frames;
    }

    /**
     * Whisper's clamp to (max − 8) and rescale (x + 4) / 4, in place on frames {@code [from, to)}. A plain
     * loop: C2 vectorizes it, and it stays fast in a cold JVM where Vector API calls are not yet compiled.
     */
    static void normalize(float[][] logs, int from, int to, float max) {
        float floor = max - 8.0f;
        for (float[] row : logs) {
            for (int f = from; f < to; f++) row[f] = (Math.max(row[f], floor) + 4.0f) * 0.25f;
        }
    }
}
