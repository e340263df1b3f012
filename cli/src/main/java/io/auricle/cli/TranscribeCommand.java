package io.auricle.cli;

import io.auricle.AuricleException;
import io.auricle.audio.AudioFile;
import io.auricle.model.Checkpoint;
import io.auricle.model.CheckpointLoader;
import io.auricle.model.WhisperModel;
import io.auricle.tokenizer.Tokenizer;
import io.auricle.transcribe.Segment;
import io.auricle.transcribe.TranscribeOptions;
import io.auricle.transcribe.Transcriber;
import io.auricle.transcribe.Transcription;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code auricle transcribe FILE}: prints timestamped segments, as openai-whisper's verbose output. */
@Command(name = "transcribe", mixinStandardHelpOptions = true,
        description = "Transcribe speech in an audio file; prints one line per segment: [start --> end]  text.")
final class TranscribeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "audio or video file (any format FFmpeg reads)")
    Path file;

    @Option(names = "--model", defaultValue = "tiny.en", paramLabel = "NAME|DIR",
            description = "model name in the cache (tools/fetch-models NAME) or a model directory (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--audio-ctx", defaultValue = "0", paramLabel = "N",
            description = "encoder positions per window, 1..1500 (0: all); fewer is faster on short audio")
    int audioCtx;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) throw new AuricleException(file + ": no such file");
        if (audioCtx < 0 || audioCtx > 1500) throw new AuricleException("--audio-ctx must be 0..1500, got " + audioCtx);
        Checkpoint checkpoint = CheckpointLoader.load(modelPath(model));
        WhisperModel whisper = new WhisperModel(checkpoint);
        float[] samples = AudioFile.readAll(file);
        Transcription result = new Transcriber(whisper, Tokenizer.of(checkpoint))
                .transcribe(samples, TranscribeOptions.defaults().withAudioCtx(audioCtx));
        PrintWriter out = spec.commandLine().getOut();
        for (Segment s : result.segments()) {
            out.printf("[%s --> %s] %s%n", timestamp(s.start()), timestamp(s.end()), s.text());
        }
        out.flush();
        return 0;
    }

    /** A directory as given, else a model name under the cache that tools/fetch-models fills. */
    static Path modelPath(String model) {
        Path given = Path.of(model);
        if (Files.exists(given)) return given;
        String cache = System.getenv("AURICLE_CACHE");
        Path root = cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "auricle");
        Path dir = root.resolve("models").resolve(model);
        if (!Files.isDirectory(dir)) {
            throw new AuricleException("model " + model + ": not found at " + dir + " (run tools/fetch-models " + model + ")");
        }
        return dir;
    }

    /** openai-whisper's format_timestamp: [hh:]mm:ss.mmm, hours only when there are some. */
    static String timestamp(double seconds) {
        long ms = Math.round(seconds * 1000);
        long hours = ms / 3_600_000, minutes = ms / 60_000 % 60, secs = ms / 1000 % 60;
        String h = hours > 0 ? String.format(Locale.ROOT, "%02d:", hours) : "";
        return h + String.format(Locale.ROOT, "%02d:%02d.%03d", minutes, secs, ms % 1000);
    }
}
