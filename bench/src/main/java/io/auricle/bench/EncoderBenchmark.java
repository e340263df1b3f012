package io.auricle.bench;

import io.auricle.model.CheckpointLoader;
import io.auricle.model.WhisperModel;
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
 * The tiny.en encoder on one 30 s window (3000 mel frames → 1500 positions) with its real weights. The mel is
 * synthetic: the encoder's cost does not depend on the audio.
 *
 * <p>{@code main} measures CPU time: {@code java -cp ... io.auricle.bench.EncoderBenchmark [threads] [windows] [model]
 * [audio ctx]} (model: a name in the Auricle cache or a path, default tiny.en; audio ctx default 1500).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class EncoderBenchmark {
    @Param({"1", "2"})
    public int threads;

    private WhisperModel model;
    private float[][] mel;

    @Setup
    public void setup() {
        model = new WhisperModel(CheckpointLoader.load(DecoderStepBenchmark.TINY_EN), VectorOps.withThreads(threads));
        mel = syntheticMel(model.dims().nMels());
    }

    @Benchmark
    public float[] encode() {
        return model.embedAudio(mel);
    }

    /** Log-mel-like values in Whisper's range [-1.5, 1.5] for 3000 frames. */
    static float[][] syntheticMel(int nMels) {
        Random random = new Random(7);
        float[][] mel = new float[nMels][3000];
        for (float[] band : mel) {
            for (int t = 0; t < band.length; t++) band[t] = (float) Math.max(-1.5, Math.min(1.5, random.nextGaussian() * 0.5));
        }
        return mel;
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int windows = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String name = args.length > 2 ? args[2] : "tiny.en";
        java.nio.file.Path path = java.nio.file.Files.exists(java.nio.file.Path.of(name)) ? java.nio.file.Path.of(name)
                : DecoderStepBenchmark.TINY_EN.resolveSibling(name);
        WhisperModel model = new WhisperModel(CheckpointLoader.load(path), VectorOps.withThreads(threads));
        int ctx = args.length > 3 ? Integer.parseInt(args[3]) : model.dims().nAudioCtx();
        float[][] mel = syntheticMel(model.dims().nMels());
        DecoderStepBenchmark.CpuTimer.report("encoder window (" + name + ", ctx " + ctx + ", " + threads + " threads)",
                windows, () -> model.embedAudio(mel, ctx));
    }
}
