package io.auricle.tensor;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.management.ObjectName;

/**
 * Tells HotSpot's JIT, once per JVM, how to compile the kernels; the Vector API is only fast in C2 code where
 * every vector stays in registers.
 *
 * <ul>
 *   <li><b>Inline the helpers that take or return vectors</b> ({@link Lanes}, {@code Gemv.finish4},
 *   {@code VectorOps.onePlusErf}, {@code WeightRows.widen} and {@code finishInt8}). C2 refuses to inline a method already compiled on
 *   its own into more than {@code InlineSmallCode} bytes, and whether that happened first depends on which
 *   compilation finished first: in about one JVM in three the decoder's vectors were then boxed, 16 MB allocated
 *   per tiny.en step and 6.5 ms instead of 4.2 (DecoderStepBenchmark, eight runs each way).</li>
 *   <li><b>Make a hot kernel wait for its compilation</b> ({@code BackgroundCompilation: false}) rather than
 *   go on in the interpreter or C1, where each vector operation allocates: the first window is sooner.</li>
 *   <li><b>Leave the drivers to C1</b> ({@code c2: { Exclude: true }}): the model's layers, the decoding and
 *   transcription loops and the like only call the kernels, and C2 compiled them more than once a run (on-stack,
 *   then whole) while a kernel's caller waited on the same compiler thread.</li>
 * </ul>
 *
 * These are compiler directives (JEP 165, {@code jit-directives.json}), added at run time through the
 * diagnostic-command MBean so that every embedder gets them; a JVM without that command runs the kernels as before.
 * Starting the MBean server costs about 0.3 s, so the launcher gives its JVMs the same directives as compile
 * commands ({@code bin/jvm-flags}; the directives file would print a line to stdout) with
 * {@code -Dauricle.jitDirectives=false}, which skips this; a test keeps the two lists the same.
 */
final class JitDirectives {
    private static final boolean INSTALLED = install();

    /** The directives, a resource beside this class; the launcher's compile commands say the same. */
    static final String RESOURCE = "jit-directives.json";

    private JitDirectives() {}

    /**
     * Installs the directives if this is the first call in the JVM; whether they are in force. {@link VectorOps},
     * through which every kernel is reached, calls it as it is initialized.
     */
    static boolean ensureInstalled() {
        return INSTALLED;
    }

    private static boolean install() {
        if (!Boolean.parseBoolean(System.getProperty("auricle.jitDirectives", "true"))) return false;
        Path file = null;
        try {
            file = Files.createTempFile("auricle-jit", ".json");
            try (InputStream in = JitDirectives.class.getResourceAsStream(RESOURCE)) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            Object added = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                    new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
            return String.valueOf(added).contains("added");
        } catch (Exception | LinkageError e) {
            return false;  // no management support: the kernels still run, only without these hints
        } finally {
            if (file != null) file.toFile().delete();
        }
    }
}
