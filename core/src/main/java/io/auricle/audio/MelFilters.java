package io.auricle.audio;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Slaney-style mel filter bank Whisper uses: {@code librosa.filters.mel(sr=16000, n_fft=400, n_mels=n)}
 * (Slaney mel scale, Slaney area normalisation), computed here rather than loaded from openai-whisper's
 * {@code mel_filters.npz}. Weights are computed in double and rounded to float, as librosa does.
 *
 * <p>Each triangle touches only a few of the 201 FFT bins, so besides the dense matrix a filter keeps its
 * first non-zero bin and its non-zero weights; {@link LogMel} multiplies by those alone.
 */
public final class MelFilters {
    /** librosa's Slaney scale: linear below 1 kHz (200/3 Hz a mel), logarithmic above. */
    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOG_STEP = Math.log(6.4) / 27.0;

    private static final Map<Integer, MelFilters> CACHE = new ConcurrentHashMap<>();

    private final int sampleRate;
    private final int nFft;
    private final float[][] dense;
    private final int[] firstBin;
    private final float[][] weights;

    private MelFilters(int sampleRate, int nFft, int nMels) {
        this.sampleRate = sampleRate;
        this.nFft = nFft;
        this.dense = slaney(sampleRate, nFft, nMels);
        this.firstBin = new int[nMels];
        this.weights = new float[nMels][];
        for (int m = 0; m < nMels; m++) {
            float[] row = dense[m];
            int lo = 0;
            while (lo < row.length && row[lo] == 0f) lo++;
            int hi = row.length;
            while (hi > lo && row[hi - 1] == 0f) hi--;
            firstBin[m] = lo;
            weights[m] = Arrays.copyOfRange(row, lo, hi);
        }
    }

    /** Whisper's filter bank for {@code nMels} bands (80 for most models, 128 for large-v3). */
    public static MelFilters whisper(int nMels) {
        if (nMels <= 0 || nMels > 512) {
            throw new IllegalArgumentException("mel band count must be in 1..512, got " + nMels);
        }
        return CACHE.computeIfAbsent(nMels, n -> new MelFilters(AudioConstants.SAMPLE_RATE, AudioConstants.N_FFT, n));
    }

    public int melCount() {
        return dense.length;
    }

    /** The number of FFT bins a filter spans: {@code nFft / 2 + 1}. */
    public int binCount() {
        return nFft / 2 + 1;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** A copy of the dense matrix {@code [nMels][nFft / 2 + 1]}. */
    public float[][] matrix() {
        float[][] copy = new float[dense.length][];
        for (int m = 0; m < dense.length; m++) copy[m] = dense[m].clone();
        return copy;
    }

    /** The first FFT bin where filter {@code m} is non-zero. */
    int firstBin(int m) {
        return firstBin[m];
    }

    /** Filter {@code m}'s weights from {@link #firstBin(int)} on (shared, do not modify). */
    float[] weights(int m) {
        return weights[m];
    }

    /** librosa.filters.mel(sr, n_fft, n_mels, fmin=0, fmax=sr/2, htk=False, norm="slaney"). */
    static float[][] slaney(int sampleRate, int nFft, int nMels) {
        int bins = nFft / 2 + 1;
        double maxMel = hzToMel(sampleRate / 2.0);
        // Band edges: nMels + 2 points evenly spaced in mel (np.linspace), back in Hz.
        double[] edges = new double[nMels + 2];
        double step = maxMel / (nMels + 1);
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHz(i == edges.length - 1 ? maxMel : i * step);
        }
        float[][] filters = new float[nMels][bins];
        for (int m = 0; m < nMels; m++) {
            double left = edges[m], centre = edges[m + 1], right = edges[m + 2];
            double areaNorm = 2.0 / (right - left);
            for (int k = 0; k < bins; k++) {
                double hz = (double) k * sampleRate / nFft;
                double rising = (hz - left) / (centre - left);
                double falling = (right - hz) / (right - centre);
                double w = Math.max(0.0, Math.min(rising, falling));
                filters[m][k] = (float) (w * areaNorm);
            }
        }
        return filters;
    }

    static double hzToMel(double hz) {
        return hz < MIN_LOG_HZ ? hz / F_SP : MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
    }

    static double melToHz(double mel) {
        return mel < MIN_LOG_MEL ? mel * F_SP : MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
    }
}
