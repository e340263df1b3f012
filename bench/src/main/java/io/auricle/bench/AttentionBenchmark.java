package io.auricle.bench;

import io.auricle.tensor.Ops;
import io.auricle.tensor.VectorOps;
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
 * One attention call, head size 64. Cases {@code nq x nk x heads x causalOffset}: the encoder's self-attention
 * for tiny/base/small (1500 x 1500, 6/8/12 heads; 4·nq·nk·d FLOP), the decoder's cross-attention for one token
 * (1 x 1500) and its self-attention over a 224-token cache, and a 100-token prompt (causal, blocked path).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class AttentionBenchmark {

    @Param({"1500x1500x6x-1", "1500x1500x8x-1", "1500x1500x12x-1", "1x1500x6x-1", "1x224x6x223", "100x100x6x0"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private Ops ops;
    private float[] q, k, v, out;
    private int nq, nk, heads, causalOffset;

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        nq = Integer.parseInt(p[0]);
        nk = Integer.parseInt(p[1]);
        heads = Integer.parseInt(p[2]);
        causalOffset = Integer.parseInt(p[3]);
        int d = heads * 64;
        Random random = new Random(1);
        q = gaussian(random, nq * d);
        k = gaussian(random, nk * d);
        v = gaussian(random, nk * d);
        out = new float[nq * d];
        ops = VectorOps.withThreads(threads);
    }

    private static float[] gaussian(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) random.nextGaussian();
        return a;
    }

    @Benchmark
    public float[] attention() {
        ops.attention(q, nq, k, v, nk, heads, 64, causalOffset, out, null);
        return out;
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(new String[] {AttentionBenchmark.class.getSimpleName()});
    }
}
