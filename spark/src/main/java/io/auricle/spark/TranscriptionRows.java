package io.auricle.spark;

import io.auricle.AuricleException;
import io.auricle.transcribe.ProgressListener;
import io.auricle.transcribe.Segment;
import io.auricle.transcribe.TranscribeOptions;
import io.auricle.transcribe.Transcription;
import io.auricle.transcribe.WhisperEngine;
import io.auricle.transcribe.Word;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The transcription columns and how one file becomes one row of them, on an executor. */
public final class TranscriptionRows {
    public static final StructType SEGMENT = new StructType()
            .add("start", DataTypes.DoubleType, false)
            .add("end", DataTypes.DoubleType, false)
            .add("text", DataTypes.StringType, false)
            .add("avg_logprob", DataTypes.DoubleType, false)
            .add("no_speech_prob", DataTypes.DoubleType, false);
    public static final StructType WORD = new StructType()
            .add("start", DataTypes.DoubleType, false)
            .add("end", DataTypes.DoubleType, false)
            .add("word", DataTypes.StringType, false)
            .add("probability", DataTypes.DoubleType, false);

    /** Added to the input's columns by {@link Transcribe#withTranscription}; the job's rows start with path, size. */
    public static final StructType COLUMNS = new StructType()
            .add("duration", DataTypes.DoubleType, true)
            .add("language", DataTypes.StringType, true)
            .add("language_probability", DataTypes.DoubleType, true)
            .add("text", DataTypes.StringType, true)
            .add("segments", DataTypes.createArrayType(SEGMENT, false), true)
            .add("words", DataTypes.createArrayType(WORD, false), true)
            .add("model", DataTypes.StringType, false)
            .add("options", DataTypes.StringType, false)
            .add("error", DataTypes.StringType, true);

    /** The job's output: one row per file. */
    public static final StructType JOB = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("size", DataTypes.LongType, true)
            .merge(COLUMNS, false);

    private TranscriptionRows() {}

    /**
     * Transcribes one file (a local path or any Hadoop file system URI) or its bytes into the
     * {@link #COLUMNS} values. Any failure of this file becomes its error text; the task goes on.
     */
    static Object[] transcribe(TranscribeSettings settings, String path, byte[] bytes, double probedDuration) {
        Path local = null;
        boolean temporary = false;
        try {
            if (bytes != null) {
                local = Files.createTempFile("auricle-", suffix(path));
                temporary = true;
                Files.write(local, bytes);
            } else {
                URI uri = URI.create(path.replace(" ", "%20"));
                if (uri.getScheme() == null || uri.getScheme().equals("file")) {
                    local = uri.getScheme() == null ? Path.of(path) : Path.of(uri);
                } else {
                    local = copyToLocal(path);
                    temporary = true;
                }
            }
            WhisperEngine engine = ExecutorEngine.get(settings.model(), kernelThreads(settings), settings.flags().computeType());
            // As the CLI does, from the file: a long one streams into its spectrogram instead of being held whole;
            // the engine applies vad_filter / batch_size, times come back on the file's timeline.
            Transcription t = engine.transcribe(local, settings.options(), ProgressListener.NONE, () -> false)
                    .toTranscription();
            return values(settings, t, null, t.duration());
        } catch (AuricleException e) {
            String message = temporary ? e.getMessage().replace(local.toString(), String.valueOf(path)) : e.getMessage();
            return values(settings, null, message, probedDuration);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            return values(settings, null, path + ": " + e, probedDuration);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            // Never fail the job for one file: the row says what went wrong.
            return values(settings, null, path + ": internal error: " + e, probedDuration);
        } finally {
            if (temporary && local != null) {
                try {
                    Files.deleteIfExists(local);
                } catch (IOException ignored) {
                    // A leftover temporary file is not worth failing the row for.
                }
            }
        }
    }

    /** The columns of an input that could not be read at all. */
    static Object[] failed(TranscribeSettings settings, String error) {
        return values(settings, null, error, Double.NaN);
    }

    private static Object[] values(TranscribeSettings settings, Transcription t, String error, double duration) {
        Double d = Double.isNaN(duration) ? null : duration;
        if (t == null) return new Object[] {d, null, null, null, null, null, settings.model(), settings.json(), error};
        List<Row> segments = new ArrayList<>(), words = new ArrayList<>();
        for (Segment s : t.segments()) {
            segments.add(RowFactory.create(s.start(), s.end(), s.text(), s.avgLogprob(), s.noSpeechProb()));
            for (Word w : s.words()) words.add(RowFactory.create(w.start(), w.end(), w.word(), w.probability()));
        }
        // Spark's external type for arrays is a Java array (or a Scala Seq), not a java.util.List.
        return new Object[] {d, t.language(), t.languageProbability(), t.text(), segments.toArray(Row[]::new),
                words.toArray(Row[]::new), settings.model(),
                settings.json(), null};
    }

    /** Kernel threads per task: as asked, else the CPUs Spark gives each task (spark.task.cpus, default 1). */
    static int kernelThreads(TranscribeSettings settings) {
        if (settings.threads() > 0) return settings.threads();
        TaskContext task = TaskContext.get();
        return task == null ? 1 : Math.max(1, task.cpus());
    }

    private static Path copyToLocal(String path) throws IOException {
        org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(path);
        FileSystem fs = source.getFileSystem(new Configuration());
        Path local = Files.createTempFile("auricle-", suffix(path));
        try (InputStream in = fs.open(source)) {
            Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
        }
        return local;
    }

    /** The extension, which FFmpeg may use as a hint. */
    private static String suffix(String path) {
        if (path == null) return ".audio";
        int slash = path.lastIndexOf('/'), dot = path.lastIndexOf('.');
        return dot > slash ? path.substring(dot) : ".audio";
    }
}
