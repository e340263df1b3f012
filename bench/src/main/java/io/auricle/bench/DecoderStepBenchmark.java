package io.auricle.bench;

import io.auricle.model.CheckpointLoader;
import io.auricle.model.ComputeType;
import io.auricle.model.KvCache;
import io.auricle.model.WhisperModel;
import io.auricle.tensor.VectorOps;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
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
 * One decoder step of tiny.en with its real weights ({@code ~/.cache/auricle/models/tiny.en}): the token through
 * every layer with the KV cache (self-attention over {@code CONTEXT} cached tokens: 24, or
 * {@code -Dauricle.bench.context=N}; cross-attention over 1500 audio positions), then the logits over the whole
 * vocabulary. The cache is cut back after each step, so every step sees the same context.
 *
 * <p>{@code main} measures CPU time instead of wall time (the shared machine is loaded):
 * {@code java -cp ... io.auricle.bench.DecoderStepBenchmark [threads] [steps] [float32|float16|int8|q8_0]};
 * {@code -Dauricle.bench.beams=N} times one step of N forks of one window (beam search's);
 * {@code -Dauricle.bench.batch=N} times one batched step of N windows instead ({@link WhisperModel#step}: N caches
 * of their own, as the batched pipeline decodes them).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class DecoderStepBenchmark {
    static final Path TINY_EN = Path.of(System.getProperty("user.home"), ".cache/auricle/models/tiny.en");
    static final int CONTEXT = Integer.getInteger("auricle.bench.context", 24);
    /** {@code -Dauricle.bench.model=DIR}: another model directory (e.g. base) for {@code main}. */
    private Path modelDir = TINY_EN;
    private static final int SOT = 50257;

    @Param({"1", "2"})
    public int threads;

    @Param({"default"})
    public String computeType;

    private WhisperModel model;
    private KvCache cache;
    private final int[] token = {440};
    private float[] logits;

    @Setup
    public void setup() {
        model = new WhisperModel(CheckpointLoader.load(modelDir), VectorOps.withThreads(threads), ComputeType.parse(computeType));
        float[] audio = model.embedAudio(EncoderBenchmark.syntheticMel(model.dims().nMels()));
        cache = model.newCache(audio);
        logits = new float[model.dims().nVocab()];
        int[] prompt = new int[CONTEXT];
        prompt[0] = SOT;
        Random random = new Random(3);
        for (int i = 1; i < CONTEXT; i++) prompt[i] = 220 + random.nextInt(20000);
        model.forward(prompt, cache, null);
    }

    @Benchmark
    public float[] step() {
        cache.truncate(CONTEXT);
        float[] hidden = model.forward(token, cache, null);
        return model.logits(hidden, 0, logits);
    }

    /** {@code n} caches of their own windows, each holding the same prompt as {@link #cache}. */
    private KvCache[] batchOf(int n) {
        KvCache[] caches = new KvCache[n];
        float[] audio = model.embedAudio(EncoderBenchmark.syntheticMel(model.dims().nMels()));
        int[] prompt = new int[CONTEXT];
        prompt[0] = SOT;
        Random random = new Random(3);
        for (int i = 1; i < CONTEXT; i++) prompt[i] = 220 + random.nextInt(20000);
        for (int i = 0; i < n; i++) {
            caches[i] = model.newCache(audio);
            model.forward(prompt, caches[i], null);
        }
        return caches;
    }

    public static void main(String[] args) {
        DecoderStepBenchmark b = new DecoderStepBenchmark();
        b.threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        b.computeType = args.length > 2 ? args[2] : "default";
        String model = System.getProperty("auricle.bench.model");
        if (model != null) b.modelDir = Path.of(model);
        b.setup();
        int beams = Integer.getInteger("auricle.bench.beams", 0);
        if (beams > 0) { // forks of one window, as beam search steps them (sharing its prompt and cross K/V)
            KvCache[] caches = new KvCache[beams];
            caches[0] = b.cache;
            for (int i = 1; i < beams; i++) caches[i] = b.cache.fork();
            int[] tokens = new int[beams];
            java.util.Arrays.fill(tokens, b.token[0]);
            float[][][] logits = {null};
            CpuTimer.report("beam decoder step (" + beams + " forks of one window, " + b.modelDir.getFileName() + ", "
                    + b.model.computeType().label() + ", " + b.threads + " threads)", steps, () -> {
                for (KvCache c : caches) c.truncate(CONTEXT);
                logits[0] = b.model.step(tokens, caches, null, logits[0]);
            });
            return;
        }
        int batch = Integer.getInteger("auricle.bench.batch", 0);
        if (batch > 0) {
            KvCache[] caches = b.batchOf(batch);
            int[] tokens = new int[batch];
            java.util.Arrays.fill(tokens, b.token[0]);
            CpuTimer.report("batched decoder step (" + batch + " windows, " + b.modelDir.getFileName() + ", "
                    + b.model.computeType().label() + ", " + b.threads + " threads)", steps, () -> {
                for (KvCache c : caches) c.truncate(CONTEXT);
                b.model.step(tokens, caches);
            });
            return;
        }
        CpuTimer.report("decoder step (" + b.modelDir.getFileName() + ", " + b.model.computeType().label() + ", "
                + b.threads + " threads)", steps, b::step);
    }

    /**
     * Best-of-rounds CPU time per call: this thread's, and the whole process's (includes the pool's workers and
     * their spinning); and the bytes one call allocates on the calling thread.
     */
    static final class CpuTimer {
        static void report(String what, int calls, Runnable call) {
            var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            for (int i = 0; i < calls; i++) call.run(); // warm-up
            int rounds = 5, per = Math.max(1, calls / rounds);
            double bestThread = Double.MAX_VALUE, bestProcess = Double.MAX_VALUE, bestWall = Double.MAX_VALUE;
            long a0 = mx.getCurrentThreadAllocatedBytes();
            call.run();
            long allocated = mx.getCurrentThreadAllocatedBytes() - a0;
            for (int r = 0; r < rounds; r++) {
                long t0 = mx.getCurrentThreadCpuTime(), p0 = os.getProcessCpuTime(), w0 = System.nanoTime();
                for (int i = 0; i < per; i++) call.run();
                bestThread = Math.min(bestThread, (mx.getCurrentThreadCpuTime() - t0) / 1e6 / per);
                bestProcess = Math.min(bestProcess, (os.getProcessCpuTime() - p0) / 1e6 / per);
                bestWall = Math.min(bestWall, (System.nanoTime() - w0) / 1e6 / per);
            }
            System.out.printf("%s: %.2f ms caller CPU, %.2f ms process CPU, %.2f ms wall (best of %d rounds of %d; load %.1f);"
                            + " %d bytes allocated by the caller per call%n",
                    what, bestThread, bestProcess, bestWall, rounds, per, os.getSystemLoadAverage(), allocated);
        }
    }
}
