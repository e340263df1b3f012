package io.auricle.bench;

import io.auricle.audio.LogMel;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 30 s of audio to Whisper's log-mel spectrogram on one thread. The Python side of the comparison,
 * faster-whisper's numpy FeatureExtractor on the same signal, is tools/python/bench_mel_reference.py.
 *
 * <p>Run: {@code bench/run-jmh MelBenchmark -f 1 -wi 3 -i 5}. Warm-up iterations are long (5 s) because the
 * Vector API code is hundreds of times slower until C2 has compiled it, which takes a while on a busy machine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsPrepend = "-Dauricle.mel.vector=true") // the hot path; "auto" starts on plain loops
@Threads(1)
@State(Scope.Thread)
public class MelBenchmark {

    @Param({"80"})
    int nMels;

    float[] audio;

    @Setup
    public void setUp() {
        audio = signal(30 * 16000);
        LogMel.compute(audio, nMels); // builds the filter bank outside the measurement
    }

    /** log_mel_spectrogram(audio) of 30 s: 3000 frames. */
    @Benchmark
    public float[][] logMel30s() {
        return LogMel.compute(audio, nMels);
    }

    /** The same formula as bench_mel_reference.py: two tones and a deterministic buzz, amplitude below 0.5. */
    static float[] signal(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double t = i / 16000.0;
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * t) + 0.1 * Math.sin(2 * Math.PI * 3100 * t)
                    + 0.05 * Math.sin(i * 0.37 + Math.sin(i * 0.011)));
        }
        return x;
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(new String[] {MelBenchmark.class.getSimpleName()});
    }
}
