package io.auricle.transcribe;

import io.auricle.AuricleException;
import io.auricle.decoding.DecodingOptions;
import io.auricle.vad.VadOptions;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * openai-whisper's transcription flags, declared once: a picocli mixin that {@code auricle transcribe} and the
 * Spark job both include, so a flag has one name, one default and one meaning everywhere. {@link #options()}
 * maps them onto {@link TranscribeOptions}; a bad value is one line ({@link AuricleException}). Serializable,
 * so a job can ship the parsed flags to its executors.
 *
 * <p>Not here: what only one program has (the CLI's output formats and --threads, the job's inputs and output).
 */
public final class TranscribeFlags implements Serializable {

    @Option(names = "--task", defaultValue = "transcribe", description = "transcribe, or translate (X->English)")
    String task;

    @Option(names = "--language", description = "language spoken (code or name); default: en for .en models,"
            + " detected otherwise")
    String language;

    @Option(names = "--temperature", defaultValue = "0", description = "temperature of the first try (default: 0)")
    double temperature;

    @Option(names = "--best_of", defaultValue = "1", converter = OptionalInt.class,
            description = "candidates when sampling at temperature > 0 (openai's default is 5)")
    Integer bestOf;

    @Option(names = "--beam_size", defaultValue = "1", converter = OptionalInt.class,
            description = "beams at temperature 0 (1: greedy; openai's default is 5)")
    Integer beamSize;

    @Option(names = "--seed", description = "seed of the sampler for the temperature fallback and --best_of,"
            + " drawn as faster-whisper draws after ctranslate2.set_random_seed(N) (default: a fixed one)")
    Long seed;

    @Option(names = "--patience", converter = OptionalFloat.class, description = "beam search patience")
    Double patience;

    @Option(names = "--length_penalty", converter = OptionalFloat.class, description = "beam search length penalty")
    Double lengthPenalty;

    @Option(names = "--suppress_tokens", defaultValue = "-1",
            description = "comma-separated token ids never sampled; -1: the non-speech symbols (default)")
    String suppressTokens;

    @Option(names = "--initial_prompt", description = "text to prompt the first window with")
    String initialPrompt;

    @Option(names = "--prefix", description = "text every window's transcript continues (openai's prefix)")
    String prefix;

    @Option(names = "--hotwords", description = "hint phrases prompted before the previous text (faster-whisper's"
            + " hotwords; ignored with --prefix)")
    String hotwords;

    @Option(names = "--refine_word_timestamps", defaultValue = "True", arity = "1", converter = Bool.class,
            paramLabel = "BOOL",
            description = "with --word_timestamps: move word edges out of silence (default: True; False: the"
            + " reference's timings)")
    boolean refineWordTimestamps;

    @Option(names = "--compute_type", defaultValue = "default", paramLabel = "TYPE",
            description = "decoder precision: default (as the weights are stored), float32, float16, int8, q8_0")
    String computeType;

    @Option(names = "--condition_on_previous_text", arity = "1", defaultValue = "True", converter = Bool.class,
            paramLabel = "BOOL", description = "prompt each window with the text so far (default: True)")
    boolean conditionOnPreviousText;

    @Option(names = "--fp16", arity = "1", defaultValue = "True", converter = Bool.class, paramLabel = "BOOL",
            description = "accepted for compatibility; the weights' own precision is used")
    boolean fp16;

    @Option(names = "--temperature_increment_on_fallback", defaultValue = "0.2", converter = OptionalFloat.class,
            description = "temperature step of the fallback up to 1.0; None: no fallback (default: 0.2)")
    Double temperatureIncrement;

    @Option(names = "--compression_ratio_threshold", defaultValue = "2.4", converter = OptionalFloat.class,
            description = "above it the text is too repetitive: retry hotter (default: 2.4; None: off)")
    Double compressionRatioThreshold;

    @Option(names = "--logprob_threshold", defaultValue = "-1.0", converter = OptionalFloat.class,
            description = "below this average log-probability: retry hotter (default: -1.0; None: off)")
    Double logprobThreshold;

    @Option(names = "--no_speech_threshold", defaultValue = "0.6", converter = OptionalFloat.class,
            description = "above it, with a failed log-probability, the window is silence (default: 0.6; None: off)")
    Double noSpeechThreshold;

    @Option(names = "--word_timestamps", arity = "1", defaultValue = "False", converter = Bool.class,
            paramLabel = "BOOL", description = "time each word and refine the segments with them (default: False)")
    boolean wordTimestamps;

    @Option(names = "--prepend_punctuations", defaultValue = "\"'\u201c\u00bf([{-",
            description = "with word timestamps: marks joined to the next word")
    String prependPunctuations;

    @Option(names = "--append_punctuations", defaultValue = "\"'.\u3002,\uff0c!\uff01?\uff1f:\uff1a\u201d)]}\u3001",
            description = "with word timestamps: marks joined to the previous word")
    String appendPunctuations;

    @Option(names = "--clip_timestamps", defaultValue = "0",
            description = "start,end,start,end,... seconds of the clips to transcribe; the last end defaults to the end")
    String clipTimestamps;

    @Option(names = "--hallucination_silence_threshold", converter = OptionalFloat.class,
            description = "(needs --word_timestamps True) skip silences longer than this many seconds around"
                    + " suspected hallucinations")
    Double hallucinationSilenceThreshold;

    @Option(names = {"--audio-ctx", "--audio_ctx"}, defaultValue = "0", paramLabel = "N",
            description = "encoder positions per window, 1..1500 (0: all); fewer is faster on short audio")
    int audioCtx;

    @Option(names = "--vad_filter", arity = "1", defaultValue = "False", converter = Bool.class, paramLabel = "BOOL",
            description = "transcribe only the speech Silero VAD finds; times stay on the original timeline (default: False)")
    boolean vadFilter;

    @Option(names = "--vad_threshold", paramLabel = "P",
            description = "VAD: a 32 ms frame with at least this speech probability is speech (default: 0.5)")
    Double vadThreshold;

    @Option(names = "--vad_neg_threshold", converter = OptionalFloat.class, paramLabel = "P",
            description = "VAD: below this a frame is silence (default: threshold - 0.15)")
    Double vadNegThreshold;

    @Option(names = "--vad_min_speech_duration_ms", paramLabel = "MS",
            description = "VAD: speech chunks this short or shorter are dropped (default: 0)")
    Integer vadMinSpeechDurationMs;

    @Option(names = "--vad_max_speech_duration_s", converter = Seconds.class, paramLabel = "S",
            description = "VAD: longer chunks are split (default: inf)")
    Double vadMaxSpeechDurationS;

    @Option(names = "--vad_min_silence_duration_ms", paramLabel = "MS",
            description = "VAD: silence needed to end a chunk (default: 2000)")
    Integer vadMinSilenceDurationMs;

    @Option(names = "--vad_speech_pad_ms", paramLabel = "MS",
            description = "VAD: padding on each side of a chunk (default: 400)")
    Integer vadSpeechPadMs;

    @Option(names = "--batch_size", defaultValue = "1", paramLabel = "N",
            description = "1: windows one after the other; more: faster-whisper's batched pipeline, N speech-chunk"
                    + " windows decoded at once (turns on the VAD; default: 1)")
    int batchSize;

    /**
     * The flags parsed from {@code args} (only these flags; the rest at their defaults), e.g.
     * {@code parse("--word_timestamps", "True")}. A bad or unknown flag is one line.
     */
    public static TranscribeFlags parse(String... args) {
        TranscribeFlags flags = new TranscribeFlags();
        try {
            new CommandLine(flags).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new AuricleException(e.getMessage());
        }
        flags.options(); // checks the values now, not on an executor later
        flags.computeType();
        return flags;
    }

    /** The reference's options from the flags; a bad value is one line. */
    public TranscribeOptions options() {
        if (!task.equals("transcribe") && !task.equals("translate")) {
            throw new AuricleException("--task must be transcribe or translate, got '" + task + "'");
        }
        if (audioCtx < 0 || audioCtx > 1500) throw new AuricleException("--audio-ctx must be 0..1500, got " + audioCtx);
        if (!(temperature >= 0)) throw new AuricleException("--temperature must be >= 0, got " + temperature);
        if (!wordTimestamps && hallucinationSilenceThreshold != null) {
            throw new AuricleException("--hallucination_silence_threshold requires --word_timestamps True");
        }
        DecodingOptions d = DecodingOptions.defaults();
        long samplerSeed = seed == null ? d.seed() : seed;
        d = new DecodingOptions(task, language(), 0, d.sampleLen(), d.prompt(), tokens(suppressTokens), d.suppressBlank(),
                d.withoutTimestamps(), d.maxInitialTimestamp(), samplerSeed)
                .withPrefix(none(prefix)).withHotwords(none(hotwords));
        try {
            d = d.withBeamSearch(beamSize == null ? 1 : beamSize, patience == null ? 1.0 : patience, lengthPenalty)
                    .withBestOf(bestOf == null ? 1 : bestOf, samplerSeed);
        } catch (IllegalArgumentException e) {
            throw new AuricleException(e.getMessage());
        }
        if (batchSize < 1) throw new AuricleException("--batch_size must be >= 1, got " + batchSize);
        return new TranscribeOptions(temperatures(), nan(compressionRatioThreshold), nan(logprobThreshold),
                nan(noSpeechThreshold), conditionOnPreviousText, audioCtx, d, initialPrompt, wordTimestamps,
                prependPunctuations, appendPunctuations, seconds(clipTimestamps), nan(hallucinationSilenceThreshold),
                vadFilter, vadOptions(), batchSize, refineWordTimestamps);
    }

    /** The decoder's precision, chosen when the model is loaded; an unknown name is one line. */
    public io.auricle.model.ComputeType computeType() {
        return io.auricle.model.ComputeType.parse(computeType);
    }

    /** openai's None for a text option. */
    private static String none(String text) {
        return text == null || text.equals("None") ? null : text;
    }

    /** faster-whisper's VadOptions from the --vad_* flags, its defaults for those not given. */
    VadOptions vadOptions() {
        VadOptions v = VadOptions.defaults();
        try {
            return new VadOptions(vadThreshold == null ? v.threshold() : vadThreshold,
                    vadNegThreshold == null ? v.negThreshold() : vadNegThreshold,
                    vadMinSpeechDurationMs == null ? v.minSpeechDurationMs() : vadMinSpeechDurationMs,
                    vadMaxSpeechDurationS == null ? v.maxSpeechDurationS() : vadMaxSpeechDurationS,
                    vadMinSilenceDurationMs == null ? v.minSilenceDurationMs() : vadMinSilenceDurationMs,
                    vadSpeechPadMs == null ? v.speechPadMs() : vadSpeechPadMs);
        } catch (IllegalArgumentException e) {
            throw new AuricleException(e.getMessage());
        }
    }

    /** openai's: --temperature, then up to 1.0 in steps of the increment (np.arange(t, 1.0 + 1e-6, inc)). */
    public double[] temperatures() {
        if (temperatureIncrement == null) return new double[] {temperature};
        if (!(temperatureIncrement > 0)) {
            throw new AuricleException("--temperature_increment_on_fallback must be > 0 or None, got " + temperatureIncrement);
        }
        int n = (int) Math.ceil((1.0 + 1e-6 - temperature) / temperatureIncrement);
        if (n <= 0) return new double[] {temperature};
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = temperature + i * temperatureIncrement;
        return t;
    }

    /** The language code, or null (None, or not given). */
    public String language() {
        return language == null || language.equals("None") ? null : language;
    }

    public String task() {
        return task;
    }

    public boolean wordTimestamps() {
        return wordTimestamps;
    }

    public boolean vadFilter() {
        return vadFilter;
    }

    /** Every flag by its name with its value (None as null), in declaration order: e.g. to record how a file was done. */
    public Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (OptionSpec o : CommandSpec.forAnnotatedObject(this).options()) {
            values.put(o.longestName().replaceFirst("^--", ""), o.getValue());
        }
        return values;
    }

    private static double nan(Double d) {
        return d == null ? Double.NaN : d;
    }

    private static int[] tokens(String list) {
        if (list.isBlank()) return new int[0];
        try {
            return Arrays.stream(list.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new AuricleException("--suppress_tokens must be comma-separated token ids, got '" + list + "'");
        }
    }

    private static double[] seconds(String list) {
        if (list.isBlank()) return new double[0];
        try {
            double[] s = Arrays.stream(list.split(",")).map(String::strip).mapToDouble(Double::parseDouble).toArray();
            for (double v : s) if (!(v >= 0)) throw new NumberFormatException();
            return s;
        } catch (NumberFormatException e) {
            throw new AuricleException("--clip_timestamps must be comma-separated seconds >= 0, got '" + list + "'");
        }
    }

    /** openai's str2bool (True/False), lenient on case and 1/0, yes/no. */
    public static final class Bool implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes" -> true;
                case "false", "0", "no" -> false;
                default -> throw new CommandLine.TypeConversionException("expected True or False, got '" + s + "'");
            };
        }
    }

    /** openai's optional_float: a number, or None. */
    public static final class OptionalFloat implements ITypeConverter<Double> {
        @Override
        public Double convert(String s) {
            if (s.equals("None")) return null;
            return number(s, "a number or None");
        }
    }

    /** Seconds, with inf (Python's float('inf')) for no limit. */
    public static final class Seconds implements ITypeConverter<Double> {
        @Override
        public Double convert(String s) {
            return s.equalsIgnoreCase("inf") ? Double.POSITIVE_INFINITY : number(s, "seconds or inf");
        }
    }

    /** openai's optional_int: a number, or None (taken as 1 for --beam_size and --best_of). */
    public static final class OptionalInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            if (s.equals("None")) return null;
            try {
                return Integer.valueOf(s);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + s + "' is not a whole number or None");
            }
        }
    }

    private static double number(String s, String expected) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + s + "' is not " + expected);
        }
    }
}
