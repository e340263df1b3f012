package io.auricle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real standalone cluster on loopback: a Master and two Workers, each its own JVM, whose executors
 * are JVMs of their own; this test's JVM is the driver. Slow (minutes on the shared machine: three JVMs start,
 * two executors load the model), so tagged: run with {@code bin/test -Pslow} or
 * {@code mvn -pl spark -am test -Dtest=StandaloneClusterTest -Pslow -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class StandaloneClusterTest {
    static final Path SPEECH = Path.of(System.getProperty("auricle.speech.dir"));
    static final List<String> GOOD = List.of("jfk/jfk.wav", "jfk/jfk.flac", "jfk/jfk.mp3", "jfk/jfk_8k.wav");
    static final List<String> CORRUPT = List.of("edge_cases/corrupt_random_bytes.wav", "edge_cases/corrupt_empty.wav");

    @Test
    void masterAndTwoWorkersGiveTheCliTextAndErrorRows(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        List<String> good = new ArrayList<>(), bad = new ArrayList<>();
        for (String f : GOOD) good.add(copy(f, in));
        for (String f : CORRUPT) bad.add(copy(f, in));
        String out = tmp.resolve("out").toString();

        Map<String, Row> byPath = new TreeMap<>();
        Set<String> executorsWithTasks = ConcurrentHashMap.newKeySet();
        try (LoopbackCluster cluster = LoopbackCluster.start(tmp.resolve("cluster"), 2, "1g")) {
            SparkSession spark = SparkSession.builder().master(cluster.masterUrl()).appName("auricle-cluster-test")
                    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.executor.memory", "768m").config("spark.executor.cores", "1")
                    .config("spark.cores.max", "2")
                    .config("spark.executor.extraJavaOptions", String.join(" ", LoopbackCluster.jvmFlags()))
                    // Both executors up before the first task, so the work is spread over the two workers.
                    .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                    .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "300s")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            try {
                spark.sparkContext().addSparkListener(new SparkListener() {
                    @Override
                    public void onTaskEnd(SparkListenerTaskEnd end) {
                        executorsWithTasks.add(end.taskInfo().executorId());
                    }
                });
                assertEquals(0, TranscribeJob.run("--input", in.toString(), "--output", out, "--model", "tiny.en"));
                for (Row r : spark.read().parquet(out).collectAsList()) {
                    assertNull(byPath.put(r.getAs("path"), r), "one row per file");
                }
            } finally {
                spark.stop(); // also drains the listener bus
            }
            assertEquals(Set.of("0", "1"), executorsWithTasks, "tasks ran on both workers' executors");
            for (Path worker : cluster.workerDirs()) {
                try (Stream<Path> apps = Files.list(worker)) {
                    Path app = apps.filter(p -> p.getFileName().toString().startsWith("app-")).findFirst().orElseThrow();
                    try (Stream<Path> executors = Files.list(app)) {
                        assertTrue(executors.anyMatch(e -> Files.exists(e.resolve("stderr"))), worker.toString());
                    }
                }
            }
        }
        assertEquals(good.size() + bad.size(), byPath.size());

        // The CLI on the same files, after the cluster is gone (its JVMs would compete for the two cores).
        Path cliOut = Files.createDirectories(tmp.resolve("cli"));
        List<String> cliArgs = new ArrayList<>(List.of("transcribe", "--model", "tiny.en", "-f", "json", "-o",
                cliOut.toString(), "--verbose", "False"));
        cliArgs.addAll(good);
        cliArgs.addAll(bad);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, cli(err, cliArgs.toArray(String[]::new)), "the CLI exits 2 when a file fails");
        List<String> cliErrors = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("auricle: ")).toList();

        ObjectMapper json = new ObjectMapper();
        for (String path : good) {
            Row row = byPath.get(path);
            assertNotNull(row, path);
            assertNull(row.getAs("error"), path);
            String name = Path.of(path).getFileName().toString();
            String expected = json.readTree(cliOut.resolve(name.substring(0, name.lastIndexOf('.')) + ".json").toFile())
                    .get("text").asText();
            assertEquals(expected, row.getAs("text"), path);
        }
        assertEquals(" And so my fellow Americans ask not what your country can do for you ask what you can do for"
                + " your country", byPath.get(good.getFirst()).getAs("text"));
        for (String path : bad) {
            Row row = byPath.get(path);
            assertNotNull(row, path);
            assertNull(row.getAs("text"), path);
            assertTrue(cliErrors.contains("auricle: " + row.getAs("error")),
                    "the error row is the CLI's line: " + row.getAs("error") + " vs " + cliErrors);
        }
        assertEquals(in.resolve("corrupt_empty_wav.wav") + ": the file is empty (0 bytes)",
                byPath.get(in.resolve("corrupt_empty_wav.wav").toString()).getAs("error"));
    }

    /** Copied as e.g. jfk_mp3.mp3: the CLI names its outputs after the file's stem, which must differ. */
    private static String copy(String file, Path dir) throws IOException {
        String name = Path.of(file).getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path target = dir.resolve(name.substring(0, dot) + "_" + name.substring(dot + 1) + name.substring(dot));
        Files.copy(SPEECH.resolve(file), target);
        return target.toString();
    }

    private static int cli(ByteArrayOutputStream err, String... args) {
        PrintStream out = System.out, oldErr = System.err;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return Main.run(args);
        } finally {
            System.setOut(out);
            System.setErr(oldErr);
        }
    }
}
