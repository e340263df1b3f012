package io.auricle.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests: one Master and some Workers, each its own JVM started
 * from this JVM's test class path and module flags. The Workers start executor JVMs the usual way (Spark's
 * launcher), with the same class path through SPARK_DIST_CLASSPATH. {@link #close()} ends every process it
 * started, executors included.
 */
final class LoopbackCluster implements AutoCloseable {
    /** Generous: executor and master start-up take tens of seconds on the shared, loaded 2-core machine. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Path dir;
    private final int masterPort;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> workerDirs = new ArrayList<>();

    private LoopbackCluster(Path dir, int masterPort) {
        this.dir = dir;
        this.masterPort = masterPort;
    }

    /** A master and {@code workers} workers of one core and {@code workerMemory} (e.g. "1g") each, all registered. */
    static LoopbackCluster start(Path dir, int workers, String workerMemory) throws IOException, InterruptedException {
        LoopbackCluster cluster = new LoopbackCluster(Files.createDirectories(dir), freePort());
        try {
            Path masterLog = dir.resolve("master.log");
            cluster.launch(masterLog, List.of("-Xmx256m", "-Dspark.master.rest.enabled=false"),
                    "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(cluster.masterPort), "--webui-port", "0");
            awaitLine(masterLog, "I have been elected leader", cluster.processes.getFirst());
            for (int i = 0; i < workers; i++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + i));
                cluster.workerDirs.add(work);
                Path log = dir.resolve("worker-" + i + ".log");
                cluster.launch(log, List.of("-Xmx256m"), "org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--cores", "1", "--memory", workerMemory, "--work-dir", work.toString(),
                        "--webui-port", "0", cluster.masterUrl());
                awaitLine(log, "Successfully registered with master", cluster.processes.getLast());
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** Each worker's work directory (an application directory per app it ran executors for). */
    List<Path> workerDirs() {
        return List.copyOf(workerDirs);
    }

    /** The JDK 25 flags this test JVM runs with (module opens, Vector API, native access, stack size): for executors too. */
    static List<String> jvmFlags() {
        List<String> flags = new ArrayList<>();
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("--add-opens") || a.equals("--add-modules") || a.equals("--add-exports"))
                    && i + 1 < args.size()) {
                flags.add(a + "=" + args.get(++i));
            } else if (a.startsWith("--add-opens=") || a.startsWith("--add-modules=") || a.startsWith("--add-exports=")
                    || a.startsWith("--enable-native-access") || a.startsWith("-Djdk.reflect.")
                    || a.startsWith("-Dio.netty.") || a.startsWith("-Xss")) {
                flags.add(a);
            }
        }
        return flags;
    }

    private void launch(Path log, List<String> jvmArgs, String mainClass, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmFlags());
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", classPath, mainClass));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        // The worker's launcher wants a Spark home with a jars/ folder; the jars themselves come from
        // SPARK_DIST_CLASSPATH, which is this JVM's class path (Spark, Auricle and its dependencies).
        Path home = Files.createDirectories(dir.resolve("spark-home").resolve("jars")).getParent();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_DIST_CLASSPATH", classPath);
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        processes.add(pb.start());
    }

    private static void awaitLine(Path log, String line, Process process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (text.contains(line)) return;
            if (!process.isAlive()) {
                throw new IllegalStateException(log + ": the process exited (" + process.exitValue() + "):\n" + tail(text));
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(log + ": no '" + line + "' within " + START_TIMEOUT + ":\n"
                + tail(Files.readString(log, StandardCharsets.UTF_8)));
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Workers (and their executors) first, then the master; politely, then by force. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : processes.reversed()) {
            // Collected before the worker goes: once it is dead its executors are no longer its descendants.
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy();
            children.forEach(ProcessHandle::destroy);
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle c : children) {
                try {
                    c.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    c.destroyForcibly();
                }
            }
        }
    }
}
