package io.auricle.server;

import io.auricle.AuricleException;
import io.auricle.audio.AudioFile;
import io.auricle.transcribe.Segment;
import io.auricle.transcribe.TranscribeOptions;
import io.auricle.transcribe.LazyTranscription;
import io.auricle.transcribe.ProgressListener;
import io.auricle.transcribe.Transcription;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The server's one door into the engine: decode an uploaded file, then transcribe it, handing segments on as
 * they are decoded and stopping when the client has gone, over core's {@link io.auricle.transcribe.WhisperEngine}.
 */
final class SpeechPipeline {
    private SpeechPipeline() {}

    /** A decoded upload: 16 kHz mono samples, in the array they were read into (not copied to trim it). */
    record Audio(AudioFile.Decoded decoded) {
        double seconds() {
            return decoded.length() / 16000.0;
        }
    }

    /**
     * Decodes {@code file}; a bad file becomes a 400 whose message names {@code shownName}, the client's own
     * name for it, never the temporary path on this server.
     */
    static Audio decode(Path file, String shownName) {
        try {
            return new Audio(AudioFile.readAllUntrimmed(file, warning -> { }));
        } catch (AuricleException e) {
            String message = e.getMessage().replace(file.toString(), shownName);
            throw ApiError.invalid("file", "invalid_file", message);
        }
    }

    /** Refuses what the model cannot do, before any work is queued. */
    static void check(LoadedModel m, JobOptions options) {
        if (m.multilingual()) return; // without a language, the engine detects it on the first window
        if (options.task().equals("translate")) {
            throw ApiError.invalid("model", "model '" + m.name() + "' is English-only and cannot translate");
        }
        if (options.language() != null && !options.language().equals("en")) {
            throw ApiError.invalid("language", "model '" + m.name() + "' is English-only; language '"
                    + options.language() + "' needs a multilingual model");
        }
    }

    /**
     * Transcribes {@code audio} through core's lazy facade; {@code onSegment} sees each segment as soon as its
     * window is decoded. Throws {@link CancellationException} (checked before each window) once
     * {@code cancelled} says the client is gone.
     */
    static Transcription transcribe(LoadedModel m, Audio audio, JobOptions options, Consumer<Segment> onSegment,
                                    BooleanSupplier cancelled) {
        check(m, options);
        if (cancelled.getAsBoolean()) throw new CancellationException();
        TranscribeOptions transcribe = TranscribeOptions.defaults()
                .withLanguage(options.language(), options.task())
                .withInitialPrompt(options.prompt())
                .withWordTimestamps(options.wordTimestamps())
                .withVadFilter(options.vadFilter())
                .withBatchSize(options.batchSize());
        if (options.temperature() > 0) transcribe = transcribe.withTemperatures(options.temperature());
        if (transcribe.vadFilter() || transcribe.batchSize() > 1) requireVad(m);
        LazyTranscription lazy;
        try {
            // The engine applies vad_filter / batch_size itself; segments come back on the upload's own timeline.
            lazy = m.engine().transcribe(audio.decoded(), transcribe, ProgressListener.NONE, cancelled);
        } catch (AuricleException e) {
            throw ApiError.invalid(null, e.getMessage());
        }
        List<Segment> segments = new ArrayList<>();
        for (Segment s : lazy) {
            segments.add(s);
            onSegment.accept(s);
        }
        return new Transcription(lazy.language(), lazy.languageProbability(), lazy.duration(), segments);
    }

    /** The engine's VAD (loaded once, then shared); a missing model is 501, not the client's 400. */
    private static void requireVad(LoadedModel m) {
        try {
            m.engine().vad();
        } catch (AuricleException e) {
            throw new ApiError(501, "server_error", "vad_filter", "vad_unavailable",
                    "vad_filter is not available on this server: the VAD model is missing (tools/fetch-vad-model)");
        }
    }
}
