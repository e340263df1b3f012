package io.auricle.server;

import io.auricle.AuricleException;
import io.auricle.audio.AudioFile;
import io.auricle.audio.LogMel;
import io.auricle.transcribe.Segment;
import io.auricle.transcribe.TranscribeOptions;
import io.auricle.transcribe.Transcriber;
import io.auricle.transcribe.Transcription;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The server's one door into the engine: decode an uploaded file, then transcribe it, handing segments on as
 * they are ready and stopping when the client has gone. Adapts the core pieces that exist (decode, log-mel,
 * the window loop) until core has its library facade; the rest of the server does not know the difference.
 */
final class SpeechPipeline {
    private SpeechPipeline() {}

    /** A decoded upload: 16 kHz mono samples. */
    record Audio(float[] samples) {
        double seconds() {
            return samples.length / 16000.0;
        }
    }

    /**
     * Decodes {@code file}; a bad file becomes a 400 whose message names {@code shownName}, the client's own
     * name for it, never the temporary path on this server.
     */
    static Audio decode(Path file, String shownName) {
        try {
            return new Audio(AudioFile.readAll(file, warning -> { }));
        } catch (AuricleException e) {
            String message = e.getMessage().replace(file.toString(), shownName);
            throw ApiError.invalid("file", "invalid_file", message);
        }
    }

    /** Refuses what the model cannot do, before any work is queued. */
    static void check(LoadedModel m, JobOptions options) {
        if (m.multilingual()) {
            throw ApiError.invalid("model", "model '" + m.name() + "' is multilingual; this build transcribes with"
                    + " English-only models so far");
        }
        if (options.task().equals("translate")) {
            throw ApiError.invalid("model", "model '" + m.name() + "' is English-only and cannot translate");
        }
        if (options.language() != null && !options.language().equals("en")) {
            throw ApiError.invalid("language", "model '" + m.name() + "' is English-only; language '"
                    + options.language() + "' needs a multilingual model");
        }
    }

    /**
     * Transcribes {@code audio}; {@code onSegment} sees each segment once it is final. Throws
     * {@link CancellationException} once {@code cancelled} says the client is gone.
     */
    static Transcription transcribe(LoadedModel m, Audio audio, JobOptions options, Consumer<Segment> onSegment,
                                    BooleanSupplier cancelled) {
        check(m, options);
        if (cancelled.getAsBoolean()) throw new CancellationException();
        TranscribeOptions transcribe = TranscribeOptions.defaults();
        if (options.temperature() > 0) transcribe = transcribe.withTemperatures(options.temperature());
        Transcription result = new Transcriber(m.model(), m.tokenizer()).transcribe(audio.samples(), transcribe);
        for (Segment s : result.segments()) {
            if (cancelled.getAsBoolean()) throw new CancellationException();
            onSegment.accept(s);
        }
        return result;
    }
}
