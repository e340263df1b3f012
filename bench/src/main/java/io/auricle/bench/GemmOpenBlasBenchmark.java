package io.auricle.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * OpenBLAS {@code cblas_sgemm} on the same products as {@link GemmBenchmark} ({@code y = x · Wᵀ}, float32, all
 * operands off-heap), for comparison. The library comes from the {@code org.bytedeco:openblas} natives jar and
 * is called through FFM.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class GemmOpenBlasBenchmark {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    @Param({"1500x384x384", "1500x384x1536", "1500x1536x384",
            "1500x512x512", "1500x512x2048", "1500x2048x512",
            "1500x768x768", "1500x768x3072", "1500x3072x768"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private MethodHandle sgemm;
    private MemorySegment x, w, y;
    private int rows, in, out;

    @Setup
    public void setup() throws Throwable {
        String[] p = shape.split("x");
        rows = Integer.parseInt(p[0]);
        in = Integer.parseInt(p[1]);
        out = Integer.parseInt(p[2]);
        arena = Arena.ofShared();
        SymbolLookup blas = load(arena);
        Linker linker = Linker.nativeLinker();
        linker.downcallHandle(blas.find("openblas_set_num_threads").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)).invoke(threads);
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        sgemm = linker.downcallHandle(blas.find("cblas_sgemm").orElseThrow(), FunctionDescriptor.ofVoid(
                i, i, i, i, i, i, ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, i, ValueLayout.ADDRESS, i,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, i));
        Random random = new Random(1);
        x = gaussian(random, (long) rows * in, 1f);
        w = gaussian(random, (long) out * in, 0.05f);
        y = arena.allocate((long) rows * out * 4, 64);
    }

    private MemorySegment gaussian(Random random, long n, float scale) {
        MemorySegment s = arena.allocate(n * 4, 64);
        for (long k = 0; k < n; k++) s.setAtIndex(ValueLayout.JAVA_FLOAT, k, (float) random.nextGaussian() * scale);
        return s;
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public MemorySegment sgemm() throws Throwable {
        sgemm.invoke(ROW_MAJOR, NO_TRANS, TRANS, rows, out, in, 1f, x, in, w, in, 0f, y, out);
        return y;
    }

    /** Extracts OpenBLAS and its runtime libraries from the natives jar, loading the dependencies first. */
    private static SymbolLookup load(Arena arena) throws IOException {
        Path dir = Files.createTempDirectory("auricle-openblas");
        SymbolLookup lookup = null;
        for (String lib : new String[] {"libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0"}) {
            Path file = dir.resolve(lib);
            try (InputStream in = GemmOpenBlasBenchmark.class.getResourceAsStream("/org/bytedeco/openblas/linux-x86_64/" + lib)) {
                if (in == null) throw new IOException(lib + " is not on the class path (org.bytedeco:openblas natives)");
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lookup = SymbolLookup.libraryLookup(file, arena);
        }
        return lookup;
    }

    /** CPU-time figures, as {@link GemmBenchmark#main}: {@code GemmOpenBlasBenchmark threads [shape ...]}. */
    public static void main(String[] args) throws Throwable {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        String[] shapes = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length) : GemmBenchmark.ENCODER_SHAPES;
        for (String shape : shapes) {
            GemmOpenBlasBenchmark b = new GemmOpenBlasBenchmark();
            b.shape = shape;
            b.threads = threads;
            b.setup();
            CpuRate.report("openblas " + shape + " " + threads + "t", GemmBenchmark.flops(shape), () -> {
                try {
                    b.sgemm();
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            });
            b.tearDown();
        }
    }
}
