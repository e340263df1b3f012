package io.auricle.transcribe;

import static io.auricle.audio.AudioConstants.FRAMES_PER_SECOND;

import io.auricle.AuricleException;
import io.auricle.audio.AudioFile;
import io.auricle.audio.LogMel;
import io.auricle.model.Checkpoint;
import io.auricle.model.ComputeType;
import io.auricle.model.ModelRegistry;
import io.auricle.model.WhisperModel;
import io.auricle.tensor.Ops;
import io.auricle.tokenizer.Languages;
import io.auricle.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The library's front door: a model loaded once and shared by any number of threads (each call keeps its own
 * decoder caches), transcribing files or samples lazily.
 *
 * <pre>{@code
 * WhisperEngine whisper = WhisperEngine.load("tiny.en");
 * LazyTranscription t = whisper.transcribe(Path.of("jfk.wav"), TranscribeOptions.defaults().withWordTimestamps(true));
 * System.out.println(t.language() + ", " + t.duration() + " s");
 * t.segments().forEach(s -> System.out.printf("[%.2f -> %.2f]%s%n", s.start(), s.end(), s.text()));
 * }</pre>
 */
public final class WhisperEngine {
    /** openai's detect_language on the first window (io.auricle.decoding.LanguageDetector). */
    private static final LanguageDetector DETECT = (model, tokenizer, window) -> {
        var d = io.auricle.decoding.LanguageDetector.detect(model, tokenizer, model.embedAudio(window));
        return new LanguageDetector.Detected(d.language(), d.probability());
    };

    private final WhisperModel model;
    private final Tokenizer tokenizer;
    private final LanguageDetector detector;

    public WhisperEngine(WhisperModel model, Tokenizer tokenizer, LanguageDetector detector) {
        this.model = Objects.requireNonNull(model);
        this.tokenizer = Objects.requireNonNull(tokenizer);
        this.detector = detector == null ? DETECT : detector;
    }

    public WhisperEngine(WhisperModel model, Tokenizer tokenizer) {
        this(model, tokenizer, null);
    }

    /** Loads a model by name (tiny.en, base, ...: see ModelRegistry) or from a file or directory. */
    public static WhisperEngine load(String nameOrPath) {
        return load(nameOrPath, ComputeType.DEFAULT);
    }

    /** Loads a model, its decoder computing in {@code computeType} (weights converted once, here). */
    public static WhisperEngine load(String nameOrPath, ComputeType computeType) {
        Checkpoint checkpoint = ModelRegistry.load(nameOrPath);
        return new WhisperEngine(new WhisperModel(checkpoint, Ops.get(), computeType), Tokenizer.of(checkpoint));
    }

    public WhisperEngine withLanguageDetector(LanguageDetector languageDetector) {
        return new WhisperEngine(model, tokenizer, languageDetector);
    }

    public WhisperModel model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public boolean isMultilingual() {
        return model.dims().isMultilingual();
    }

    /** Decodes the file (any format FFmpeg reads) and transcribes it lazily. */
    public LazyTranscription transcribe(Path audio, TranscribeOptions options) {
        return transcribe(AudioFile.readAll(audio), options);
    }

    /** Transcribes 16 kHz mono samples lazily. */
    public LazyTranscription transcribe(float[] samples, TranscribeOptions options) {
        return transcribe(samples, options, ProgressListener.NONE, () -> false);
    }

    /**
     * Transcribes 16 kHz mono samples lazily: the spectrogram and the language now, the windows as the segments
     * are read. {@code progress} hears after each window; {@code cancelled} is asked before each window, and
     * once true the reading throws {@link java.util.concurrent.CancellationException}.
     */
    public LazyTranscription transcribe(float[] samples, TranscribeOptions options, ProgressListener progress,
                                        BooleanSupplier cancelled) {
        Objects.requireNonNull(options, "options");
        checkTask(options);
        float[][] mel = LogMel.padded(samples, model.dims().nMels(), threads());
        int contentFrames = LogMel.contentFrames(mel);
        String language = options.language() == null ? null : Languages.code(options.language());
        double probability = 1.0;
        if (!isMultilingual()) {
            language = "en";
        } else if (language == null) {
            LanguageDetector.Detected detected = detector.detect(model, tokenizer,
                    LogMel.window(mel, 0, Math.min(contentFrames, 3000)));
            language = detected.language();
            probability = detected.probability();
        }
        SeekLoop loop = new SeekLoop(model, tokenizer, mel, contentFrames, options, language);
        return new LazyTranscription(language, probability, (double) contentFrames / FRAMES_PER_SECOND, loop,
                progress == null ? ProgressListener.NONE : progress, cancelled == null ? () -> false : cancelled);
    }

    private void checkTask(TranscribeOptions options) {
        String task = options.decoding().task();
        if (!"transcribe".equals(task) && !"translate".equals(task)) {
            throw new AuricleException("unknown task '" + task + "' (choose transcribe or translate)");
        }
        if (isMultilingual()) {
            if (options.language() != null) tokenizer.languageToken(options.language()); // refuses unknown ones
            return;
        }
        if ("translate".equals(task)) throw new AuricleException("this model is English-only and cannot translate");
        String language = options.language();
        if (language != null && !language.equalsIgnoreCase("en") && !language.equalsIgnoreCase("english")) {
            throw new AuricleException("this model is English-only; language '" + language
                    + "' needs a multilingual model");
        }
    }

    private static int threads() {
        return Math.max(1, Integer.getInteger("auricle.threads", Runtime.getRuntime().availableProcessors()));
    }
}
