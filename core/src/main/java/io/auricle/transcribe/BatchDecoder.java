package io.auricle.transcribe;

import io.auricle.decoding.DecodingOptions;
import io.auricle.decoding.DecodingResult;
import io.auricle.decoding.DecodingTask;
import io.auricle.decoding.GreedyDecoder;
import io.auricle.decoding.LogitFilter;
import io.auricle.decoding.SuppressBlank;
import io.auricle.decoding.SuppressTokens;
import io.auricle.model.KvCache;
import io.auricle.model.WhisperModel;
import io.auricle.tensor.Ops;
import io.auricle.timing.AlignmentCapture;
import io.auricle.timing.AlignmentPass;
import io.auricle.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy decoding of several windows as one batch (CTranslate2's generate over a batch, as faster-whisper's
 * batched pipeline calls it): each window has its own KV cache; every step feeds one token per unfinished
 * sequence through the decoder as one product over all rows, so the weights are read once per step rather than
 * once per window. A sequence that ends drops out of the next steps. The tokens are those {@link DecodingTask}
 * gives on each window alone: the same prompt, filters and stopping rule, and the decoder's products give every
 * row the result it would have on its own (the decoder's products work row by row below 64 rows).
 *
 * <p>With word timestamps it also gathers each window's alignment ({@link AlignmentCapture}): when the prompt is
 * just the sot sequence and {@code <|notimestamps|>}, the decoder has read what the alignment pass would read, and a
 * finished window is fed its {@code <|endoftext|>} once more in the next step to complete it.
 */
final class BatchDecoder {
    private final WhisperModel model;
    private final Tokenizer tokenizer;
    private final DecodingOptions options;
    private final int[] initialTokens;
    private final int sotIndex;
    private final int sampleLen;
    private final List<LogitFilter> filters = new ArrayList<>();
    private final boolean alignable; // the prompt is what the alignment pass reads before the text
    private AlignmentCapture[] captures = new AlignmentCapture[0]; // one per slot, reset for each batch

    /** A window's result, with its alignment when it was gathered (else null). */
    record Decoded(DecodingResult result, AlignmentPass.Result alignment) {}

    /** {@code options}: greedy (temperature 0, one beam), text only (no timestamps). */
    BatchDecoder(WhisperModel model, Tokenizer tokenizer, DecodingOptions options) {
        if (options.temperature() != 0 || options.beamSize() > 1 || !options.withoutTimestamps()) {
            throw new IllegalArgumentException("batched decoding is greedy and without timestamps");
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.options = options;
        DecodingTask task = new DecodingTask(model, tokenizer, options);
        this.initialTokens = task.initialTokens();
        this.sotIndex = indexOf(initialTokens, tokenizer.sot());
        int nCtx = model.dims().nTextCtx();
        int wanted = options.sampleLen() > 0 ? options.sampleLen() : nCtx / 2;
        this.sampleLen = Math.min(wanted, nCtx - initialTokens.length);
        // the filters DecodingTask applies without timestamps, in its order
        if (options.suppressBlank()) {
            int[] blank = tokenizer.encode(" ");
            int[] tokens = Arrays.copyOf(blank, blank.length + 1);
            tokens[blank.length] = tokenizer.eot();
            filters.add(new SuppressBlank(tokens, initialTokens.length));
        }
        int[] suppress = task.suppressTokens();
        if (suppress.length > 0) filters.add(new SuppressTokens(suppress));
        int[] sot = tokenizer.sotSequence(options.language(), options.task());
        int[] alignmentPrompt = Arrays.copyOf(sot, sot.length + 1);
        alignmentPrompt[sot.length] = tokenizer.noTimestamps();
        this.alignable = Arrays.equals(initialTokens, alignmentPrompt);
    }

    /**
     * Decodes each window (its encoder output) and returns the results in the same order; with {@code align}, each
     * with its alignment where it could be gathered. The alignments' rows are reused by the next call: they are
     * valid until then.
     */
    List<Decoded> decode(List<float[]> audioFeatures, boolean align) {
        return decode(audioFeatures, align, new KvCache[audioFeatures.size()]);
    }

    /**
     * As {@link #decode(List, boolean)}, window i's cache made over the arrays of {@code caches[i]} (null, or an
     * earlier batch's cache that is done with) and left there.
     */
    List<Decoded> decode(List<float[]> audioFeatures, boolean align, KvCache[] caches) {
        int n = audioFeatures.size(), eot = tokenizer.eot();
        if (caches.length < n) throw new IllegalArgumentException(caches.length + " caches for " + n + " windows");
        Ops ops = Ops.get();
        if (align && alignable && captures.length < n) captures = Arrays.copyOf(captures, n);
        AlignmentCapture[] slots = new AlignmentCapture[n];
        float[][] logits = new float[n][];
        double[] noSpeech = new double[n];
        GreedyDecoder[] decoders = new GreedyDecoder[n];
        int[][] tokens = new int[n][];
        int[] length = new int[n];
        for (int i = 0; i < n; i++) {
            // the prompt row by row per window, as DecodingTask reads it (a 4-token prefill is cheap)
            caches[i] = model.newCache(audioFeatures.get(i), caches[i]);
            if (align && alignable) {
                if (captures[i] == null) captures[i] = new AlignmentCapture(model.checkpoint().alignmentHeads());
                captures[i].reset();
                slots[i] = captures[i];
            }
            float[] hidden = model.forward(initialTokens, caches[i], slots[i]);
            noSpeech[i] = Math.exp(logProb(model.logits(hidden, sotIndex), tokenizer.noSpeech()));
            logits[i] = model.logits(hidden, initialTokens.length - 1);
            decoders[i] = new GreedyDecoder(0, null);
            tokens[i] = Arrays.copyOf(initialTokens, initialTokens.length + sampleLen);
            length[i] = initialTokens.length;
        }
        int[] live = new int[n];
        for (int i = 0; i < n; i++) live[i] = i;
        int liveCount = n;
        for (int step = 0; step < sampleLen && liveCount > 0; step++) {
            int fed = 0, closing = 0;
            int[] next = new int[liveCount], closed = new int[liveCount];
            for (int k = 0; k < liveCount; k++) {
                int i = live[k];
                double logSumExp = slots[i] != null ? ops.logSumExp(logits[i], 0, eot) : 0;
                int[] sofar = Arrays.copyOf(tokens[i], length[i]);
                for (LogitFilter f : filters) f.apply(logits[i], sofar);
                int token = decoders[i].next(logits[i]);
                if (token == eot) {
                    if (slots[i] != null) closed[closing++] = i; // its <|endoftext|> row, in this step
                    continue;
                }
                if (slots[i] != null) slots[i].textToken(logits[i][token], logSumExp);
                tokens[i][length[i]++] = token;
                if (step + 1 < sampleLen) {
                    live[fed] = i;
                    next[fed++] = token;
                }
            }
            liveCount = fed;
            if (fed + closing == 0) break;
            KvCache[] stepCaches = new KvCache[fed + closing];
            AlignmentCapture[] sinks = new AlignmentCapture[fed + closing];
            int[] fedTokens = Arrays.copyOf(next, fed + closing);
            for (int k = 0; k < fed; k++) {
                stepCaches[k] = caches[live[k]];
                sinks[k] = slots[live[k]];
            }
            for (int k = 0; k < closing; k++) {
                stepCaches[fed + k] = caches[closed[k]];
                sinks[fed + k] = slots[closed[k]];
                fedTokens[fed + k] = eot;
            }
            float[][] done = new float[fed + closing][]; // the live windows' last logits, chosen from already
            for (int k = 0; k < fed; k++) done[k] = logits[live[k]];
            float[][] out = model.step(fedTokens, stepCaches, sinks, done);
            for (int k = 0; k < fed; k++) logits[live[k]] = out[k];
        }
        List<Decoded> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int[] sampled = Arrays.copyOfRange(tokens[i], initialTokens.length, length[i]);
            int[] text = Arrays.stream(sampled).filter(t -> t < eot).toArray();
            String decoded = tokenizer.decode(text).strip();
            double sum = decoders[i].sumLogProb();
            DecodingResult r = new DecodingResult(sampled, decoded, sum / (sampled.length + 1), sum, noSpeech[i],
                    options.temperature(), DecodingTask.compressionRatio(decoded));
            // timestamp tokens in the text would be rows the pass does not read: then there is no capture to give
            AlignmentPass.Result alignment = slots[i] == null || text.length != sampled.length ? null
                    : slots[i].result(initialTokens.length, text.length);
            results.add(new Decoded(r, alignment));
        }
        return results;
    }

    /** log softmax(x)[i], accumulated in double (as the decoding package computes it). */
    private static double logProb(float[] x, int i) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) max = Math.max(max, v);
        double sum = 0;
        for (float v : x) sum += Math.exp(v - max);
        return x[i] - (max + Math.log(sum));
    }

    private static int indexOf(int[] a, int value) {
        for (int i = 0; i < a.length; i++) if (a[i] == value) return i;
        return 0;
    }
}
