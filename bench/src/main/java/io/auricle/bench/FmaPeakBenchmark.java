package io.auricle.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This CPU's single-precision FMA peak as the Vector API reaches it: 12 independent accumulators (enough to cover
 * the FMA latency times two pipes) updated from registers only, no memory traffic. FLOP per call =
 * {@code 2 · 12 · lanes · STEPS}; run with {@code -t 1} for one core, {@code -t 2} for both.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class FmaPeakBenchmark {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int STEPS = 100_000;

    public float a = 0.999f, b = 1e-4f;

    @Benchmark
    public float fma() {
        FloatVector x = FloatVector.broadcast(F, a), y = FloatVector.broadcast(F, b);
        FloatVector c0 = y, c1 = y.add(1), c2 = y.add(2), c3 = y.add(3), c4 = y.add(4), c5 = y.add(5);
        FloatVector c6 = y.add(6), c7 = y.add(7), c8 = y.add(8), c9 = y.add(9), c10 = y.add(10), c11 = y.add(11);
        for (int i = 0; i < STEPS; i++) {
            c0 = c0.fma(x, y); c1 = c1.fma(x, y); c2 = c2.fma(x, y); c3 = c3.fma(x, y);
            c4 = c4.fma(x, y); c5 = c5.fma(x, y); c6 = c6.fma(x, y); c7 = c7.fma(x, y);
            c8 = c8.fma(x, y); c9 = c9.fma(x, y); c10 = c10.fma(x, y); c11 = c11.fma(x, y);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** One thread's peak in GFLOP/s per CPU-second. */
    public static void main(String[] args) {
        FmaPeakBenchmark b = new FmaPeakBenchmark();
        CpuRate.report("FMA peak, 1 thread, " + F.length() + " lanes", 2.0 * 12 * F.length() * STEPS, b::fma);
    }
}
