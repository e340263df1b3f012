package io.auricle.bench;

import io.auricle.tensor.DType;
import io.auricle.tensor.Matrix;
import io.auricle.tensor.Ops;
import io.auricle.tensor.Tensor;
import io.auricle.tensor.VectorOps;
import java.lang.foreign.MemorySegment;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The encoder's products: {@code y[1500, out] = x[1500, in] · Wᵀ} for the shapes of tiny (d 384), base (512)
 * and small (768): attention projections d→d, MLP d→4d and 4d→d. Weights are float16, as in the CT2 models.
 * GFLOP/s = 2·rows·in·out / time; {@code threads} sets the kernel pool ({@code auricle.threads}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class GemmBenchmark {

    /** rows x in x out. */
    @Param({"1500x384x384", "1500x384x1536", "1500x1536x384",
            "1500x512x512", "1500x512x2048", "1500x2048x512",
            "1500x768x768", "1500x768x3072", "1500x3072x768"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

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
        Random random = new Random(1);
        short[] h = new short[in * out];
        for (int i = 0; i < h.length; i++) h[i] = Float.floatToFloat16((float) random.nextGaussian() * 0.05f);
        ops = VectorOps.withThreads(threads);
        w = ops.prepare(Tensor.of("w", DType.F16, new int[] {out, in}, MemorySegment.ofArray(h)));
        x = new float[rows * in];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
        y = new float[rows * out];
        ops.matmul(x, rows, w, null, y); // packs the weight outside the measurement
    }

    @Benchmark
    public float[] matmul() {
        ops.matmul(x, rows, w, null, y);
        return y;
    }

    /**
     * CPU-time figures for a loaded machine: {@code GemmBenchmark threads [shape ...]} prints, per shape, GFLOP/s
     * per second of process CPU (caller plus the pool's workers) and of wall time, best of rounds.
     */
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        String[] shapes = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length) : ENCODER_SHAPES;
        for (String shape : shapes) {
            GemmBenchmark b = new GemmBenchmark();
            b.shape = shape;
            b.threads = threads;
            b.setup();
            CpuRate.report("auricle " + shape + " " + threads + "t", flops(shape), b::matmul);
        }
    }

    static final String[] ENCODER_SHAPES = {"1500x384x384", "1500x384x1536", "1500x1536x384",
            "1500x512x512", "1500x512x2048", "1500x2048x512", "1500x768x768", "1500x768x3072", "1500x3072x768"};

    static double flops(String shape) {
        String[] p = shape.split("x");
        return 2.0 * Long.parseLong(p[0]) * Long.parseLong(p[1]) * Long.parseLong(p[2]);
    }
}
