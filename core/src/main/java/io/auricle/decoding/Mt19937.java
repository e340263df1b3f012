package io.auricle.decoding;

/**
 * The sampler's random numbers, drawn as CTranslate2 draws them: a 32-bit Mersenne Twister (C++'s
 * {@code std::mt19937}) and, per token, one {@code std::discrete_distribution} draw as libstdc++ makes it.
 * Seeded with the same number, a transcription samples the same tokens as faster-whisper after
 * {@code ctranslate2.set_random_seed(seed)} (CTranslate2 keeps one generator per worker thread, created at its
 * first draw; here one lives per transcription), so sampled windows can be compared engine to engine.
 */
public final class Mt19937 {
    private static final int N = 624;
    private static final int M = 397;
    private static final double TWO_32 = 4294967296.0;

    private final int[] state = new int[N];
    private int index = N;

    /** Seeded with the low 32 bits of {@code seed}, as {@code std::mt19937(unsigned int)}. */
    public Mt19937(long seed) {
        state[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
        }
    }

    /** The next 32-bit output, as an unsigned value. */
    public long nextUnsigned() {
        if (index >= N) twist();
        int y = state[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /**
     * A double in [0, 1) from two outputs, as libstdc++'s {@code generate_canonical<double, 53>}: the first
     * output is the low word. (Both sums are exact or rounded as the C++ code rounds them: plain double arithmetic.)
     */
    public double nextCanonical() {
        double sum = 0;
        double scale = 1;
        for (int k = 0; k < 2; k++) {
            sum += nextUnsigned() * scale;
            scale *= TWO_32;
        }
        double u = sum / scale;
        return u >= 1 ? Math.nextDown(1.0) : u;
    }

    /**
     * One draw of {@code std::discrete_distribution<int>(weights)}: the weights summed and normalised in double,
     * their running sum (its last entry set to 1), and the first index whose running sum reaches the draw.
     */
    public int nextIndex(float[] weights) {
        double total = 0;
        for (float w : weights) total += w;
        double u = nextCanonical();
        double cumulative = 0;
        int last = weights.length - 1;
        for (int i = 0; i < last; i++) {
            cumulative += weights[i] / total;
            if (cumulative >= u) return i;
        }
        return last;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (state[i] & 0x80000000) | (state[(i + 1) % N] & 0x7fffffff);
            int next = state[(i + M) % N] ^ (y >>> 1);
            state[i] = (y & 1) != 0 ? next ^ 0x9908b0df : next;
        }
        index = 0;
    }
}
