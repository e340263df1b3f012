package io.auricle.vad;

import io.auricle.AuricleException;
import io.auricle.tensor.Matrix;
import io.auricle.tensor.Ops;
import io.auricle.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Silero VAD v6 (16 kHz), the network of faster-whisper's {@code silero_vad_v6.onnx}, implemented here from the
 * file's weights. Each 32 ms frame (512 samples, preceded by the previous frame's last 64) goes through:
 * reflect padding by 128, an STFT as a stride-128 convolution with 129 cosine and 129 sine filters (the first
 * of its five columns dropped), magnitudes, four conv+ReLU layers (129→128, 128→64 stride 2, 64→64 stride 2,
 * 64→128), one LSTM step (128 units, state carried across frames), ReLU, a 1×1 conv to one logit and a sigmoid.
 *
 * <p>Everything before the LSTM is independent per frame, so it runs for all frames at once as matrix products
 * on {@link Ops}; only the LSTM's recurrent product runs frame by frame. Thread-safe: no state between calls.
 */
public final class SileroVad {

    public static final int SAMPLE_RATE = 16000;
    /** Samples per frame: one probability per 32 ms. */
    public static final int FRAME = 512;
    private static final int CONTEXT = 64;
    private static final int INPUT = CONTEXT + FRAME;          // 576
    private static final int REFLECT = 128;
    private static final int WINDOW = 256;
    private static final int HOP = 128;
    private static final int BINS = 129;
    private static final int COLUMNS = 4;                      // STFT columns kept (of 5)
    private static final int HIDDEN = 128;

    /** The file faster-whisper ships in {@code faster_whisper/assets}. */
    public static final String MODEL_FILE = "silero_vad_v6.onnx";

    private final Ops ops = Ops.get();
    private final Matrix stft;                 // [258, 256]
    private final Matrix conv0, conv1, conv2, conv3;
    private final float[] bias0, bias1, bias2, bias3;
    private final Matrix lstmInput;            // [512, 128], gates i, o, f, c (ONNX order)
    private final Matrix lstmRecurrent;        // [512, 128]
    private final float[] lstmBias;            // input bias + recurrent bias
    private final float[] outWeight;           // [128]
    private final float outBias;

    private SileroVad(Path file, Map<String, OnnxInitializers.Initializer> w) {
        stft = matrix(file, w, "encoder.feature_extractor.forward_basis_buffer", 2 * BINS, 1, WINDOW);
        conv0 = matrix(file, w, "encoder.conv_layers.0.weight", 128, BINS, 3);
        conv1 = matrix(file, w, "encoder.conv_layers.1.weight", 64, 128, 3);
        conv2 = matrix(file, w, "encoder.conv_layers.2.weight", 64, 64, 3);
        conv3 = matrix(file, w, "encoder.conv_layers.3.weight", 128, 64, 3);
        bias0 = values(file, w, "encoder.conv_layers.0.bias", 128);
        bias1 = values(file, w, "encoder.conv_layers.1.bias", 64);
        bias2 = values(file, w, "encoder.conv_layers.2.bias", 64);
        bias3 = values(file, w, "encoder.conv_layers.3.bias", 128);
        lstmInput = matrix(file, w, "onnx::LSTM_209", 1, 4 * HIDDEN, HIDDEN);
        lstmRecurrent = matrix(file, w, "onnx::LSTM_210", 1, 4 * HIDDEN, HIDDEN);
        float[] b = values(file, w, "onnx::LSTM_211", 1, 8 * HIDDEN);
        lstmBias = new float[4 * HIDDEN];
        for (int i = 0; i < lstmBias.length; i++) {
            lstmBias[i] = b[i] + b[4 * HIDDEN + i];
        }
        outWeight = values(file, w, "decoder.conv1d.weight", 1, HIDDEN, 1);
        outBias = values(file, w, "decoder.conv1d.bias", 1)[0];
    }

    /** Loads the model from {@code file} (an ONNX file with the weights of {@value #MODEL_FILE}). */
    public static SileroVad load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AuricleException(file + ": VAD model not found (run tools/fetch-vad-model)");
        }
        return new SileroVad(file, OnnxInitializers.read(file));
    }

    /** Loads the model from {@link #defaultModelPath()}. */
    public static SileroVad load() {
        return load(defaultModelPath());
    }

    /**
     * Where the model is looked for: the system property {@code auricle.vad.model}, else the environment
     * variable {@code AURICLE_VAD_MODEL}, else {@code ${AURICLE_CACHE:-~/.cache/auricle}/models/silero-vad/}
     * {@value #MODEL_FILE} (where {@code tools/fetch-vad-model} puts it).
     */
    public static Path defaultModelPath() {
        String property = System.getProperty("auricle.vad.model");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("AURICLE_VAD_MODEL");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String cache = System.getenv("AURICLE_CACHE");
        Path root = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "auricle");
        return root.resolve("models").resolve("silero-vad").resolve(MODEL_FILE);
    }

    /**
     * The speech probability of every frame, framed as faster-whisper frames it: the audio is zero-padded to
     * the next multiple of 512 (always at least one sample, so a whole multiple gains a silent frame), and
     * frame {@code i} covers samples {@code [512 i, 512 (i + 1))}.
     */
    public float[] speechProbabilities(float[] audio) {
        return speechProbabilities(audio, audio.length);
    }

    /** As {@link #speechProbabilities(float[])} for the first {@code length} samples of {@code audio}. */
    public float[] speechProbabilities(float[] audio, int length) {
        java.util.Objects.checkFromToIndex(0, length, audio.length);
        int frames = length / FRAME + 1;
        float[] probabilities = new float[frames];
        // Bounded memory on long files: the per-frame work runs in blocks; the LSTM state carries over.
        float[] h = new float[HIDDEN];
        float[] c = new float[HIDDEN];
        int block = 256;
        for (int first = 0; first < frames; first += block) {
            int n = Math.min(block, frames - first);
            float[] gates = encode(audio, length, first, n, null);
            for (int f = 0; f < n; f++) {
                probabilities[first + f] = lstmStep(gates, f, h, c);
            }
        }
        return probabilities;
    }

    /** Layer outputs for one frame, for tests: magnitude [129×4], conv0..conv3 ([128×4], [64×2], [64×1], [128×1]). */
    float[][] layers(float[] audio, int frame) {
        float[][] out = new float[5][];
        encode(audio, audio.length, frame, 1, out);
        return out;
    }

    /**
     * Frames {@code first .. first+n} of the first {@code length} samples of {@code audio}: the LSTM's input
     * projections {@code [n, 512]} (biases included).
     */
    private float[] encode(float[] audio, int length, int first, int n, float[][] layers) {
        // STFT windows: [n * 4, 256], window t of a frame starts at (t + 1) * 128 in the reflect-padded input.
        float[] windows = new float[n * COLUMNS * WINDOW];
        float[] input = new float[INPUT];
        float[] padded = new float[INPUT + 2 * REFLECT];
        for (int f = 0; f < n; f++) {
            frameInput(audio, length, first + f, input);
            for (int i = 0; i < REFLECT; i++) {
                padded[i] = input[REFLECT - i];
                padded[REFLECT + INPUT + i] = input[INPUT - 2 - i];
            }
            System.arraycopy(input, 0, padded, REFLECT, INPUT);
            for (int t = 0; t < COLUMNS; t++) {
                System.arraycopy(padded, (t + 1) * HOP, windows, (f * COLUMNS + t) * WINDOW, WINDOW);
            }
        }
        float[] spectrum = new float[n * COLUMNS * 2 * BINS];
        ops.matmul(windows, n * COLUMNS, stft, null, spectrum);
        float[] magnitude = new float[n * COLUMNS * BINS];   // time-major [n * 4, 129]
        for (int r = 0; r < n * COLUMNS; r++) {
            for (int k = 0; k < BINS; k++) {
                float re = spectrum[r * 2 * BINS + k];
                float im = spectrum[r * 2 * BINS + BINS + k];
                magnitude[r * BINS + k] = (float) Math.sqrt(re * re + im * im);
            }
        }
        float[] a0 = convRelu(magnitude, n, COLUMNS, BINS, conv0, bias0, 128, 1);
        float[] a1 = convRelu(a0, n, COLUMNS, 128, conv1, bias1, 64, 2);
        float[] a2 = convRelu(a1, n, 2, 64, conv2, bias2, 64, 2);
        float[] a3 = convRelu(a2, n, 1, 64, conv3, bias3, 128, 1);
        if (layers != null) {
            layers[0] = magnitude;
            layers[1] = a0;
            layers[2] = a1;
            layers[3] = a2;
            layers[4] = a3;
        }
        float[] gates = new float[n * 4 * HIDDEN];
        ops.matmul(a3, n, lstmInput, lstmBias, gates);
        return gates;
    }

    /** Model input of one frame: the previous frame's last 64 samples (zeros for the first), then its 512. */
    private static void frameInput(float[] audio, int length, int frame, float[] input) {
        int start = frame * FRAME - CONTEXT;
        for (int i = 0; i < INPUT; i++) {
            int s = start + i;
            input[i] = frame == 0 && i < CONTEXT ? 0f : s < length ? audio[s] : 0f;
        }
    }

    /**
     * Kernel-3, padding-1 convolution and ReLU inside each frame: {@code x} is time-major {@code [n * len, inCh]}
     * (each frame's {@code len} columns on their own), the result {@code [n * outLen, outCh]}.
     */
    private float[] convRelu(float[] x, int n, int len, int inCh, Matrix w, float[] bias, int outCh, int stride) {
        int outLen = Ops.convOutputLength(len, stride);
        float[] columns = new float[n * outLen * inCh * 3];   // rows [in * 3 + k], the weight's [out, in, k] order
        for (int f = 0; f < n; f++) {
            for (int t = 0; t < outLen; t++) {
                int row = (f * outLen + t) * inCh * 3;
                for (int k = 0; k < 3; k++) {
                    int src = t * stride + k - 1;
                    if (src < 0 || src >= len) {
                        continue;
                    }
                    int from = (f * len + src) * inCh;
                    for (int c = 0; c < inCh; c++) {
                        columns[row + c * 3 + k] = x[from + c];
                    }
                }
            }
        }
        float[] y = new float[n * outLen * outCh];
        ops.matmul(columns, n * outLen, w, bias, y);
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(y[i], 0f);
        }
        return y;
    }

    /** One LSTM step on frame {@code f}'s input projection; updates {@code h, c}; returns the speech probability. */
    private float lstmStep(float[] gates, int f, float[] h, float[] c) {
        // the recurrent product through the kernels: as a scalar loop it was most of the VAD's time on long files
        float[] g = new float[4 * HIDDEN];
        ops.matmul(h, 1, lstmRecurrent, null, g);
        int base = f * 4 * HIDDEN;
        for (int r = 0; r < 4 * HIDDEN; r++) g[r] += gates[base + r];
        double logit = outBias;
        for (int k = 0; k < HIDDEN; k++) {
            float in = sigmoid(g[k]);
            float out = sigmoid(g[HIDDEN + k]);
            float forget = sigmoid(g[2 * HIDDEN + k]);
            float cell = (float) Math.tanh(g[3 * HIDDEN + k]);
            c[k] = forget * c[k] + in * cell;
            h[k] = out * (float) Math.tanh(c[k]);
            logit += outWeight[k] * Math.max(h[k], 0f);
        }
        return sigmoid((float) logit);
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    private Matrix matrix(Path file, Map<String, OnnxInitializers.Initializer> w, String name, int... dims) {
        float[] v = values(file, w, name, dims);
        int rows = dims[dims.length == 3 && dims[0] == 1 ? 1 : 0];
        return ops.prepare(Tensor.ofFloats(name, new int[] {rows, v.length / rows}, v));
    }

    private static float[] values(Path file, Map<String, OnnxInitializers.Initializer> w, String name,
                                  int... dims) {
        OnnxInitializers.Initializer init = w.get(name);
        if (init == null) {
            throw new AuricleException(file + ": not a Silero VAD v6 model (no weight " + name + ")");
        }
        long[] have = init.dims();
        boolean same = have.length == dims.length;
        for (int i = 0; same && i < dims.length; i++) {
            same = have[i] == dims[i];
        }
        if (!same) {
            throw new AuricleException(file + ": not a Silero VAD v6 model (" + name + " has shape "
                    + java.util.Arrays.toString(have) + ", expected " + java.util.Arrays.toString(dims) + ")");
        }
        return init.values();
    }
}
