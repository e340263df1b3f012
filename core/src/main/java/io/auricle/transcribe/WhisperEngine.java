package io.auricle.transcribe;

import static io.auricle.audio.AudioConstants.CHUNK_LENGTH;
import static io.auricle.audio.AudioConstants.FRAMES_PER_SECOND;
import static io.auricle.audio.AudioConstants.HOP_LENGTH;
import static io.auricle.audio.AudioConstants.N_FRAMES;

import io.auricle.AuricleException;
import io.auricle.audio.AudioFile;
import io.auricle.audio.AudioStream;
import io.auricle.audio.LogMel;
import io.auricle.audio.LogMelStream;
import io.auricle.model.Checkpoint;
import io.auricle.model.ComputeType;
import io.auricle.model.ModelRegistry;
import io.auricle.model.WhisperModel;
import io.auricle.tensor.Ops;
import io.auricle.tokenizer.Languages;
import io.auricle.tokenizer.Tokenizer;
import io.auricle.vad.SileroVad;
import io.auricle.vad.VadFilter;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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
    private final WhisperModel model;
    private final Tokenizer tokenizer;
    /** A caller's detector, or null for openai's detect_language on the first window ({@link #language}). */
    private final LanguageDetector detector;
    private volatile SileroVad vad;
    /** A finished transcription's window arrays, for the next one to take (a concurrent one makes its own). */
    private final AtomicReference<WindowBuffers> spareBuffers = new AtomicReference<>();

    public WhisperEngine(WhisperModel model, Tokenizer tokenizer, LanguageDetector detector) {
        this.model = Objects.requireNonNull(model);
        this.tokenizer = Objects.requireNonNull(tokenizer);
        this.detector = detector;
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
        return transcribe(audio, options, ProgressListener.NONE, () -> false);
    }

    /**
     * As {@link #transcribe(float[], TranscribeOptions, ProgressListener, BooleanSupplier)} on the file's samples.
     * The window-by-window path streams the file into the spectrogram and never holds all its samples (a 21-minute
     * file's are 81 MB, its spectrogram 41 MB); the VAD and batched paths read them whole, as they need them, in
     * the array they were read into (not copied again to trim it).
     */
    public LazyTranscription transcribe(Path audio, TranscribeOptions options, ProgressListener progress,
                                        BooleanSupplier cancelled) {
        Objects.requireNonNull(options, "options");
        if (options.batchSize() > 1 || options.vadFilter()) {
            return transcribe(AudioFile.readAllUntrimmed(audio), options, progress, cancelled);
        }
        checkTask(options);
        LogMelStream.Spectrogram mel;
        try (AudioStream in = AudioFile.open(audio)) {
            double declared = in.info().durationSeconds();
            // Up to one window the samples are small, and language detection reads them: take them whole, once.
            if (declared <= CHUNK_LENGTH) {
                return transcribe(AudioFile.readRemaining(in, audio.toString()), options, progress, cancelled);
            }
            mel = LogMelStream.read(in, model.dims().nMels(), threads(), declared);
        }
        int contentFrames = Math.max(0, mel.frames() - N_FRAMES);
        // A short file that did not declare its length: detection reads its samples (30 s at most) again.
        return transcribeWindows(mel.bands(), contentFrames, () -> AudioFile.readAll(audio), options, progress, cancelled);
    }

    /**
     * As {@link #transcribe(float[], TranscribeOptions, ProgressListener, BooleanSupplier)} on a file's samples in
     * the array they were read into ({@link AudioFile#readAllUntrimmed}): a long recording is not copied to trim it.
     */
    public LazyTranscription transcribe(AudioFile.Decoded audio, TranscribeOptions options, ProgressListener progress,
                                        BooleanSupplier cancelled) {
        Objects.requireNonNull(options, "options");
        checkTask(options);
        float[] samples = audio.samples();
        int length = audio.length();
        if (options.batchSize() > 1) return transcribeBatched(samples, length, options, progress, cancelled);
        if (options.vadFilter()) return transcribeSpeech(samples, length, options, progress, cancelled);
        float[][] mel = LogMel.padded(samples, length, model.dims().nMels(), threads());
        Supplier<float[]> content = length == samples.length ? () -> samples : () -> java.util.Arrays.copyOf(samples, length);
        return transcribeWindows(mel, LogMel.contentFrames(mel), content, options, progress, cancelled);
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
        return transcribe(new AudioFile.Decoded(samples, samples.length), options, progress, cancelled);
    }

    /**
     * The window-by-window loop over a padded spectrogram (bands at least {@code contentFrames + 3000} long);
     * {@code samples} gives the audio if detection needs it.
     */
    private LazyTranscription transcribeWindows(float[][] mel, int contentFrames, Supplier<float[]> samples,
                                                TranscribeOptions options, ProgressListener progress,
                                                BooleanSupplier cancelled) {
        WindowBuffers buffers = windowBuffers();
        LanguageDetector.Detected detected = language(options, () -> detectionWindow(samples, mel, contentFrames), buffers);
        SeekLoop loop = new SeekLoop(model, tokenizer, mel, contentFrames, options, detected.language(),
                buffers, spareBuffers::set);
        return new LazyTranscription(detected.language(), detected.probability(),
                (double) contentFrames / FRAMES_PER_SECOND, loop,
                progress == null ? ProgressListener.NONE : progress, cancelled == null ? () -> false : cancelled);
    }

    /**
     * faster-whisper's vad_filter: the window-by-window loop over the speech chunks laid end to end, each segment
     * put back on the original timeline as it is read.
     */
    private LazyTranscription transcribeSpeech(float[] samples, int length, TranscribeOptions options,
                                               ProgressListener progress, BooleanSupplier cancelled) {
        VadFilter speech = VadFilter.apply(vad(), samples, length, options.vadOptions());
        float[][] mel = speech.paddedSpectrogram(model.dims().nMels(), threads());
        int contentFrames = LogMel.contentFrames(mel);
        WindowBuffers buffers = windowBuffers();
        LanguageDetector.Detected detected = language(options, () -> detectionWindow(speech::speech, mel, contentFrames),
                buffers);
        SeekLoop loop = new SeekLoop(model, tokenizer, mel, contentFrames, options, detected.language(),
                buffers, spareBuffers::set);
        SegmentSource restored = new SegmentSource() {
            @Override
            public boolean hasNext() {
                return loop.hasNext();
            }

            @Override
            public List<Segment> next() {
                return loop.next().stream().map(speech::restore).toList();
            }

            @Override
            public int position() {
                double t = (double) loop.position() / FRAMES_PER_SECOND;
                return (int) Math.round(speech.map().chunks().isEmpty() ? 0
                        : speech.map().toOriginal(t, speech.map().chunkOfEnd(t)) * FRAMES_PER_SECOND);
            }
        };
        return new LazyTranscription(detected.language(), detected.probability(), speech.originalDuration(), restored,
                progress == null ? ProgressListener.NONE : progress, cancelled == null ? () -> false : cancelled);
    }

    /** faster-whisper's BatchedInferencePipeline over the VAD's speech chunks (see {@link BatchedPipeline}). */
    private LazyTranscription transcribeBatched(float[] samples, int length, TranscribeOptions options,
                                                ProgressListener progress, BooleanSupplier cancelled) {
        VadFilter speech = BatchedPipeline.findSpeech(vad(), samples, length, options);
        int nMels = model.dims().nMels();
        WindowBuffers buffers = windowBuffers(); // for the detection only: the batches have arrays of their own
        LanguageDetector.Detected detected = language(options, () -> {
            float[][] first = BatchedPipeline.firstWindow(speech, nMels, threads());
            return first != null ? first : LogMel.window(LogMel.padded(new float[0], nMels, threads()), 0, 3000);
        }, buffers);
        spareBuffers.set(buffers);
        BatchedPipeline pipeline = BatchedPipeline.start(model, tokenizer, options, detected.language(), speech, threads());
        return new LazyTranscription(detected.language(), detected.probability(), speech.originalDuration(), pipeline,
                progress == null ? ProgressListener.NONE : progress, cancelled == null ? () -> false : cancelled);
    }

    /**
     * The first window as faster-whisper detects the language on it: the log-mel of the audio with one hop of
     * zeros appended (its feature extractor's padding), the first 3000 frames, zero-padded. Audio up to 30 s ends
     * inside the window, and there the transcription's mel differs in the last frames (appended silence where
     * this reflects the audio's own end), which can tip a near-tie: fillets_nl's experiments__bank-v-nahazet is
     * Dutch 0.330 / English 0.325 this way, as in faster-whisper, and English 0.331 / Dutch 0.321 the other.
     * Longer audio: the first 3000 frames are the same either way.
     */
    private float[][] detectionWindow(Supplier<float[]> samples, float[][] mel, int contentFrames) {
        if (contentFrames > N_FRAMES + 2) return LogMel.window(mel, 0, N_FRAMES);
        float[][] own = LogMel.compute(samples.get(), model.dims().nMels(), HOP_LENGTH, threads());
        return LogMel.window(own, 0, Math.min(own[0].length, N_FRAMES));
    }

    /**
     * The given language, English on English-only models, else the detector's on the first window. Without a
     * caller's detector, openai's detect_language (io.auricle.decoding.LanguageDetector) encodes into
     * {@code buffers}, the arrays the transcription's windows then reuse: with fresh ones, a run over many files in
     * one process promoted an encoder output and a cross-attention cache per file into the old generation (base,
     * fillets_nl's 159 clips: 1.3 GB of old generation, 0.25 GB of it live).
     */
    private LanguageDetector.Detected language(TranscribeOptions options, Supplier<float[][]> firstWindow,
                                               WindowBuffers buffers) {
        if (!isMultilingual()) return new LanguageDetector.Detected("en", 1.0);
        if (options.language() != null) return new LanguageDetector.Detected(Languages.code(options.language()), 1.0);
        if (detector != null) return detector.detect(model, tokenizer, firstWindow.get());
        buffers.features = model.embedAudio(firstWindow.get(), model.dims().nAudioCtx(), buffers.features);
        buffers.cache = model.newCache(buffers.features, buffers.cache);
        var d = io.auricle.decoding.LanguageDetector.detect(model, tokenizer, buffers.cache);
        return new LanguageDetector.Detected(d.language(), d.probability());
    }

    /**
     * Silero VAD, loaded on first use and shared by this engine's transcriptions (it keeps no state between calls);
     * a missing model is an {@link io.auricle.AuricleException}.
     */
    public SileroVad vad() {
        SileroVad v = vad;
        if (v == null) {
            synchronized (this) {
                if (vad == null) vad = SileroVad.load();
                v = vad;
            }
        }
        return v;
    }

    private WindowBuffers windowBuffers() {
        WindowBuffers spare = spareBuffers.getAndSet(null);
        return spare != null ? spare : new WindowBuffers();
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
