package io.auricle.audio;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Turns frames of audio into log10 mel energies (before Whisper's clamp and rescale), {@link Fft#LANES}
 * frames at a time: gather the windowed samples, FFT to power, apply the sparse mel filters, floor at 1e-10
 * and take log10. One instance per thread: it owns its scratch buffers.
 */
final class MelKernel {
    private static final int LANES = Fft.LANES;
    private static final float LOG_FLOOR = 1e-10f;
    // Cephes' log10f: x = m·2^e with m in [√½, √2), log(m) = f − f²/2 + f³·P(f) for f = m − 1, and the
    // constants log10(e) and log10(2) split in two parts so the sums keep float precision.
    private static final float SQRT_HALF = 0.707106781186547524f;
    private static final float[] P = {7.0376836292e-2f, -1.1514610310e-1f, 1.1676998740e-1f, -1.2420140846e-1f,
            1.4249322787e-1f, -1.6668057665e-1f, 2.0000714765e-1f, -2.4999993993e-1f, 3.3333331174e-1f};
    private static final float LOG10_E_HI = 4.3359375e-1f, LOG10_E_LO = 7.00731903251827651129e-4f;
    private static final float LOG10_2_HI = 3.0078125e-1f, LOG10_2_LO = 2.48745663981195213739e-4f;

    /** Columns of hop-long rows one block of frames spans: LANES − 1 hops plus a 400-sample window. */
    private static final int ROW_COLUMNS = (AudioConstants.N_FFT + (LANES - 1) * AudioConstants.HOP_LENGTH
            + AudioConstants.HOP_LENGTH - 1) / AudioConstants.HOP_LENGTH;

    /** log10 of the floor, by the same function as every other energy. */
    static final float SILENCE = log10(LOG_FLOOR);

    /**
     * Which path computes a block. The Vector API path is the fast one once C2 has compiled it, but in a cold
     * JVM (interpreter, C1) every vector operation is a call and an allocation, and the plain-loop twin is
     * several times faster; both give the same bits. The vector path only starts compiling when it is first
     * taken, so switching after a few minutes of audio paid its whole warm-up inside a long file: the 21-minute
     * ljspeech file's mel took 1.8 s cold this way, 0.5 s on plain loops alone (0.29 s warm, against 0.15-0.25 s
     * with vectors). So "auto" (the default) keeps the plain loops for the first {@link #COLD_BLOCKS} blocks this
     * JVM computes (about 3 hours of audio at 16 lanes): a CLI run rarely leaves them, a server does.
     * -Dauricle.mel.vector=true|false forces one.
     */
    private static final String MODE = System.getProperty("auricle.mel.vector", "auto");
    static final int COLD_BLOCKS = 1 << 16;
    /** Blocks computed in this JVM, counted racily: it only needs to grow. */
    private static int blocksDone;

    private static boolean vectorPath() {
        return switch (MODE) {
            case "true" -> true;
            case "false" -> false;
            default -> blocksDone >= COLD_BLOCKS || ++blocksDone >= COLD_BLOCKS;
        };
    }

    private final MelFilters filters;
    private final Fft fft = new Fft(AudioConstants.N_FFT);
    private final float[] window = hannWindow(AudioConstants.N_FFT);
    private final float[] even = new float[AudioConstants.N_FFT / 2 * LANES];
    private final float[] odd = new float[AudioConstants.N_FFT / 2 * LANES];
    private final float[] power = new float[(AudioConstants.N_FFT / 2 + 1) * LANES];
    private final float[] mel;
    private final float[] rows = new float[AudioConstants.HOP_LENGTH * ROW_COLUMNS];
    private float max = Float.NEGATIVE_INFINITY;
    /** A forced path, or null for {@link #vectorPath()}. */
    private final Boolean forced;

    MelKernel(MelFilters filters) {
        this(filters, null);
    }

    /** {@code vector} null picks by {@link #vectorPath()}; true or false forces a path (tests). */
    MelKernel(MelFilters filters, Boolean vector) {
        this.forced = vector;
        this.filters = filters;
        this.mel = new float[filters.melCount() * LANES];
    }

    /** The largest log10 energy written so far. */
    float max() {
        return max;
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
        boolean vector = forced != null ? forced : vectorPath();
        long start = (long) firstFrame * AudioConstants.HOP_LENGTH - AudioConstants.N_FFT / 2;
        long end = (long) (firstFrame + LANES - 1) * AudioConstants.HOP_LENGTH + AudioConstants.N_FFT / 2;
        if (start >= signal.available() && end <= signal.total()) {
            silentBlock(count, out, at);
            return;
        }
        if (start >= signal.offset() && end <= signal.available() && count == LANES) {
            if (vector) gatherInterior(signal, start); else gatherInteriorScalar(signal, start);
        } else {
            gatherEdge(signal, start, count);
        }
        if (vector) {
            fft.power(even, odd, power, true);
            vectorMelLog(count, out, at);
        } else {
            fft.power(even, odd, power, false);
            scalarMelLog(count, out, at);
        }
    }

    private void vectorMelLog(int count, float[][] out, int at) {
        VectorMask<Float> valid = Fft.SPECIES.indexInRange(0, count);
        // A local, not the field: a vector stored in a field is boxed on every write.
        FloatVector blockMax = FloatVector.broadcast(Fft.SPECIES, Float.NEGATIVE_INFINITY);
        int nMels = out.length;
        for (int m = 0; m < nMels; m++) {
            float[] w = filters.weights(m);
            int base = filters.firstBin(m) * LANES;
            FloatVector acc = FloatVector.zero(Fft.SPECIES);
            for (int k = 0; k < w.length; k++) {
                acc = FloatVector.fromArray(Fft.SPECIES, power, base + k * LANES).mul(w[k]).add(acc);
            }
            acc.max(LOG_FLOOR).intoArray(mel, m * LANES);
        }
        log10(mel, nMels * LANES);
        for (int m = 0; m < nMels; m++) {
            FloatVector log = FloatVector.fromArray(Fft.SPECIES, mel, m * LANES);
            if (count == LANES) {
                blockMax = blockMax.max(log);
                log.intoArray(out[m], at);
            } else {
                blockMax = blockMax.lanewise(VectorOperators.MAX, log, valid);
                log.intoArray(out[m], at, valid);
            }
        }
        max = Math.max(max, blockMax.reduceLanes(VectorOperators.MAX));
    }

    /** {@link #vectorMelLog} as plain loops with the same operations: bit-identical results. */
    private void scalarMelLog(int count, float[][] out, int at) {
        int nMels = out.length;
        for (int m = 0; m < nMels; m++) {
            float[] w = filters.weights(m);
            int base = filters.firstBin(m) * LANES;
            for (int j = 0; j < LANES; j++) {
                float acc = 0f;
                for (int k = 0; k < w.length; k++) acc = power[base + k * LANES + j] * w[k] + acc;
                float log = log10(Math.max(acc, LOG_FLOOR));
                if (j < count) {
                    out[m][at + j] = log;
                    max = Math.max(max, log);
                }
            }
        }
    }

    /** Frames made only of appended zeros: every energy is 0, floored to 1e-10, so log10 is exactly -10. */
    private void silentBlock(int count, float[][] out, int at) {
        for (float[] row : out) java.util.Arrays.fill(row, at, at + count, SILENCE);
        max = Math.max(max, SILENCE);
    }

    /**
     * Frames inside the audio, into lane layout. The block's samples are first cut into hop-long rows and
     * transposed ({@code rows[t * ROW_COLUMNS + c]} = sample {@code start + 160·c + t}), so that sample n of the
     * LANES frames is one contiguous vector at row {@code n % 160}, column {@code n / 160}; each sample is then
     * copied once rather than in each of the 2.5 frames that overlap it. (Vector gathers with a stride of 160
     * were three times slower than a plain scalar transpose on AVX2.)
     */
    private void gatherInterior(Signal signal, long start) {
        float[] data = signal.data();
        int base = (int) (start - signal.offset());
        int hop = AudioConstants.HOP_LENGTH, nFft = AudioConstants.N_FFT;
        for (int c = 0; c < ROW_COLUMNS; c++) {
            int from = base + c * hop, length = Math.min(hop, nFft + (LANES - 1) * hop - c * hop);
            for (int t = 0; t < length; t++) rows[t * ROW_COLUMNS + c] = data[from + t];
        }
        for (int i = 0; i < nFft / 2; i++) {
            int n = 2 * i;
            FloatVector.fromArray(Fft.SPECIES, rows, (n % hop) * ROW_COLUMNS + n / hop).mul(window[n])
                    .intoArray(even, i * LANES);
            n++;
            FloatVector.fromArray(Fft.SPECIES, rows, (n % hop) * ROW_COLUMNS + n / hop).mul(window[n])
                    .intoArray(odd, i * LANES);
        }
    }

    /** {@link #gatherInterior} as a plain transpose (the same products), for the cold path. */
    private void gatherInteriorScalar(Signal signal, long start) {
        float[] data = signal.data();
        int base = (int) (start - signal.offset());
        for (int j = 0; j < LANES; j++) {
            int frame = base + j * AudioConstants.HOP_LENGTH;
            for (int i = 0; i < AudioConstants.N_FFT / 2; i++) {
                even[i * LANES + j] = data[frame + 2 * i] * window[2 * i];
                odd[i * LANES + j] = data[frame + 2 * i + 1] * window[2 * i + 1];
            }
        }
    }

    /** Frames that reach past either end: sample by sample through the reflection; unused lanes get zeros. */
    private void gatherEdge(Signal signal, long start, int count) {
        for (int j = 0; j < LANES; j++) {
            long frameStart = start + (long) j * AudioConstants.HOP_LENGTH;
            for (int i = 0; i < AudioConstants.N_FFT / 2; i++) {
                even[i * LANES + j] = j < count ? signal.reflected(frameStart + 2 * i) * window[2 * i] : 0f;
                odd[i * LANES + j] = j < count ? signal.reflected(frameStart + 2 * i + 1) * window[2 * i + 1] : 0f;
            }
        }
    }

    /**
     * log10 in place of {@code values[0, count)}, a multiple of {@link #LANES}: positive normal floats, within
     * about 2 ulp (infinity and NaN pass through). Ours rather than {@code VectorOperators.LOG10}, which gives
     * different last bits in interpreted and compiled code (SVML), so the same audio could give different
     * spectrograms before and after warm-up; this uses only IEEE add, multiply and bit operations, identical in
     * every tier. It works on arrays, not vector arguments: a vector passed to a method that is not inlined is
     * boxed.
     */
    static void log10(float[] values, int count) {
        FloatVector log10eHi = FloatVector.broadcast(Fft.SPECIES, LOG10_E_HI);
        FloatVector log102Lo = FloatVector.broadcast(Fft.SPECIES, LOG10_2_LO);
        FloatVector log102Hi = FloatVector.broadcast(Fft.SPECIES, LOG10_2_HI);
        for (int i = 0; i < count; i += LANES) {
            FloatVector x = FloatVector.fromArray(Fft.SPECIES, values, i);
            IntVector bits = x.reinterpretAsInts();
            // frexp: x = m·2^e with m in [0.5, 1), then m in [√½, √2) and f = m − 1
            FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(126).castShape(Fft.SPECIES, 0);
            FloatVector m = bits.and(0x807FFFFF).or(0x3F000000).reinterpretAsFloats();
            VectorMask<Float> small = m.lt(SQRT_HALF);
            e = e.sub(1f, small);
            FloatVector f = m.add(m.blend(0f, small.not())).sub(1f);
            FloatVector z = f.mul(f);
            FloatVector p = FloatVector.broadcast(Fft.SPECIES, P[0]);
            for (int k = 1; k < P.length; k++) p = p.fma(f, FloatVector.broadcast(Fft.SPECIES, P[k]));
            FloatVector y = z.mul(p).fma(f, z.mul(-0.5f));
            FloatVector log = f.add(y).mul(LOG10_E_LO);
            log = y.fma(log10eHi, log);
            log = f.fma(log10eHi, log);
            log = e.fma(log102Lo, log);
            log = e.fma(log102Hi, log);
            log.blend(x, x.lt(Float.POSITIVE_INFINITY).not()).intoArray(values, i); // +inf and NaN stay
        }
    }

    /** {@link #log10(float[], int)} of one value, by the same operations. */
    static float log10(float x) {
        int bits = Float.floatToRawIntBits(x);
        float e = (float) ((bits >>> 23) - 126);
        float m = Float.intBitsToFloat((bits & 0x807FFFFF) | 0x3F000000);
        boolean small = m < SQRT_HALF;
        if (small) e = e - 1f;
        float f = m + (small ? m : 0f) - 1f;
        float z = f * f;
        float p = P[0];
        for (int k = 1; k < P.length; k++) p = Math.fma(p, f, P[k]);
        float y = Math.fma(z * p, f, z * -0.5f);
        float log = (f + y) * LOG10_E_LO;
        log = Math.fma(y, LOG10_E_HI, log);
        log = Math.fma(f, LOG10_E_HI, log);
        log = Math.fma(e, LOG10_2_LO, log);
        log = Math.fma(e, LOG10_2_HI, log);
        return x < Float.POSITIVE_INFINITY ? log : x;
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
