package io.auricle.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.AuricleException;
import io.auricle.tensor.DType;
import io.auricle.tensor.ScalarOps;
import io.auricle.tensor.Tensor;
import io.auricle.tensor.VectorOps;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The decoder's compute types: the weight conversions made at load, and a real tiny.en decoder step in each type
 * through {@link VectorOps} against the same step through {@link ScalarOps}.
 */
class ComputeTypeTest {

    @Test
    void parsesCTranslate2NamesAndRefusesOthers() {
        assertEquals(ComputeType.INT8, ComputeType.parse("int8"));
        assertEquals(ComputeType.Q8_0, ComputeType.parse("Q8_0"));
        var e = assertThrows(AuricleException.class, () -> ComputeType.parse("int4"));
        assertEquals("unknown compute type 'int4' (choose default, float32, float16, int8 or q8_0)", e.getMessage());
    }

    @Test
    void defaultIsWhatTheWeightsAre() {
        assertEquals(ComputeType.FLOAT32, ComputeType.DEFAULT.resolve(DType.F32));
        assertEquals(ComputeType.FLOAT16, ComputeType.DEFAULT.resolve(DType.F16));
        assertEquals(ComputeType.INT8, ComputeType.DEFAULT.resolve(DType.I8_ROW_SCALED));
        assertEquals(ComputeType.Q8_0, ComputeType.DEFAULT.resolve(DType.Q8_0));
        assertEquals(ComputeType.INT8, ComputeType.INT8.resolve(DType.F16));
    }

    @Test
    void int8IsCTranslate2sPerRowScaleAndRounding() {
        Random random = new Random(5);
        int rows = 7, cols = 45;
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian() * (1 + i / cols);
        for (int c = 0; c < cols; c++) w[3 * cols + c] = 0f; // a row of zeros
        Tensor q = Weights.toInt8(Tensor.ofFloats("w", new int[] {rows, cols}, w));
        assertEquals(DType.I8_ROW_SCALED, q.type());
        for (int r = 0; r < rows; r++) {
            float amax = 0;
            for (int c = 0; c < cols; c++) amax = Math.max(amax, Math.abs(w[r * cols + c]));
            float scale = q.scales().getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, r);
            assertEquals(amax == 0 ? 1f : 127f / amax, scale, 0f, "row " + r);
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                assertEquals(Math.round(w[i] * scale), q.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, i), "element " + i);
                assertTrue(Math.abs(q.get(i) - w[i]) <= 0.5f / scale * 1.0001f, "element " + i);
            }
        }
    }

    @Test
    void q8_0IsWithinHalfAStepOfEachBlock() {
        Random random = new Random(6);
        int rows = 3, cols = 96;
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian();
        Tensor q = Weights.toQ8_0(Tensor.ofFloats("w", new int[] {rows, cols}, w));
        assertEquals(DType.Q8_0, q.type());
        for (int b = 0; b < w.length / 32; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(w[b * 32 + j]));
            float step = Float.float16ToFloat(Float.floatToFloat16(amax / 127));
            for (int j = 0; j < 32; j++) {
                int i = b * 32 + j;
                assertTrue(Math.abs(q.get(i) - w[i]) <= 0.5f * step + amax * 1e-3f, "element " + i);
            }
        }
        var e = assertThrows(AuricleException.class, () -> Weights.toQ8_0(Tensor.ofFloats("odd", new int[] {2, 40}, new float[80])));
        assertEquals("odd: rows of 40 values do not split into q8_0 blocks of 32", e.getMessage());
    }

    @Test
    void float16RoundsOnlyFloat32Weights() {
        float[] w = {0.1f, -3.3333f, 65504f, 1e-8f};
        Tensor h = Weights.convert(Tensor.ofFloats("w", new int[] {2, 2}, w), ComputeType.FLOAT16);
        assertEquals(DType.F16, h.type());
        for (int i = 0; i < w.length; i++) assertEquals(Float.float16ToFloat(Float.floatToFloat16(w[i])), h.get(i), 0f);
        assertSame(h, Weights.convert(h, ComputeType.FLOAT16));
        assertSame(h, Weights.convert(h, ComputeType.FLOAT32));
    }

    /**
     * tiny.en's decoder (a 3-token prompt, then one step) on random audio features, through the vector kernels and the
     * scalar reference, in each compute type: the logits may differ only by the order of float additions,
     * {@code 5e-5 · (1 + |logit|)} (measured: 2.0e-6 float32, 2.9e-6 float16, 2.7e-6 int8, 7.8e-6 q8_0).
     */
    @ParameterizedTest
    @EnumSource(value = ComputeType.class, names = {"FLOAT32", "FLOAT16", "INT8", "Q8_0"})
    void decoderStepMatchesTheScalarReference(ComputeType type) {
        Checkpoint checkpoint = CheckpointLoader.load(TinyEn.DIR);
        WhisperModel fast = new WhisperModel(checkpoint, VectorOps.withThreads(2), type);
        WhisperModel reference = new WhisperModel(checkpoint, new ScalarOps(), type);
        assertEquals(type, fast.computeType());
        Random random = new Random(9);
        int nAudio = 64, d = checkpoint.dims().nAudioState();
        float[] audio = new float[nAudio * d];
        for (int i = 0; i < audio.length; i++) audio[i] = (float) random.nextGaussian();
        int[] prompt = {50257, 50362, 440};
        float[] expected = step(reference, audio, prompt), actual = step(fast, audio, prompt);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / (1 + Math.abs(expected[i])));
        }
        assertTrue(worst <= 5e-5, type + ": logits differ by " + worst + " x (1 + |logit|)");
    }

    /**
     * Token rows are looked up in the decoder's copy in its compute type, as CTranslate2 gathers from its int8
     * embeddings (tiny.en is stored in fp16): the int8 and q8_0 rows are within half a quantisation step of the
     * stored ones, and the fp16 file's pages are not read for them.
     */
    @ParameterizedTest
    @EnumSource(value = ComputeType.class, names = {"FLOAT16", "INT8", "Q8_0"})
    void tokenRowsAreLookedUpInTheComputeTypesCopy(ComputeType type) {
        Checkpoint checkpoint = CheckpointLoader.load(TinyEn.DIR);
        Tensor stored = checkpoint.tensor("decoder.token_embedding.weight");
        Tensor looked = new WhisperModel(checkpoint, VectorOps.withThreads(2), type).decoder().tokenEmbedding();
        DType expected = switch (type) {
            case INT8 -> DType.I8_ROW_SCALED;
            case Q8_0 -> DType.Q8_0;
            default -> DType.F16;
        };
        assertEquals(expected, looked.type());
        int d = stored.dim(1);
        for (int token : new int[] {0, 440, 50256}) {
            float max = 0;
            for (int c = 0; c < d; c++) max = Math.max(max, Math.abs(stored.get((long) token * d + c)));
            for (int c = 0; c < d; c++) {
                long i = (long) token * d + c;
                assertEquals(stored.get(i), looked.get(i), max / 127 * 0.6 + 1e-6, type + " token " + token);
            }
        }
    }

    /**
     * A cache made over an earlier window's arrays (as the seek loop makes them) decodes exactly as a fresh one:
     * every cross-attention key and value overwritten, the self-attention rows it grew to reused, its forks' old
     * tokens invisible; a window of another length gets arrays of its own.
     */
    @ParameterizedTest
    @EnumSource(value = ComputeType.class, names = {"FLOAT32", "FLOAT16"})
    void aCacheOverAnEarlierWindowsArraysDecodesAsAFreshOne(ComputeType type) {
        WhisperModel model = new WhisperModel(CheckpointLoader.load(TinyEn.DIR), VectorOps.withThreads(2), type);
        Random random = new Random(3);
        int d = model.dims().nAudioState();
        float[] first = new float[64 * d], second = new float[64 * d], shorter = new float[40 * d];
        for (float[] a : new float[][] {first, second, shorter}) {
            for (int i = 0; i < a.length; i++) a[i] = (float) random.nextGaussian();
        }
        int[] longPrompt = new int[100];
        for (int i = 0; i < longPrompt.length; i++) longPrompt[i] = 300 + 17 * i;
        KvCache old = model.newCache(first);
        model.forward(longPrompt, old, null); // grows its self-attention rows past the first 64
        model.forward(new int[] {440}, old.fork(), null);

        int[] prompt = {50257, 50362, 440};
        KvCache reused = model.newCache(second, old);
        float[] expected = step(model, second, prompt);
        model.forward(prompt, reused, null);
        float[] actual = model.logits(model.forward(new int[] {1396}, reused, null), 0);
        // Not asked to be bit-equal: the vector EXP differs in its last bits before and after C2 compiles it.
        assertArrayEquals(expected, actual, 1e-4f, type + ": reused arrays");

        KvCache other = model.newCache(shorter, reused); // 40 positions: does not fit, new arrays
        model.forward(prompt, other, null);
        float[] otherLogits = model.logits(model.forward(new int[] {1396}, other, null), 0);
        assertArrayEquals(step(model, shorter, prompt), otherLogits, 1e-4f, type + ": 40 positions");
    }

    private static float[] step(WhisperModel model, float[] audio, int[] prompt) {
        KvCache cache = model.newCache(audio);
        model.forward(prompt, cache, null);
        return model.logits(model.forward(new int[] {1396}, cache, null), 0);
    }
}
