package io.auricle.decoding;

import io.auricle.model.CrossAttentionSink;
import io.auricle.model.KvCache;
import io.auricle.model.WhisperModel;
import io.auricle.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
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
    private final Tokenizer tokenizer;
    private final int[] initialTokens;
    private final int sotIndex;
    private final int sampleLen;
    private final int[] suppressTokens;
    private final List<LogitFilter> filters = new ArrayList<>();

    public DecodingTask(WhisperModel model, Tokenizer tokenizer, DecodingOptions options) {
        this.model = model;
        this.options = options;
        this.tokenizer = tokenizer;
        int nCtx = model.dims().nTextCtx();

        // Previous text, at most half the context, after <|startofprev|>; then the start-of-transcript sequence.
        List<Integer> initial = new ArrayList<>();
        if (options.prompt().length > 0) {
            int[] p = options.prompt();
            initial.add(tokenizer.sotPrev());
            for (int i = Math.max(0, p.length - (nCtx / 2 - 1)); i < p.length; i++) initial.add(p[i]);
        }
        this.sotIndex = initial.size();
        for (int t : tokenizer.sotSequence(options.language(), options.task())) initial.add(t);
        if (options.withoutTimestamps()) initial.add(tokenizer.noTimestamps());
        this.initialTokens = initial.stream().mapToInt(Integer::intValue).toArray();
        if (initialTokens.length >= nCtx) {
            throw new IllegalArgumentException(initialTokens.length + " prompt tokens leave no room in the text context of " + nCtx);
        }
        // Half the context by default, and never past its end (each sampled token but the last is fed back).
        int wanted = options.sampleLen() > 0 ? options.sampleLen() : nCtx / 2;
        this.sampleLen = Math.min(wanted, nCtx - initialTokens.length);

        int sampleBegin = initialTokens.length;
        this.suppressTokens = buildSuppressTokens();
        // The filters, in the reference's order: blank start, the suppress list, the timestamp grammar.
        if (options.suppressBlank()) filters.add(new SuppressBlank(blankTokens(), sampleBegin));
        if (suppressTokens.length > 0) filters.add(new SuppressTokens(suppressTokens));
        if (!options.withoutTimestamps()) {
            int maxInitial = options.maxInitialTimestamp() < 0 ? -1
                    : (int) Math.round(options.maxInitialTimestamp() / TIME_PRECISION);
            filters.add(new ApplyTimestampRules(tokenizer.eot(), tokenizer.noTimestamps(), tokenizer.timestampBegin(),
                    sampleBegin, maxInitial));
        }
    }

    public int[] initialTokens() {
        return initialTokens.clone();
    }

    /** The tokens never sampled: the options' list (-1 expanded to the non-speech symbols) plus the task tokens. */
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
        double noSpeechProb = Math.exp(LogProbs.logProb(model.logits(hidden, sotIndex), tokenizer.noSpeech()));
        float[] logits = model.logits(hidden, initialTokens.length - 1);
        boolean ended = false;
        for (int i = 0; i < sampleLen; i++) {
            int[] sofar = Arrays.copyOf(tokens, length);
            for (LogitFilter f : filters) f.apply(logits, sofar);
            int next = decoder.next(logits);
            if (next == tokenizer.eot()) {
                ended = true;
                break;
            }
            tokens[length++] = next;
            if (i + 1 < sampleLen) logits = model.logits(model.forward(new int[] {next}, cache, sink), 0);
        }

        int[] sampled = Arrays.copyOfRange(tokens, initialTokens.length, length);
        // Without end-of-text the sum has no EOT term, but the average still divides by tokens + 1 (as the reference).
        double sum = decoder.sumLogProb();
        String text = tokenizer.decode(Arrays.stream(sampled).filter(t -> t < tokenizer.eot()).toArray()).strip();
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

    private int[] buildSuppressTokens() {
        TreeSet<Integer> set = new TreeSet<>();
        for (int t : options.suppressTokens()) {
            if (t == -1) {
                for (int m : tokenizer.nonSpeechTokens()) set.add(m);
            } else if (t >= 0 && t < tokenizer.nVocab()) {
                set.add(t);
            }
        }
        for (int t : new int[] {tokenizer.transcribe(), tokenizer.translate(), tokenizer.sot(), tokenizer.sotPrev(),
                tokenizer.sotLm(), tokenizer.noSpeech()}) {
            set.add(t);
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    /** " " and end-of-text, as openai/whisper (CTranslate2's suppress_ids_begin holds the same two). */
    private int[] blankTokens() {
        int[] blank = tokenizer.encode(" ");
        int[] out = java.util.Arrays.copyOf(blank, blank.length + 1);
        out[blank.length] = tokenizer.eot();
        return out;
    }
}
