package io.auricle.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.AuricleException;
import io.auricle.transcribe.TranscribeOptions;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the executors need to transcribe, shipped with each task (TranscribeOptions is not Serializable): the
 * model as the user named it and the CLI's transcription flags. {@link #json()} is the row's {@code options}
 * column and, with the model, the key that tells a re-run which files are already done.
 *
 * @param model                    model name (tiny.en, base, ...) or a path that exists on every executor
 * @param task                     transcribe or translate
 * @param language                 language code, or null (English-only models: en)
 * @param temperature              the first try's temperature
 * @param temperatureIncrement     fallback step up to 1.0; NaN: no fallback
 * @param compressionRatioThreshold NaN: off
 * @param logprobThreshold         NaN: off
 * @param noSpeechThreshold        NaN: off
 * @param conditionOnPreviousText  prompt each window with the text so far
 * @param initialPrompt            or null
 * @param wordTimestamps           fill the words column
 * @param audioCtx                 encoder positions per window (0: all)
 * @param threads                  kernel threads per task; 0: spark.task.cpus
 */
public record TranscribeSettings(
        String model,
        String task,
        String language,
        double temperature,
        double temperatureIncrement,
        double compressionRatioThreshold,
        double logprobThreshold,
        double noSpeechThreshold,
        boolean conditionOnPreviousText,
        String initialPrompt,
        boolean wordTimestamps,
        int audioCtx,
        int threads) implements Serializable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public TranscribeSettings {
        if (model == null || model.isBlank()) throw new AuricleException("--model is required");
        if (!"transcribe".equals(task) && !"translate".equals(task)) {
            throw new AuricleException("--task must be transcribe or translate, got '" + task + "'");
        }
        if (!(temperature >= 0)) throw new AuricleException("--temperature must be >= 0, got " + temperature);
        if (!Double.isNaN(temperatureIncrement) && !(temperatureIncrement > 0)) {
            throw new AuricleException("--temperature_increment_on_fallback must be > 0 or None, got " + temperatureIncrement);
        }
        if (audioCtx < 0 || audioCtx > 1500) throw new AuricleException("--audio-ctx must be 0..1500, got " + audioCtx);
        if (threads < 0) throw new AuricleException("--threads must be >= 0, got " + threads);
    }

    /** The CLI's defaults for {@code model}. */
    public static TranscribeSettings defaults(String model) {
        return new TranscribeSettings(model, "transcribe", null, 0, 0.2, 2.4, -1.0, 0.6, true, null, false, 0, 0);
    }

    public TranscribeSettings withWordTimestamps(boolean words) {
        return new TranscribeSettings(model, task, language, temperature, temperatureIncrement,
                compressionRatioThreshold, logprobThreshold, noSpeechThreshold, conditionOnPreviousText,
                initialPrompt, words, audioCtx, threads);
    }

    public TranscribeSettings withThreads(int kernelThreads) {
        return new TranscribeSettings(model, task, language, temperature, temperatureIncrement,
                compressionRatioThreshold, logprobThreshold, noSpeechThreshold, conditionOnPreviousText,
                initialPrompt, wordTimestamps, audioCtx, kernelThreads);
    }

    /** The library's options, built as the CLI builds them from the same flags. */
    public TranscribeOptions options() {
        return TranscribeOptions.defaults()
                .withTemperatures(temperatures())
                .withThresholds(compressionRatioThreshold, logprobThreshold, noSpeechThreshold)
                .withConditionOnPreviousText(conditionOnPreviousText)
                .withAudioCtx(audioCtx)
                .withLanguage(language, task)
                .withInitialPrompt(initialPrompt)
                .withWordTimestamps(wordTimestamps);
    }

    /** openai's: the temperature, then up to 1.0 in steps of the increment (np.arange(t, 1.0 + 1e-6, inc)). */
    double[] temperatures() {
        if (Double.isNaN(temperatureIncrement)) return new double[] {temperature};
        int n = (int) Math.ceil((1.0 + 1e-6 - temperature) / temperatureIncrement);
        if (n <= 0) return new double[] {temperature};
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = temperature + i * temperatureIncrement;
        return t;
    }

    /** The transcription flags as a JSON object in a fixed order (None thresholds as null); threads left out. */
    public String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", task);
        m.put("language", language);
        m.put("temperature", temperature);
        m.put("temperature_increment_on_fallback", orNull(temperatureIncrement));
        m.put("compression_ratio_threshold", orNull(compressionRatioThreshold));
        m.put("logprob_threshold", orNull(logprobThreshold));
        m.put("no_speech_threshold", orNull(noSpeechThreshold));
        m.put("condition_on_previous_text", conditionOnPreviousText);
        m.put("initial_prompt", initialPrompt);
        m.put("word_timestamps", wordTimestamps);
        m.put("audio_ctx", audioCtx);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Double orNull(double d) {
        return Double.isNaN(d) ? null : d;
    }
}
