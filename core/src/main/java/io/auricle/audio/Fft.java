package io.auricle.audio;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Power spectra of real signals of one even length {@code n}, for {@link #LANES} frames at once.
 *
 * <p>Layout: complex point {@code i} of frame {@code j} lives at index {@code i * LANES + j}, so every
 * butterfly is plain vector arithmetic over frames, with no shuffles or gathers. The {@code n} real samples
 * are packed as {@code n/2} complex points {@code z[i] = x[2i] + i·x[2i+1]}, transformed by a Stockham
 * (self-sorting, decimation in frequency) FFT with radix 4, 2 and 5 passes, then split into the
 * {@code n/2 + 1} bins of the real transform. For Whisper's {@code n = 400}: 200 = 4·2·5·5.
 *
 * <p>Arithmetic is float32 with twiddles computed in double, like torch.stft on float input. Instances hold
 * scratch buffers: one per thread.
 */
public final class Fft {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** How many frames one call transforms: the preferred vector's float lanes (16 with AVX-512). */
    public static final int LANES = SPECIES.length();

    private static final float C1 = (float) Math.cos(2 * Math.PI / 5), C2 = (float) Math.cos(4 * Math.PI / 5);
    private static final float S1 = (float) Math.sin(2 * Math.PI / 5), S2 = (float) Math.sin(4 * Math.PI / 5);

    private final int size;
    private final int half;
    private final int[] radices;
    /** Per pass, for each j and t = 1..p-1: cos and sin of -2π·j·t / (length of that pass). */
    private final float[][] twiddles;
    /** For each output bin k: cos and sin of -2π·k / n, to split the half-size transform. */
    private final float[] splitCos, splitSin;
    private final float[] scratchRe, scratchIm;

    public Fft(int size) {
        if (size < 4 || size % 2 != 0) throw new IllegalArgumentException("FFT size must be even and >= 4: " + size);
        this.size = size;
        this.half = size / 2;
        this.radices = factor(half);
        this.twiddles = new float[radices.length][];
        int length = half;
        for (int pass = 0; pass < radices.length; pass++) {
            int p = radices[pass], m = length / p;
            float[] tw = new float[m * (p - 1) * 2];
            for (int j = 0; j < m; j++) {
                for (int t = 1; t < p; t++) {
                    double angle = -2 * Math.PI * j * t / length;
                    int at = (j * (p - 1) + t - 1) * 2;
                    tw[at] = (float) Math.cos(angle);
                    tw[at + 1] = (float) Math.sin(angle);
                }
            }
            twiddles[pass] = tw;
            length = m;
        }
        this.splitCos = new float[half + 1];
        this.splitSin = new float[half + 1];
        for (int k = 0; k <= half; k++) {
            double angle = -2 * Math.PI * k / size;
            splitCos[k] = (float) Math.cos(angle);
            splitSin[k] = (float) Math.sin(angle);
        }
        this.scratchRe = new float[half * LANES];
        this.scratchIm = new float[half * LANES];
    }

    public int size() {
        return size;
    }

    /** {@code n / 2 + 1}: the bins of a real transform. */
    public int bins() {
        return half + 1;
    }

    /**
     * |X[k]|² for k = 0..n/2 of {@link #LANES} real frames.
     *
     * @param even  {@code [n/2][LANES]}: each frame's even samples x[0], x[2], ...; overwritten
     * @param odd   {@code [n/2][LANES]}: each frame's odd samples x[1], x[3], ...; overwritten
     * @param power {@code [n/2 + 1][LANES]}, receives the power spectra
     */
    public void power(float[] even, float[] odd, float[] power) {
        power(even, odd, power, true);
    }

    /** As {@link #power(float[], float[], float[])}; {@code vector} false runs {@link FftScalar}'s twin. */
    void power(float[] even, float[] odd, float[] power, boolean vector) {
        float[] xr = even, xi = odd, yr = scratchRe, yi = scratchIm;
        int length = half, stride = 1;
        for (int pass = 0; pass < radices.length; pass++) {
            int p = radices[pass], m = length / p;
            float[] tw = twiddles[pass];
            switch (p) {
                case 4 -> { if (vector) radix4(xr, xi, yr, yi, m, stride, tw); else FftScalar.radix4(xr, xi, yr, yi, m, stride * LANES, tw); }
                case 2 -> { if (vector) radix2(xr, xi, yr, yi, m, stride, tw); else FftScalar.radix2(xr, xi, yr, yi, m, stride * LANES, tw); }
                default -> { if (vector) radix5(xr, xi, yr, yi, m, stride, tw); else FftScalar.radix5(xr, xi, yr, yi, m, stride * LANES, tw); }
            }
            float[] swap = xr; xr = yr; yr = swap;
            swap = xi; xi = yi; yi = swap;
            length = m;
            stride *= p;
        }
        if (vector) split(xr, xi, power); else FftScalar.split(xr, xi, power, half, splitCos, splitSin, LANES);
    }

    /**
     * From Z = FFT(z) of the packed signal to the real transform: X[k] = E[k] + e^{-2πik/n}·O[k] with
     * E[k] = (Z[k] + conj Z[h-k]) / 2 and O[k] = (Z[k] − conj Z[h-k]) / 2i, h = n/2, indices mod h.
     * Bins k and h − k read the same two points: with W·O = P + iQ for bin k, bin h − k (whose twiddle is
     * −conj W) is (E_re − P) + i(Q − E_im), so each pair costs one set of loads.
     */
    private void split(float[] zr, float[] zi, float[] power) {
        for (int k = 0; 2 * k <= half; k++) {
            int a = k * LANES, b = k == 0 ? 0 : (half - k) * LANES;
            FloatVector c = FloatVector.broadcast(SPECIES, splitCos[k]), s = FloatVector.broadcast(SPECIES, splitSin[k]);
            FloatVector ar = FloatVector.fromArray(SPECIES, zr, a), ai = FloatVector.fromArray(SPECIES, zi, a);
            FloatVector br = FloatVector.fromArray(SPECIES, zr, b), bi = FloatVector.fromArray(SPECIES, zi, b);
            FloatVector er = ar.add(br), ei = ai.sub(bi);  // 2·E
            FloatVector or = ai.add(bi), oi = br.sub(ar);  // 2·O
            FloatVector p = or.fma(c, oi.mul(s.neg()));    // 2·Re(W·O)
            FloatVector q = oi.fma(c, or.mul(s));          // 2·Im(W·O)
            FloatVector xr = er.add(p), xi = ei.add(q);
            xr.fma(xr, xi.mul(xi)).mul(0.25f).intoArray(power, k * LANES);
            if (half - k != k) {
                FloatVector yr = er.sub(p), yi = q.sub(ei);
                yr.fma(yr, yi.mul(yi)).mul(0.25f).intoArray(power, (half - k) * LANES);
            }
        }
    }

    // One Stockham pass of radix p over a sequence of the current length p·m, stride s:
    // y[q + s·(p·j + t)] = w^{j·t} · Σ_r x[q + s·(j + r·m)] · ω_p^{r·t}, w = e^{-2πi/(p·m)}, ω_p = e^{-2πi/p}.
    // q and the lanes together are contiguous, so the inner loop runs over s·LANES floats.

    private static void radix2(float[] xr, float[] xi, float[] yr, float[] yi, int m, int s, float[] tw) {
        int block = s * LANES;
        for (int j = 0; j < m; j++) {
            FloatVector w1reV = FloatVector.broadcast(SPECIES, tw[2 * j]);
            FloatVector w1imV = FloatVector.broadcast(SPECIES, tw[2 * j + 1]), w1imNegV = w1imV.neg();
            int in0 = j * block, in1 = (j + m) * block, out0 = 2 * j * block, out1 = out0 + block;
            for (int v = 0; v < block; v += LANES) {
                FloatVector a0r = FloatVector.fromArray(SPECIES, xr, in0 + v), a0i = FloatVector.fromArray(SPECIES, xi, in0 + v);
                FloatVector a1r = FloatVector.fromArray(SPECIES, xr, in1 + v), a1i = FloatVector.fromArray(SPECIES, xi, in1 + v);
                a0r.add(a1r).intoArray(yr, out0 + v);
                a0i.add(a1i).intoArray(yi, out0 + v);
                FloatVector dr = a0r.sub(a1r), di = a0i.sub(a1i);
                dr.fma(w1reV, di.mul(w1imNegV)).intoArray(yr, out1 + v);
                dr.fma(w1imV, di.mul(w1reV)).intoArray(yi, out1 + v);
            }
        }
    }

    private static void radix4(float[] xr, float[] xi, float[] yr, float[] yi, int m, int s, float[] tw) {
        int block = s * LANES;
        for (int j = 0; j < m; j++) {
            int at = 6 * j;
            FloatVector w1reV = FloatVector.broadcast(SPECIES, tw[at]);
            FloatVector w1imV = FloatVector.broadcast(SPECIES, tw[at + 1]), w1imNegV = w1imV.neg();
            FloatVector w2reV = FloatVector.broadcast(SPECIES, tw[at + 2]);
            FloatVector w2imV = FloatVector.broadcast(SPECIES, tw[at + 3]), w2imNegV = w2imV.neg();
            FloatVector w3reV = FloatVector.broadcast(SPECIES, tw[at + 4]);
            FloatVector w3imV = FloatVector.broadcast(SPECIES, tw[at + 5]), w3imNegV = w3imV.neg();
            int in0 = j * block, in1 = (j + m) * block, in2 = (j + 2 * m) * block, in3 = (j + 3 * m) * block;
            int out0 = 4 * j * block, out1 = out0 + block, out2 = out1 + block, out3 = out2 + block;
            for (int v = 0; v < block; v += LANES) {
                FloatVector a0r = FloatVector.fromArray(SPECIES, xr, in0 + v), a0i = FloatVector.fromArray(SPECIES, xi, in0 + v);
                FloatVector a1r = FloatVector.fromArray(SPECIES, xr, in1 + v), a1i = FloatVector.fromArray(SPECIES, xi, in1 + v);
                FloatVector a2r = FloatVector.fromArray(SPECIES, xr, in2 + v), a2i = FloatVector.fromArray(SPECIES, xi, in2 + v);
                FloatVector a3r = FloatVector.fromArray(SPECIES, xr, in3 + v), a3i = FloatVector.fromArray(SPECIES, xi, in3 + v);
                FloatVector s02r = a0r.add(a2r), s02i = a0i.add(a2i), d02r = a0r.sub(a2r), d02i = a0i.sub(a2i);
                FloatVector s13r = a1r.add(a3r), s13i = a1i.add(a3i), d13r = a1r.sub(a3r), d13i = a1i.sub(a3i);
                s02r.add(s13r).intoArray(yr, out0 + v);
                s02i.add(s13i).intoArray(yi, out0 + v);
                // y1 = d02 − i·d13, y2 = s02 − s13, y3 = d02 + i·d13, each times its twiddle
                FloatVector y1r = d02r.add(d13i), y1i = d02i.sub(d13r);
                FloatVector y2r = s02r.sub(s13r), y2i = s02i.sub(s13i);
                FloatVector y3r = d02r.sub(d13i), y3i = d02i.add(d13r);
                y1r.fma(w1reV, y1i.mul(w1imNegV)).intoArray(yr, out1 + v);
                y1r.fma(w1imV, y1i.mul(w1reV)).intoArray(yi, out1 + v);
                y2r.fma(w2reV, y2i.mul(w2imNegV)).intoArray(yr, out2 + v);
                y2r.fma(w2imV, y2i.mul(w2reV)).intoArray(yi, out2 + v);
                y3r.fma(w3reV, y3i.mul(w3imNegV)).intoArray(yr, out3 + v);
                y3r.fma(w3imV, y3i.mul(w3reV)).intoArray(yi, out3 + v);
            }
        }
    }

    private static void radix5(float[] xr, float[] xi, float[] yr, float[] yi, int m, int s, float[] tw) {
        int block = s * LANES;
        FloatVector c1V = FloatVector.broadcast(SPECIES, C1), c2V = FloatVector.broadcast(SPECIES, C2);
        FloatVector s2V = FloatVector.broadcast(SPECIES, S2), s1NegV = FloatVector.broadcast(SPECIES, -S1);
        for (int j = 0; j < m; j++) {
            int at = 8 * j;
            FloatVector w1reV = FloatVector.broadcast(SPECIES, tw[at]);
            FloatVector w1imV = FloatVector.broadcast(SPECIES, tw[at + 1]), w1imNegV = w1imV.neg();
            FloatVector w2reV = FloatVector.broadcast(SPECIES, tw[at + 2]);
            FloatVector w2imV = FloatVector.broadcast(SPECIES, tw[at + 3]), w2imNegV = w2imV.neg();
            FloatVector w3reV = FloatVector.broadcast(SPECIES, tw[at + 4]);
            FloatVector w3imV = FloatVector.broadcast(SPECIES, tw[at + 5]), w3imNegV = w3imV.neg();
            FloatVector w4reV = FloatVector.broadcast(SPECIES, tw[at + 6]);
            FloatVector w4imV = FloatVector.broadcast(SPECIES, tw[at + 7]), w4imNegV = w4imV.neg();
            int in0 = j * block, in1 = (j + m) * block, in2 = (j + 2 * m) * block;
            int in3 = (j + 3 * m) * block, in4 = (j + 4 * m) * block;
            int out0 = 5 * j * block;
            for (int v = 0; v < block; v += LANES) {
                FloatVector a0r = FloatVector.fromArray(SPECIES, xr, in0 + v), a0i = FloatVector.fromArray(SPECIES, xi, in0 + v);
                FloatVector a1r = FloatVector.fromArray(SPECIES, xr, in1 + v), a1i = FloatVector.fromArray(SPECIES, xi, in1 + v);
                FloatVector a2r = FloatVector.fromArray(SPECIES, xr, in2 + v), a2i = FloatVector.fromArray(SPECIES, xi, in2 + v);
                FloatVector a3r = FloatVector.fromArray(SPECIES, xr, in3 + v), a3i = FloatVector.fromArray(SPECIES, xi, in3 + v);
                FloatVector a4r = FloatVector.fromArray(SPECIES, xr, in4 + v), a4i = FloatVector.fromArray(SPECIES, xi, in4 + v);
                FloatVector b1r = a1r.add(a4r), b1i = a1i.add(a4i), d1r = a1r.sub(a4r), d1i = a1i.sub(a4i);
                FloatVector b2r = a2r.add(a3r), b2i = a2i.add(a3i), d2r = a2r.sub(a3r), d2i = a2i.sub(a3i);
                a0r.add(b1r).add(b2r).intoArray(yr, out0 + v);
                a0i.add(b1i).add(b2i).intoArray(yi, out0 + v);
                FloatVector t1r = b2r.fma(c2V, b1r.fma(c1V, a0r)), t1i = b2i.fma(c2V, b1i.fma(c1V, a0i));
                FloatVector t2r = b2r.fma(c1V, b1r.fma(c2V, a0r)), t2i = b2i.fma(c1V, b1i.fma(c2V, a0i));
                FloatVector u1r = d2r.fma(s2V, d1r.mul(S1)), u1i = d2i.fma(s2V, d1i.mul(S1));
                FloatVector u2r = d2r.fma(s1NegV, d1r.mul(S2)), u2i = d2i.fma(s1NegV, d1i.mul(S2));
                // y1 = t1 − i·u1, y4 = t1 + i·u1, y2 = t2 − i·u2, y3 = t2 + i·u2
                // (written out: a helper taking vectors may not be inlined, and then every vector is boxed)
                FloatVector y1r = t1r.add(u1i), y1i = t1i.sub(u1r), y4r = t1r.sub(u1i), y4i = t1i.add(u1r);
                FloatVector y2r = t2r.add(u2i), y2i = t2i.sub(u2r), y3r = t2r.sub(u2i), y3i = t2i.add(u2r);
                int out1 = out0 + block, out2 = out1 + block, out3 = out2 + block, out4 = out3 + block;
                y1r.fma(w1reV, y1i.mul(w1imNegV)).intoArray(yr, out1 + v);
                y1r.fma(w1imV, y1i.mul(w1reV)).intoArray(yi, out1 + v);
                y2r.fma(w2reV, y2i.mul(w2imNegV)).intoArray(yr, out2 + v);
                y2r.fma(w2imV, y2i.mul(w2reV)).intoArray(yi, out2 + v);
                y3r.fma(w3reV, y3i.mul(w3imNegV)).intoArray(yr, out3 + v);
                y3r.fma(w3imV, y3i.mul(w3reV)).intoArray(yi, out3 + v);
                y4r.fma(w4reV, y4i.mul(w4imNegV)).intoArray(yr, out4 + v);
                y4r.fma(w4imV, y4i.mul(w4reV)).intoArray(yi, out4 + v);
            }
        }
    }

    /** Radix-4 first (fewest operations per point), then 2, then 5. */
    private static int[] factor(int n) {
        int[] out = new int[32];
        int count = 0;
        while (n % 4 == 0) { out[count++] = 4; n /= 4; }
        while (n % 2 == 0) { out[count++] = 2; n /= 2; }
        while (n % 5 == 0) { out[count++] = 5; n /= 5; }
        if (n != 1) throw new IllegalArgumentException("FFT half-size must factor into 2, 4 and 5; left " + n);
        return java.util.Arrays.copyOf(out, count);
    }
}
