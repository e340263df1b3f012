package io.auricle.decoding;

import io.auricle.decoding.SequenceRanker.Hypothesis;
import io.auricle.model.CrossAttentionSink;
import io.auricle.model.KvCache;
import io.auricle.model.WhisperModel;
import io.auricle.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
    private final SequenceRanker ranker;

    public DecodingTask(WhisperModel model, Tokenizer tokenizer, DecodingOptions options) {
        this.model = model;
        this.options = options;
        this.tokenizer = tokenizer;
        this.ranker = new MaximumLikelihoodRanker(options.lengthPenalty());
        int nCtx = model.dims().nTextCtx();

        // After <|startofprev|>: faster-whisper's hotwords (when there is no prefix; at most half the context) and
        // the previous text (its last half context); then the start-of-transcript sequence and openai's prefix.
        List<Integer> initial = new ArrayList<>();
        int[] hotwords = options.hotwords() != null && options.prefix() == null
                ? tokenizer.encode(" " + options.hotwords().strip()) : new int[0];
        if (options.prompt().length > 0 || hotwords.length > 0) {
            initial.add(tokenizer.sotPrev());
            for (int i = 0; i < Math.min(hotwords.length, nCtx / 2 - 1); i++) initial.add(hotwords[i]);
            int[] p = options.prompt();
            for (int i = Math.max(0, p.length - (nCtx / 2 - 1)); i < p.length; i++) initial.add(p[i]);
        }
        this.sotIndex = initial.size();
        for (int t : tokenizer.sotSequence(options.language(), options.task())) initial.add(t);
        if (options.withoutTimestamps()) initial.add(tokenizer.noTimestamps());
        if (options.prefix() != null) {
            int[] prefix = tokenizer.encode(" " + options.prefix().strip());
            // openai keeps the last n_ctx/2 - sample_len tokens (all of them at the default sample length)
            int keep = options.sampleLen() > 0 && nCtx / 2 - options.sampleLen() > 0 ? nCtx / 2 - options.sampleLen() : prefix.length;
            for (int i = Math.max(0, prefix.length - keep); i < prefix.length; i++) initial.add(prefix[i]);
        }
        this.initialTokens = initial.stream().mapToInt(Integer::intValue).toArray();
        if (initialTokens.length >= nCtx) {
            throw new IllegalArgumentException(initialTokens.length + " prompt tokens leave no room in the text context of " + nCtx);
        }
        // Half the context by default, and never past its end: each sampled token but the last is fed back, so
        // the last may be the one after position nCtx - 1 (CTranslate2's min(n_ctx / 2, n_ctx - (prompt - 1))).
        int wanted = options.sampleLen() > 0 ? options.sampleLen() : nCtx / 2;
        this.sampleLen = Math.min(wanted, nCtx - initialTokens.length + 1);

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

    /** Decodes the window whose encoder output is {@code audioFeatures}, sampling (if at all) from the options' seed. */
    public DecodingResult run(float[] audioFeatures) {
        return run(model.newCache(audioFeatures), null, new Mt19937(options.seed()));
    }

    /**
     * Decodes with a cache of this window (its cached tokens are dropped first, so one cache serves every
     * temperature of a fallback). {@code sink}, if not null, receives the cross-attention weights (greedy only:
     * beams and samples interleave, so word timings take their own pass over the chosen tokens). At temperature
     * above 0 the tokens are drawn from {@code random}, which a transcription keeps from window to window.
     */
    public DecodingResult run(KvCache cache, CrossAttentionSink sink, Mt19937 random) {
        Prefill start = prefill(cache, options.beamSize() > 1 || options.bestOf() > 1 ? null : sink);
        double noSpeechProb = start.noSpeechProb();
        float[] logits = start.logits();
        Hypothesis chosen;
        if (options.temperature() == 0 && options.beamSize() > 1) {
            chosen = beamSearch(cache, logits);
        } else if (options.temperature() > 0 && options.bestOf() > 1) {
            chosen = bestOf(cache, logits, random);
        } else {
            chosen = sample(cache, logits, sink, random);
        }
        cache.releaseForks(); // the beams' and samples' caches: the next run (or window) reuses their arrays
        return result(chosen, noSpeechProb);
    }

    /** The initial tokens through a window's cache (emptied first): the no-speech probability, the first logits. */
    private Prefill prefill(KvCache cache, CrossAttentionSink sink) {
        cache.truncate(0);
        float[] hidden = model.forward(initialTokens, cache, sink);
        return new Prefill(Math.exp(LogProbs.logProb(model.logits(hidden, sotIndex), tokenizer.noSpeech())),
                model.logits(hidden, initialTokens.length - 1));
    }

    private record Prefill(double noSpeechProb, float[] logits) {}

    /** Greedy decoding, or one sample at temperature > 0, from the cache after the initial tokens. */
    private Hypothesis sample(KvCache cache, float[] logits, CrossAttentionSink sink, Mt19937 random) {
        TokenDecoder decoder = new GreedyDecoder(options.temperature(), random);
        int[] tokens = Arrays.copyOf(initialTokens, initialTokens.length + sampleLen);
        int length = initialTokens.length;
        for (int i = 0; i < sampleLen; i++) {
            int[] sofar = Arrays.copyOf(tokens, length);
            for (LogitFilter f : filters) f.apply(logits, sofar);
            int next = decoder.next(logits);
            if (next == tokenizer.eot()) break;
            tokens[length++] = next;
            if (i + 1 < sampleLen) logits = model.logits(model.forward(new int[] {next}, cache, sink), 0, logits);
        }
        // Without end-of-text the sum has no EOT term, but the average still divides by tokens + 1 (as the reference).
        return new Hypothesis(Arrays.copyOfRange(tokens, initialTokens.length, length), decoder.sumLogProb());
    }

    /**
     * {@code bestOf} samples from the same prompt, the likeliest by the ranker (openai's best_of). The samples
     * advance together, one batched decoder step for all that are still going, and at each step draw in their
     * order: as CTranslate2 draws them, so a seeded run samples what faster-whisper samples.
     */
    private Hypothesis bestOf(KvCache cache, float[] firstLogits, Mt19937 random) {
        int n = options.bestOf();
        KvCache[] caches = new KvCache[n];
        float[][] logits = new float[n][];
        int[][] tokens = new int[n][];
        int[] lengths = new int[n];
        GreedyDecoder[] decoders = new GreedyDecoder[n];
        int[] going = new int[n];
        for (int h = 0; h < n; h++) {
            caches[h] = h == 0 ? cache : cache.fork();
            logits[h] = firstLogits.clone();
            tokens[h] = Arrays.copyOf(initialTokens, initialTokens.length + sampleLen);
            lengths[h] = initialTokens.length;
            decoders[h] = new GreedyDecoder(options.temperature(), random);
            going[h] = h;
        }
        int alive = n;
        for (int i = 0; i < sampleLen && alive > 0; i++) {
            int fed = 0;
            for (int k = 0; k < alive; k++) {
                int h = going[k];
                for (LogitFilter f : filters) f.apply(logits[h], Arrays.copyOf(tokens[h], lengths[h]));
                int next = decoders[h].next(logits[h]);
                if (next == tokenizer.eot()) continue;
                tokens[h][lengths[h]++] = next;
                if (i + 1 < sampleLen) going[fed++] = h;
            }
            alive = fed;
            if (alive == 0) break;
            int[] next = new int[alive];
            KvCache[] stepCaches = new KvCache[alive];
            for (int k = 0; k < alive; k++) {
                next[k] = tokens[going[k]][lengths[going[k]] - 1];
                stepCaches[k] = caches[going[k]];
            }
            float[][] stepped = model.step(next, stepCaches);
            for (int k = 0; k < alive; k++) logits[going[k]] = stepped[k];
        }
        List<Hypothesis> samples = new ArrayList<>();
        for (int h = 0; h < n; h++) {
            samples.add(new Hypothesis(Arrays.copyOfRange(tokens[h], initialTokens.length, lengths[h]),
                    decoders[h].sumLogProb()));
        }
        return samples.get(ranker.rank(samples));
    }

    /**
     * Beam search: each live hypothesis has its own self-attention cache (forks sharing the window's cross-attention
     * keys and values); on a reorder a cache is kept when its hypothesis lives on, otherwise overwritten from the
     * parent's from the first position where their tokens differ.
     */
    private Hypothesis beamSearch(KvCache cache, float[] firstLogits) {
        WindowBeams beams = new WindowBeams(cache, firstLogits);
        stepTogether(List.of(beams));
        return beams.best();
    }

    /**
     * Beam search over several windows at once, as faster-whisper's batched pipeline decodes a batch with beams:
     * each window keeps its own beams, and each step feeds the live beams of every window through one decoder step
     * (the weights read once for all rows). {@code caches[i]} is made over window i's encoder output; the results
     * are those of {@link #run} on each window alone (the decoder's products work row by row below 64 rows, as they do
     * for one window's beams). Temperature 0 and more than one beam only.
     */
    public List<DecodingResult> runBeams(KvCache[] caches) {
        if (options.temperature() != 0 || options.beamSize() <= 1) {
            throw new IllegalStateException("beams of several windows need temperature 0 and beam_size > 1");
        }
        List<WindowBeams> windows = new ArrayList<>(caches.length);
        double[] noSpeech = new double[caches.length];
        for (int i = 0; i < caches.length; i++) {
            Prefill start = prefill(caches[i], null);
            noSpeech[i] = start.noSpeechProb();
            windows.add(new WindowBeams(caches[i], start.logits()));
        }
        stepTogether(windows);
        List<DecodingResult> results = new ArrayList<>(caches.length);
        for (int i = 0; i < caches.length; i++) {
            Hypothesis chosen = windows.get(i).best();
            caches[i].releaseForks();
            results.add(result(chosen, noSpeech[i]));
        }
        return results;
    }

    /** Advances each window's beams to their end; every step, the live beams of all windows in one decoder step. */
    private void stepTogether(List<WindowBeams> windows) {
        List<WindowBeams> live = new ArrayList<>(windows);
        while (true) {
            live.removeIf(w -> !w.advance());
            if (live.isEmpty()) return;
            int rows = 0;
            for (WindowBeams w : live) rows += w.caches.length;
            int[] tokens = new int[rows];
            KvCache[] caches = new KvCache[rows];
            float[][] spent = new float[rows][]; // the last step's logits, written over
            int r = 0;
            for (WindowBeams w : live) {
                for (int k = 0; k < w.caches.length; k++, r++) {
                    tokens[r] = w.beams.lastToken(k);
                    caches[r] = w.caches[k];
                    spent[r] = k < w.logits.length ? w.logits[k] : null;
                }
            }
            float[][] logits = model.step(tokens, caches, null, spent);
            r = 0;
            for (WindowBeams w : live) {
                w.logits = Arrays.copyOfRange(logits, r, r + w.caches.length);
                r += w.caches.length;
            }
        }
    }

    /** One window's beam search, advanced a step at a time by {@link #stepTogether}. */
    private final class WindowBeams {
        final BeamSearchDecoder beams = new BeamSearchDecoder(options.beamSize(), options.patience(), tokenizer.eot());
        final Map<KvCache, int[]> held = new IdentityHashMap<>(); // the sampled tokens each cache holds
        KvCache[] caches;
        float[][] logits;
        int steps;

        WindowBeams(KvCache cache, float[] firstLogits) {
            held.put(cache, new int[0]);
            caches = new KvCache[] {cache};
            logits = new float[][] {firstLogits};
        }

        /**
         * Filters the logits of the last step, chooses the next beams and gives them their caches; false when the
         * search is over (nothing more to feed).
         */
        boolean advance() {
            if (steps == sampleLen) return false;
            for (int b = 0; b < logits.length; b++) {
                int[] sofar = concat(initialTokens, beams.tokens(b));
                for (LogitFilter f : filters) f.apply(logits[b], sofar);
            }
            if (beams.update(logits, ++steps == sampleLen)) return false;
            caches = reorder(caches, beams, held);
            for (int k = 0; k < caches.length; k++) held.put(caches[k], beams.tokens(k));
            return true;
        }

        Hypothesis best() {
            List<Hypothesis> finished = beams.finished();
            if (finished.isEmpty()) return new Hypothesis(new int[0], 0);
            return finished.get(ranker.rank(finished));
        }
    }

    /** The caches of the new live hypotheses, each holding its parent's tokens. */
    private KvCache[] reorder(KvCache[] caches, BeamSearchDecoder beams, Map<KvCache, int[]> held) {
        int n = beams.size();
        KvCache[] next = new KvCache[n];
        boolean[] claimed = new boolean[caches.length];
        for (int k = 0; k < n; k++) { // the first child of each parent takes the parent's cache as it is
            int s = beams.source(k);
            if (!claimed[s]) {
                claimed[s] = true;
                next[k] = caches[s];
            }
        }
        List<KvCache> spare = new ArrayList<>();
        for (int c = 0; c < caches.length; c++) if (!claimed[c]) spare.add(caches[c]);
        for (int k = 0; k < n; k++) {
            if (next[k] != null) continue;
            KvCache parent = caches[beams.source(k)];
            if (spare.isEmpty()) {
                next[k] = parent.fork();
            } else {
                next[k] = spare.removeLast();
                int same = commonPrefix(held.get(next[k]), held.get(parent));
                next[k].copyFrom(parent, initialTokens.length + same);
            }
            held.put(next[k], held.get(parent));
        }
        for (KvCache unused : spare) held.remove(unused);
        return next;
    }

    private DecodingResult result(Hypothesis h, double noSpeechProb) {
        int[] sampled = h.tokens();
        String text = tokenizer.decode(Arrays.stream(sampled).filter(t -> t < tokenizer.eot()).toArray()).strip();
        return new DecodingResult(sampled, text, h.sumLogProb() / (sampled.length + 1), h.sumLogProb(), noSpeechProb,
                options.temperature(), compressionRatio(text));
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length), i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
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
