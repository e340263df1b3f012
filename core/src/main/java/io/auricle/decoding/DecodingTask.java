package io.auricle.decoding;

import io.auricle.AuricleException;
import io.auricle.model.CrossAttentionSink;
import io.auricle.model.KvCache;
import io.auricle.model.WhisperModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.zip.Deflater;

/**
 * Decodes one window, put together from the options as openai/whisper's DecodingTask: the initial tokens
 * (previous text, start-of-transcript sequence), the logit filters, and the token decoder; then the main
 * loop, one token at a time through the KV cache.
 */
public final class DecodingTask {
    /** Seconds per timestamp token. */
    public static final double TIME_PRECISION = 0.02;

    private final WhisperModel model;
    private final DecodingOptions options;
    private final SpecialTokens special;
    private final Function<int[], String> detokenizer;
    private final int[] initialTokens;
    private final int sotIndex;
    private final int sampleLen;
    private final int[] suppressTokens;
    private final List<LogitFilter> filters = new ArrayList<>();

    /** {@code detokenizer} turns text tokens (ids below end-of-text) into text. */
    public DecodingTask(WhisperModel model, DecodingOptions options, Function<int[], String> detokenizer) {
        if (model.dims().isMultilingual()) {
            throw new AuricleException(model.checkpoint().source() + ": multilingual models are not supported yet");
        }
        this.model = model;
        this.options = options;
        this.special = SpecialTokens.of(model.dims());
        this.detokenizer = detokenizer;
        int nCtx = model.dims().nTextCtx();
        this.sampleLen = options.sampleLen() > 0 ? options.sampleLen() : nCtx / 2;

        // Previous text, at most half the context, after <|startofprev|>; then the start-of-transcript sequence.
        List<Integer> initial = new ArrayList<>();
        if (options.prompt().length > 0) {
            int[] p = options.prompt();
            initial.add(special.sotPrev());
            for (int i = Math.max(0, p.length - (nCtx / 2 - 1)); i < p.length; i++) initial.add(p[i]);
        }
        this.sotIndex = initial.size();
        initial.add(special.sot());
        if (options.withoutTimestamps()) initial.add(special.noTimestamps());
        this.initialTokens = initial.stream().mapToInt(Integer::intValue).toArray();
        if (initialTokens.length + sampleLen > nCtx) {
            throw new IllegalArgumentException("prompt of " + initialTokens.length + " tokens plus " + sampleLen
                    + " to sample exceeds the text context of " + nCtx);
        }

        int sampleBegin = initialTokens.length;
        this.suppressTokens = suppressTokens(model.checkpoint().suppressTokens());
        // The filters, in the reference's order: blank start, the suppress list, the timestamp grammar.
        if (options.suppressBlank()) filters.add(new SuppressBlank(blankTokens(), sampleBegin));
        if (suppressTokens.length > 0) filters.add(new SuppressTokens(suppressTokens));
        if (!options.withoutTimestamps()) {
            int maxInitial = options.maxInitialTimestamp() < 0 ? -1
                    : (int) Math.round(options.maxInitialTimestamp() / TIME_PRECISION);
            filters.add(new ApplyTimestampRules(special, sampleBegin, maxInitial));
        }
    }

    public int[] initialTokens() {
        return initialTokens.clone();
    }

    /** The tokens never sampled: the options' list (-1 expanded to the model's) plus the task tokens. */
    public int[] suppressTokens() {
        return suppressTokens.clone();
    }

    /** Decodes the window whose encoder output is {@code audioFeatures}. */
    public DecodingResult run(float[] audioFeatures) {
        return run(model.newCache(audioFeatures), null);
    }

    /**
     * Decodes with a cache of this window (its cached tokens are dropped first, so one cache serves every
     * temperature of a fallback). {@code sink}, if not null, receives the cross-attention weights.
     */
    public DecodingResult run(KvCache cache, CrossAttentionSink sink) {
        cache.truncate(0);
        TokenDecoder decoder = new GreedyDecoder(options.temperature(), new SplittableRandom(options.seed()));
        int[] tokens = Arrays.copyOf(initialTokens, initialTokens.length + sampleLen);
        int length = initialTokens.length;

        float[] hidden = model.forward(initialTokens, cache, sink);
        double noSpeechProb = Math.exp(LogProbs.logProb(model.logits(hidden, sotIndex), special.noSpeech()));
        float[] logits = model.logits(hidden, initialTokens.length - 1);
        boolean ended = false;
        for (int i = 0; i < sampleLen; i++) {
            int[] sofar = Arrays.copyOf(tokens, length);
            for (LogitFilter f : filters) f.apply(logits, sofar);
            int next = decoder.next(logits);
            if (next == special.eot()) {
                ended = true;
                break;
            }
            tokens[length++] = next;
            if (i + 1 < sampleLen) logits = model.logits(model.forward(new int[] {next}, cache, sink), 0);
        }

        int[] sampled = Arrays.copyOfRange(tokens, initialTokens.length, length);
        // Without end-of-text the sum has no EOT term, but the average still divides by tokens + 1 (as the reference).
        double sum = decoder.sumLogProb();
        String text = detokenizer.apply(Arrays.stream(sampled).filter(t -> t < special.eot()).toArray()).strip();
        return new DecodingResult(sampled, text, sum / (sampled.length + 1), sum, noSpeechProb,
                options.temperature(), compressionRatio(text));
    }

    /** UTF-8 length over zlib-compressed length (zlib's default level, as Python's zlib.compress). */
    public static double compressionRatio(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Deflater deflater = new Deflater();
        deflater.setInput(bytes);
        deflater.finish();
        byte[] buf = new byte[bytes.length + 64];
        int compressed = 0;
        while (!deflater.finished()) compressed += deflater.deflate(buf);
        deflater.end();
        return (double) bytes.length / compressed;
    }

    private int[] suppressTokens(int[] modelNonSpeech) {
        TreeSet<Integer> set = new TreeSet<>();
        for (int t : options.suppressTokens()) {
            if (t == -1) {
                for (int m : modelNonSpeech) set.add(m);
            } else if (t >= 0 && t < special.nVocab()) {
                set.add(t);
            }
        }
        for (int t : new int[] {special.transcribe(), special.translate(), special.sot(), special.sotPrev(),
                special.sotLm(), special.noSpeech()}) {
            set.add(t);
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The model's begin-suppress list, else " " (token 220 in both GPT-2 vocabularies) and end-of-text. */
    private int[] blankTokens() {
        int[] fromModel = model.checkpoint().beginSuppressTokens();
        return fromModel.length > 0 ? fromModel.clone() : new int[] {220, special.eot()};
    }
}
