package io.auricle.audio;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Turns frames of audio into log10 mel energies (before Whisper's clamp and rescale), {@link Fft#LANES}
 * frames at a time: gather the windowed samples, FFT to power, apply the sparse mel filters, floor at 1e-10
 * and take log10. One instance per thread: it owns its scratch buffers.
 */
final class MelKernel {
    private static final float LOG_FLOOR = 1e-10f;
    /** log10 of the floor, by the same vector operation as every other energy. */
    static final float SILENCE = FloatVector.broadcast(Fft.SPECIES, LOG_FLOOR)
            .lanewise(VectorOperators.LOG10).lane(0);
    private static final int LANES = Fft.LANES;

    private final MelFilters filters;
    private final Fft fft = new Fft(LogMel.N_FFT);
    private final float[] window = hannWindow(LogMel.N_FFT);
    private final float[] even = new float[LogMel.N_FFT / 2 * LANES];
    private final float[] odd = new float[LogMel.N_FFT / 2 * LANES];
    private final float[] power = new float[(LogMel.N_FFT / 2 + 1) * LANES];
    /** Sample offsets of the lanes' frames, for the gathers. */
    private final int[] laneOffsets = new int[LANES];
    private FloatVector max = FloatVector.broadcast(Fft.SPECIES, Float.NEGATIVE_INFINITY);

    MelKernel(MelFilters filters) {
        this.filters = filters;
        for (int j = 0; j < LANES; j++) laneOffsets[j] = j * LogMel.HOP_LENGTH;
    }

    /** The largest log10 energy written so far. */
    float max() {
        return max.reduceLanes(VectorOperators.MAX);
    }

    /**
     * Writes log10 mel energies of frames {@code [from, to)} of {@code signal} to
     * {@code out[m][at + f - from]}.
     */
    void frames(Signal signal, int from, int to, float[][] out, int at) {
        for (int f = from; f < to; f += LANES) {
            int count = Math.min(LANES, to - f);
            block(signal, f, count, out, at + f - from);
        }
    }

    private void block(Signal signal, int firstFrame, int count, float[][] out, int at) {
        long start = (long) firstFrame * LogMel.HOP_LENGTH - LogMel.N_FFT / 2;
        long end = (long) (firstFrame + LANES - 1) * LogMel.HOP_LENGTH + LogMel.N_FFT / 2;
        if (start >= signal.available() && end <= signal.total()) {
            silentBlock(count, out, at);
            return;
        }
        if (start >= signal.offset() && end <= signal.available() && count == LANES) {
            gatherInterior(signal, start);
        } else {
            gatherEdge(signal, start, count);
        }
        fft.power(even, odd, power);
        VectorMask<Float> valid = Fft.SPECIES.indexInRange(0, count);
        for (int m = 0; m < out.length; m++) {
            float[] w = filters.weights(m);
            int base = filters.firstBin(m) * LANES;
            FloatVector acc = FloatVector.zero(Fft.SPECIES);
            for (int k = 0; k < w.length; k++) {
                acc = FloatVector.fromArray(Fft.SPECIES, power, base + k * LANES).mul(w[k]).add(acc);
            }
            FloatVector log = acc.max(LOG_FLOOR).lanewise(VectorOperators.LOG10);
            max = max.lanewise(VectorOperators.MAX, log, valid);
            log.intoArray(out[m], at, valid);
        }
    }

    /** Frames made only of appended zeros: every energy is 0, floored to 1e-10, so log10 is exactly -10. */
    private void silentBlock(int count, float[][] out, int at) {
        for (float[] row : out) java.util.Arrays.fill(row, at, at + count, SILENCE);
        max = max.max(SILENCE);
    }

    private void gatherInterior(Signal signal, long start) {
        float[] data = signal.data();
        int base = (int) (start - signal.offset());
        for (int i = 0; i < LogMel.N_FFT / 2; i++) {
            FloatVector.fromArray(Fft.SPECIES, data, base + 2 * i, laneOffsets, 0)
                    .mul(window[2 * i]).intoArray(even, i * LANES);
            FloatVector.fromArray(Fft.SPECIES, data, base + 2 * i + 1, laneOffsets, 0)
                    .mul(window[2 * i + 1]).intoArray(odd, i * LANES);
        }
    }

    /** Frames that reach past either end: sample by sample through the reflection; unused lanes get zeros. */
    private void gatherEdge(Signal signal, long start, int count) {
        for (int j = 0; j < LANES; j++) {
            long frameStart = start + (long) j * LogMel.HOP_LENGTH;
            for (int i = 0; i < LogMel.N_FFT / 2; i++) {
                even[i * LANES + j] = j < count ? signal.reflected(frameStart + 2 * i) * window[2 * i] : 0f;
                odd[i * LANES + j] = j < count ? signal.reflected(frameStart + 2 * i + 1) * window[2 * i + 1] : 0f;
            }
        }
    }

    /** torch.hann_window(n) (periodic): 0.5 − 0.5·cos(2πi/n), computed in double. */
    static float[] hannWindow(int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
        return w;
    }

    /**
     * Audio as the STFT sees it: {@code available} real samples, then zeros up to {@code total}, reflected
     * (without repeating the edge sample) past both ends as torch.stft(center=True) and numpy's "reflect"
     * pad do. {@code data[i]} holds sample {@code offset + i}; a stream keeps only a recent part.
     */
    record Signal(float[] data, long offset, long available, long total) {

        float reflected(long i) {
            if (total == 1) {
                i = 0;
            } else if (i < 0 || i >= total) {
                long period = 2 * (total - 1);
                i = Math.abs(i) % period;
                if (i >= total) i = period - i;
            }
            return i < available ? data[(int) (i - offset)] : 0f;
        }
    }
}
