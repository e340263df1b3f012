package io.auricle.cli;

import io.auricle.AuricleException;
import io.auricle.HeapTrim;
import io.auricle.output.ResultWriter;
import io.auricle.output.WriterOptions;
import io.auricle.transcribe.LazyTranscription;
import io.auricle.transcribe.Segment;
import io.auricle.transcribe.TranscribeFlags;
import io.auricle.transcribe.TranscribeOptions;
import io.auricle.transcribe.Transcription;
import io.auricle.transcribe.WhisperEngine;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code auricle transcribe FILE...}: openai-whisper's command line. Each file is transcribed with the model
 * loaded once; its segments are printed as they come (openai's verbose output) and written in the chosen
 * formats. A file that fails prints one line and the run goes on; the exit code is then 2.
 */
@Command(name = "transcribe", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Transcribe speech in audio or video files, with openai-whisper's options.")
final class TranscribeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "audio or video files (any format FFmpeg reads)")
    List<Path> files;

    @Option(names = "--model", defaultValue = "tiny.en", paramLabel = "NAME|PATH",
            description = "model name (tiny.en, base, small, ...) or a model file or directory (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = {"--output_dir", "-o"}, defaultValue = ".", description = "directory for the outputs (default: .)")
    Path outputDir;

    @Option(names = {"--output_format", "-f"}, defaultValue = "all",
            description = "txt, vtt, srt, tsv, json or all (default: ${DEFAULT-VALUE})")
    String outputFormat;

    @Option(names = "--verbose", arity = "1", defaultValue = "True", converter = TranscribeFlags.Bool.class,
            paramLabel = "BOOL", description = "print each segment as it is transcribed (default: True)")
    boolean verbose;

    /** The transcription flags, shared with the Spark job so they mean the same in both. */
    @Mixin
    TranscribeFlags flags = new TranscribeFlags();

    @Option(names = "--highlight_words", arity = "1", defaultValue = "False", converter = TranscribeFlags.Bool.class,
            paramLabel = "BOOL", description = "(needs --word_timestamps True) underline each word in srt and vtt")
    boolean highlightWords;

    @Option(names = "--max_line_width", converter = TranscribeFlags.OptionalInt.class,
            description = "(needs --word_timestamps True) most characters on a subtitle line")
    Integer maxLineWidth;

    @Option(names = "--max_line_count", converter = TranscribeFlags.OptionalInt.class,
            description = "(needs --word_timestamps True) most lines in a subtitle")
    Integer maxLineCount;

    @Option(names = "--max_words_per_line", converter = TranscribeFlags.OptionalInt.class,
            description = "(needs --word_timestamps True, no effect with --max_line_width) most words on a line")
    Integer maxWordsPerLine;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (0: all)")
    int threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TranscribeOptions options = options();
        WriterOptions writerOptions = writerOptions();
        List<ResultWriter> writers = ResultWriter.forFormat(outputFormat);
        if (threads < 0) throw new AuricleException("--threads must be >= 0, got " + threads);
        if (threads > 0) System.setProperty("auricle.threads", Integer.toString(threads));
        io.auricle.audio.AudioFile.preloadDecoders(files); // FFmpeg's libraries load while the model does
        WhisperEngine engine = WhisperEngine.load(model, flags.computeType());

        PrintWriter out = spec.commandLine().getOut();
        PrintStream err = System.err;
        boolean bar = ProgressBar.isTerminal();
        int exit = 0;
        for (Path file : files) {
            if (file != files.get(0)) HeapTrim.collectIfGrown(); // the last file's arrays, before the next one's
            try {
                if (!Files.exists(file)) throw new AuricleException(file + ": no such file");
                ProgressBar progress = new ProgressBar(err, bar, file.getFileName().toString());
                // The engine reads the file and applies --vad_filter / --batch_size itself; times come back on the
                // file's timeline.
                LazyTranscription run = engine.transcribe(file, options,
                        progress::update, () -> Thread.currentThread().isInterrupted());
                List<Segment> segments = new ArrayList<>();
                for (Iterator<Segment> it = run.iterator(); it.hasNext(); ) {
                    Segment s = it.next();
                    segments.add(s);
                    if (verbose) {
                        progress.clear();
                        out.printf("[%s --> %s] %s%n", timestamp(s.start()), timestamp(s.end()), s.text());
                        out.flush();
                    }
                }
                progress.clear();
                Transcription result = run.toTranscription();
                for (ResultWriter w : writers) w.write(result, file, outputDir, writerOptions);
            } catch (AuricleException e) {
                err.println("auricle: " + e.getMessage());
                exit = Math.max(exit, e.exitCode());
            }
        }
        out.flush();
        return exit;
    }

    /** The reference's options from the flags; a bad value is one line. */
    TranscribeOptions options() {
        return flags.options();
    }

    WriterOptions writerOptions() {
        if (!flags.wordTimestamps()) {
            if (highlightWords) throw new AuricleException("--highlight_words requires --word_timestamps True");
            if (maxLineWidth != null) throw new AuricleException("--max_line_width requires --word_timestamps True");
            if (maxLineCount != null) throw new AuricleException("--max_line_count requires --word_timestamps True");
            if (maxWordsPerLine != null) throw new AuricleException("--max_words_per_line requires --word_timestamps True");
        }
        if (maxLineCount != null && maxLineWidth == null) {
            System.err.println("auricle: warning: --max_line_count has no effect without --max_line_width");
        }
        if (maxWordsPerLine != null && maxLineWidth != null) {
            System.err.println("auricle: warning: --max_words_per_line has no effect with --max_line_width");
        }
        return new WriterOptions(orZero(maxLineWidth), orZero(maxLineCount), highlightWords, orZero(maxWordsPerLine));
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    /** openai-whisper's format_timestamp: [hh:]mm:ss.mmm, hours only when there are some. */
    static String timestamp(double seconds) {
        long ms = Math.round(seconds * 1000);
        long hours = ms / 3_600_000, minutes = ms / 60_000 % 60, secs = ms / 1000 % 60;
        String h = hours > 0 ? String.format(Locale.ROOT, "%02d:", hours) : "";
        return h + String.format(Locale.ROOT, "%02d:%02d.%03d", minutes, secs, ms % 1000);
    }
}
