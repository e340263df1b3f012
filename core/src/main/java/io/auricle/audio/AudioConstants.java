package io.auricle.audio;

/**
 * Whisper's fixed audio hyper-parameters, derived exactly as openai/whisper's {@code audio.py} does:
 * 16 kHz input, 25 ms windows every 10 ms, 30-second chunks, two mel frames per audio token.
 */
public final class AudioConstants {
    public static final int SAMPLE_RATE = 16000;
    public static final int N_FFT = 400;
    public static final int HOP_LENGTH = 160;
    public static final int CHUNK_LENGTH = 30;
    /** Samples in one 30-second chunk: 480000. */
    public static final int N_SAMPLES = CHUNK_LENGTH * SAMPLE_RATE;
    /** Mel frames in one chunk: 3000. */
    public static final int N_FRAMES = exactDiv(N_SAMPLES, HOP_LENGTH);
    /** The encoder's stride-2 convolution makes each audio token span two hops: 320 samples. */
    public static final int N_SAMPLES_PER_TOKEN = HOP_LENGTH * 2;
    /** 10 ms per frame: 100. */
    public static final int FRAMES_PER_SECOND = exactDiv(SAMPLE_RATE, HOP_LENGTH);
    /** 20 ms per token: 50. */
    public static final int TOKENS_PER_SECOND = exactDiv(SAMPLE_RATE, N_SAMPLES_PER_TOKEN);

    private AudioConstants() {}

    private static int exactDiv(int x, int y) {
        if (x % y != 0) throw new AssertionError(x + " is not divisible by " + y);
        return x / y;
    }
}
