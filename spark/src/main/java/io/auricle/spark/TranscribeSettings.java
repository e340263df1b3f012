package io.auricle.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.AuricleException;
import io.auricle.transcribe.TranscribeFlags;
import io.auricle.transcribe.TranscribeOptions;
import java.io.Serializable;

/**
 * What the executors need to transcribe, shipped with each task: the model as the user named it and the
 * transcription flags, parsed by the same {@link TranscribeFlags} as {@code auricle transcribe}'s, so a flag
 * means the same in the job as in the CLI. {@link #json()} is the row's {@code options} column and, with the
 * model, the key that tells a re-run which files are already done.
 *
 * @param model   model name (tiny.en, base, ...) or a path that exists on every executor
 * @param flags   the CLI's transcription flags
 * @param threads kernel threads per task; 0: spark.task.cpus
 */
public record TranscribeSettings(String model, TranscribeFlags flags, int threads) implements Serializable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public TranscribeSettings {
        if (model == null || model.isBlank()) throw new AuricleException("--model is required");
        if (flags == null) flags = TranscribeFlags.parse();
        if (threads < 0) throw new AuricleException("--threads must be >= 0, got " + threads);
    }

    /** {@code model} with the CLI's transcription flags, e.g. {@code of("tiny.en", "--word_timestamps", "True")}. */
    public static TranscribeSettings of(String model, String... flags) {
        return new TranscribeSettings(model, TranscribeFlags.parse(flags), 0);
    }

    /** The CLI's defaults for {@code model}. */
    public static TranscribeSettings defaults(String model) {
        return of(model);
    }

    public TranscribeSettings withThreads(int kernelThreads) {
        return new TranscribeSettings(model, flags, kernelThreads);
    }

    /** The library's options, as the CLI builds them from the same flags. */
    public TranscribeOptions options() {
        return flags.options();
    }

    /** Every transcription flag by name, as a JSON object in declaration order (None as null); threads left out. */
    public String json() {
        try {
            return JSON.writeValueAsString(flags.values());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
