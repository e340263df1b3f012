import io.auricle.model.Checkpoint;
import io.auricle.model.CheckpointLoader;
import io.auricle.model.WhisperModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Load time and resident memory of one checkpoint, for docs/weights.md (driven by tools/python/weights_load_times.py,
 * which evicts the files from the page cache for the cold runs). Prints one line:
 * {@code open_ms ready_ms open_cpu_ms ready_cpu_ms rss_added_mb anon_added_mb} — open = mapped and parsed
 * (CheckpointLoader), ready = the WhisperModel built on it (whatever layout the kernels ask for); CPU time is the
 * process's (all threads); RSS and its anonymous part are from /proc, minus what the JVM held before loading.
 *
 * Run: java --add-modules jdk.incubator.vector -cp 'cli/target/auricle-cli.jar:cli/target/lib/*' tools/java/WeightsLoadTime.java MODEL
 */
public class WeightsLoadTime {
    public static void main(String[] args) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] base = rss();
        long c0 = os.getProcessCpuTime(), t0 = System.nanoTime();
        Checkpoint checkpoint = CheckpointLoader.load(Path.of(args[0]));
        long c1 = os.getProcessCpuTime(), t1 = System.nanoTime();
        WhisperModel model = new WhisperModel(checkpoint);
        long c2 = os.getProcessCpuTime(), t2 = System.nanoTime();
        double[] ready = rss();
        System.out.printf(Locale.ROOT, "%.0f %.0f %.0f %.0f %.0f %.0f%n", (t1 - t0) / 1e6, (t2 - t0) / 1e6,
                (c1 - c0) / 1e6, (c2 - c0) / 1e6, ready[0] - base[0], ready[1] - base[1]);
        if (model.hashCode() == 42) System.out.print(""); // keep the model reachable until measured
    }

    /** VmRSS and RssAnon in MB. */
    private static double[] rss() throws Exception {
        double total = 0, anon = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) total = kb(line) / 1024.0;
            if (line.startsWith("RssAnon:")) anon = kb(line) / 1024.0;
        }
        return new double[] {total, anon};
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
