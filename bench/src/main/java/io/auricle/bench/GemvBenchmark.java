package io.auricle.bench;

import io.auricle.tensor.DType;
import io.auricle.tensor.Matrix;
import io.auricle.tensor.Ops;
import io.auricle.tensor.Tensor;
import io.auricle.tensor.VectorOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The decoder's products: a few rows against weights read in their stored type, from off-heap memory as a
 * mapped model would be. Shapes {@code rows x in x out}: the logits projection of tiny/base (51864 x 384/512,
 * 40/53 MB in fp16), one decoder layer's d→d, d→4d and 4d→d, and five beams at once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class GemvBenchmark {

    @Param({"1x384x51864", "1x512x51864", "5x384x51864", "1x384x384", "1x384x1536", "1x1536x384"})
    public String shape;

    @Param({"F16", "I8_ROW_SCALED", "Q8_0"})
    public DType type;

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private Ops ops;
    private Matrix w;
    private float[] x;
    private float[] y;
    private int rows;

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        rows = Integer.parseInt(p[0]);
        int in = Integer.parseInt(p[1]), out = Integer.parseInt(p[2]);
        arena = Arena.ofShared();
        Random random = new Random(1);
        ops = VectorOps.withThreads(threads);
        w = ops.prepare(randomWeight(arena, random, type, out, in));
        x = new float[rows * in];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
        y = new float[rows * out];
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float[] matmul() {
        ops.matmul(x, rows, w, null, y);
        return y;
    }

    /** A random {@code [out, in]} weight of {@code type} (F32, F16, I8_ROW_SCALED or Q8_0) in off-heap memory. */
    static Tensor randomWeight(Arena arena, Random random, DType type, int out, int in) {
        long n = (long) out * in;
        MemorySegment data = arena.allocate(type.byteSize(n), 64);
        switch (type) {
            case F32 -> {
                for (long i = 0; i < n; i++) data.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) random.nextGaussian() * 0.05f);
            }
            case F16 -> {
                for (long i = 0; i < n; i++) {
                    data.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Float.floatToFloat16((float) random.nextGaussian() * 0.05f));
                }
            }
            case I8_ROW_SCALED -> {
                for (long i = 0; i < n; i++) data.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt());
                MemorySegment scales = arena.allocate(out * 4L, 64);
                for (int r = 0; r < out; r++) scales.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, r, 1000f);
                return new Tensor("w", type, new int[] {out, in}, data, scales);
            }
            case Q8_0 -> {
                for (long b = 0; b < n / 32; b++) {
                    data.set(ValueLayout.JAVA_SHORT_UNALIGNED, b * 34, Float.floatToFloat16(0.002f));
                    for (int j = 0; j < 32; j++) data.set(ValueLayout.JAVA_BYTE, b * 34 + 2 + j, (byte) random.nextInt());
                }
            }
            default -> throw new IllegalArgumentException("no benchmark weights for " + type);
        }
        return Tensor.of("w", type, new int[] {out, in}, data);
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(new String[] {GemvBenchmark.class.getSimpleName()});
    }
}
