package io.auricle.spark;

import io.auricle.AuricleException;
import io.auricle.audio.AudioFile;
import io.auricle.spark.DurationPlanner.AudioTask;
import io.auricle.transcribe.TranscribeFlags;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spark-submit --class io.auricle.spark.TranscribeJob auricle-spark.jar --input ... --output DIR --model M}:
 * transcribes every input file into one row of Parquet (or JSON lines) under DIR. Files already in DIR with the
 * same model and options are skipped, so a killed job resumes; the rows are appended in commits of a few
 * partitions each, so a kill loses at most the commit under way.
 */
@Command(name = "TranscribeJob", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Batch transcription on Apache Spark; the transcription flags are the auricle CLI's.")
public final class TranscribeJob implements Callable<Integer> {

    @Option(names = "--input", required = true, split = ",", paramLabel = "PATH|GLOB|table:NAME",
            description = "files, directories (read recursively), globs, or table:NAME (a table with a path column)")
    List<String> inputs;

    @Option(names = "--path-column", defaultValue = "path", description = "the paths' column of a table input")
    String pathColumn;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "the output directory")
    String output;

    @Option(names = "--format", defaultValue = "parquet", description = "parquet or jsonl (default: parquet)")
    String format;

    @Option(names = "--partition-minutes", defaultValue = "30",
            description = "most audio per partition, in minutes (default: 30)")
    double partitionMinutes;

    @Option(names = "--commit-partitions", defaultValue = "0",
            description = "partitions per output commit (0: four per task slot)")
    int commitPartitions;

    @Option(names = "--model", required = true, paramLabel = "NAME|PATH",
            description = "model name (tiny.en, base, ...) or a model path present on every executor")
    String model;

    /** The transcription flags, the same as {@code auricle transcribe}'s. */
    @Mixin
    TranscribeFlags flags = new TranscribeFlags();

    @Option(names = "--threads", defaultValue = "0",
            description = "kernel threads per task (0: spark.task.cpus, which defaults to 1)")
    int threads;

    /** What {@link #run} did: for the log line and the tests. */
    public record Summary(int files, int skipped, int partitions, double audioSeconds) {}

    private Summary summary;

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) System.exit(code);
    }

    /** Runs the job in the active (or a new) Spark session; 0 done, 2 bad arguments. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new TranscribeJob());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (!(e instanceof AuricleException)) throw e;
            cmd.getErr().println("auricle: " + e.getMessage());
            return 2;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        TranscribeSettings settings = settings();
        if (!format.equals("parquet") && !format.equals("jsonl")) {
            throw new AuricleException("--format must be parquet or jsonl, got '" + format + "'");
        }
        if (!(partitionMinutes > 0)) throw new AuricleException("--partition-minutes must be > 0");
        SparkSession spark = SparkSession.builder().appName("auricle-transcribe").getOrCreate();
        summary = run(spark, settings);
        System.err.printf(Locale.ROOT, "auricle: %d files (%.1f h of audio) in %d partitions; %d already done%n",
                summary.files(), summary.audioSeconds() / 3600, summary.partitions(), summary.skipped());
        return 0;
    }

    Summary run(SparkSession spark, TranscribeSettings settings) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<AudioTask> listed = list(spark);
        Set<String> done = done(spark, settings);
        List<AudioTask> todo = new ArrayList<>();
        for (AudioTask t : listed) if (!done.contains(t.path())) todo.add(t);
        if (todo.isEmpty()) return new Summary(listed.size(), listed.size(), 0, 0);

        int slots = jsc.defaultParallelism();
        List<AudioTask> probed = jsc.parallelize(todo, Math.min(todo.size(), slots)).map(TranscribeJob::probe).collect();
        List<List<AudioTask>> plan = DurationPlanner.plan(probed, 2 * slots, partitionMinutes * 60);
        int perCommit = commitPartitions > 0 ? commitPartitions : 4 * slots;
        for (int from = 0; from < plan.size(); from += perCommit) {
            List<List<AudioTask>> commit = plan.subList(from, Math.min(plan.size(), from + perCommit));
            JavaRDD<Row> rows = jsc.parallelize(new ArrayList<>(commit), commit.size())
                    .flatMap(bin -> bin.stream().map(t -> row(settings, t)).iterator());
            Dataset<Row> frame = spark.createDataFrame(rows, TranscriptionRows.JOB);
            if (format.equals("parquet")) frame.write().mode(SaveMode.Append).parquet(output);
            else frame.write().mode(SaveMode.Append).json(output);
        }
        double seconds = probed.stream().mapToDouble(AudioTask::weight).sum();
        return new Summary(listed.size(), listed.size() - todo.size(), plan.size(), seconds);
    }

    private static Row row(TranscribeSettings settings, AudioTask t) {
        Object[] columns = TranscriptionRows.transcribe(settings, t.path(), null, t.duration());
        Object[] values = new Object[columns.length + 2];
        values[0] = t.path();
        values[1] = t.size();
        System.arraycopy(columns, 0, values, 2, columns.length);
        return RowFactory.create(values);
    }

    /** The declared duration of a local file; NaN for others and for files that cannot be probed. */
    static AudioTask probe(AudioTask t) {
        try {
            URI uri = URI.create(t.path().replace(" ", "%20"));
            if (uri.getScheme() != null && !uri.getScheme().equals("file")) return t;
            Path local = uri.getScheme() == null ? Path.of(t.path()) : Path.of(uri);
            return new AudioTask(t.path(), t.size(), AudioFile.probe(local).durationSeconds());
        } catch (RuntimeException e) {
            return t; // the transcription will report it on the file's row
        }
    }

    /** Every input file once, in input order: files, directories (recursively), globs, tables. */
    private List<AudioTask> list(SparkSession spark) throws IOException {
        org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<AudioTask> files = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String input : inputs) {
            if (input.startsWith("table:")) {
                for (Row r : spark.table(input.substring(6)).select(pathColumn).collectAsList()) {
                    if (!r.isNullAt(0) && seen.add(r.getString(0))) files.add(new AudioTask(r.getString(0), -1, Double.NaN));
                }
                continue;
            }
            org.apache.hadoop.fs.Path pattern = new org.apache.hadoop.fs.Path(input);
            FileSystem fs = pattern.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(pattern);
            if (matches == null || matches.length == 0) {
                // A missing file still gets its row, with the error that says so.
                if (seen.add(input)) files.add(new AudioTask(input, -1, Double.NaN));
                continue;
            }
            for (FileStatus m : matches) {
                if (m.isDirectory()) {
                    List<LocatedFileStatus> inside = new ArrayList<>();
                    for (RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true); it.hasNext(); ) inside.add(it.next());
                    inside.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
                    for (LocatedFileStatus f : inside) add(files, seen, f, input);
                } else {
                    add(files, seen, m, input);
                }
            }
        }
        return files;
    }

    /** Keeps the user's spelling for local paths (the rows then match the CLI's file names). */
    private static void add(List<AudioTask> files, Set<String> seen, FileStatus f, String input) {
        String path = f.getPath().toUri().getScheme() != null && f.getPath().toUri().getScheme().equals("file")
                && !input.contains(":") ? f.getPath().toUri().getPath() : f.getPath().toString();
        if (seen.add(path)) files.add(new AudioTask(path, f.getLen(), Double.NaN));
    }

    /** Paths already in the output with this model and these options (error rows included). */
    private Set<String> done(SparkSession spark, TranscribeSettings settings) throws IOException {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(output);
        FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(dir)) return Set.of();
        Dataset<Row> existing = format.equals("parquet")
                ? spark.read().schema(TranscriptionRows.JOB).parquet(output)
                : spark.read().schema(TranscriptionRows.JOB).json(output);
        Set<String> done = new HashSet<>();
        for (Row r : existing.where(functions.col("model").equalTo(settings.model())
                        .and(functions.col("options").equalTo(settings.json())))
                .select("path").distinct().collectAsList()) {
            done.add(r.getString(0));
        }
        return done;
    }

    TranscribeSettings settings() {
        flags.options(); // a bad value is one line here, not an error row per file
        return new TranscribeSettings(model, flags, threads);
    }

    Summary summary() {
        return summary;
    }
}
