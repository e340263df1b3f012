package io.auricle.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.auricle.tensor.DType;
import io.auricle.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Byte-for-byte against gguf.quants (tools/python/ggml_quant_fixture.py), the numpy port of ggml-quants.c. */
class GgmlQuantizerTest {

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1"})
    void matchesTheReferenceQuantizerBitForBit(DType type) throws Exception {
        byte[] raw = Files.readAllBytes(TestModels.resource("ggml_quant/input.f32"));
        float[] x = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(x);
        byte[] want = Files.readAllBytes(TestModels.resource("ggml_quant/" + type.name().toLowerCase() + ".bin"));

        MemorySegment out = MemorySegment.ofArray(new byte[(int) type.byteSize(x.length)]);
        GgmlQuantizer.quantize(type, x, x.length, out, 0);
        byte[] got = out.toArray(ValueLayout.JAVA_BYTE);
        for (int b = 0; b < x.length / 32; b++) {
            int n = type.bytesPerBlock;
            assertArrayEquals(java.util.Arrays.copyOfRange(want, b * n, b * n + n),
                    java.util.Arrays.copyOfRange(got, b * n, b * n + n), type + " block " + b);
        }

        // And the shared decoder reads our blocks back within half a quantization step of the input.
        Tensor t = Tensor.of("t", type, new int[] {x.length / 32, 32}, out);
        for (int b = 0; b < x.length / 32; b++) {
            float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
            for (int j = 0; j < 32; j++) {
                lo = Math.min(lo, x[b * 32 + j]);
                hi = Math.max(hi, x[b * 32 + j]);
            }
            float amax = Math.max(Math.abs(lo), Math.abs(hi));
            float step = switch (type) {
                case Q8_0 -> amax / 127;
                case Q4_0 -> amax / 8;
                case Q5_0 -> amax / 16;
                case Q4_1 -> (hi - lo) / 15;
                default -> (hi - lo) / 31;
            };
            for (int j = 0; j < 32; j++) {
                int i = b * 32 + j;
                // Half a step, but a whole one for q4_0/q5_0's clamped code (+max maps past the top when the
                // block's extreme is negative); fp16 scales and minimums add about 2^-11 relative.
                float bound = (type == DType.Q4_0 || type == DType.Q5_0 ? 1.01f : 0.51f) * step;
                assertEquals(x[i], t.get(i), bound + amax * 2e-3f + 1e-6f, type + " element " + i);
            }
        }
    }
}
