package io.auricle.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void q8_0BlockDequantizesAsScaleTimesQuant() {
        MemorySegment block = MemorySegment.ofArray(new byte[34]);
        block.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, Float.floatToFloat16(0.5f));
        for (int j = 0; j < 32; j++) block.set(ValueLayout.JAVA_BYTE, 2 + j, (byte) (j - 16));
        Tensor t = Tensor.of("w", DType.Q8_0, new int[] {1, 32}, block);
        for (int j = 0; j < 32; j++) assertEquals((j - 16) * 0.5f, t.get(j));
    }

    @Test
    void q4_0UsesLowNibblesFirstThenHighNibbles() {
        MemorySegment block = MemorySegment.ofArray(new byte[18]);
        block.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, Float.floatToFloat16(2f));
        block.set(ValueLayout.JAVA_BYTE, 2, (byte) 0xF1); // element 0 = 1, element 16 = 15
        Tensor t = Tensor.of("w", DType.Q4_0, new int[] {32}, block);
        assertEquals((1 - 8) * 2f, t.get(0));
        assertEquals((15 - 8) * 2f, t.get(16));
    }

    @Test
    void sizeMismatchIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.of("w", DType.F32, new int[] {2, 3}, MemorySegment.ofArray(new float[5])));
    }
}
