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
 * row the result it would have on its own (below the GEMM threshold of 16 rows the kernels work row by row).
 */
final class BatchDecoder {
    private final WhisperModel model;
    private final Tokenizer tokenizer;
    private final DecodingOptions options;
    private final int[] initialTokens;
    private final int sotIndex;
    private final int sampleLen;
    private final List<LogitFilter> filters = new ArrayList<>();

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
    }

    /** Decodes each window (its encoder output) and returns the results in the same order. */
    List<DecodingResult> decode(List<float[]> audioFeatures) {
        int n = audioFeatures.size();
        KvCache[] caches = new KvCache[n];
        float[][] logits = new float[n][];
        double[] noSpeech = new double[n];
        GreedyDecoder[] decoders = new GreedyDecoder[n];
        int[][] tokens = new int[n][];
        int[] length = new int[n];
        for (int i = 0; i < n; i++) {
            // the prompt row by row per window, as DecodingTask reads it (a 4-token prefill is cheap)
            caches[i] = model.newCache(audioFeatures.get(i));
            float[] hidden = model.forward(initialTokens, caches[i], null);
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
            int fed = 0;
            int[] next = new int[liveCount];
            for (int k = 0; k < liveCount; k++) {
                int i = live[k];
                int[] sofar = Arrays.copyOf(tokens[i], length[i]);
                for (LogitFilter f : filters) f.apply(logits[i], sofar);
                int token = decoders[i].next(logits[i]);
                if (token == tokenizer.eot()) continue;
                tokens[i][length[i]++] = token;
                if (step + 1 < sampleLen) {
                    live[fed] = i;
                    next[fed++] = token;
                }
            }
            liveCount = fed;
            if (fed == 0) break;
            KvCache[] stepCaches = new KvCache[fed];
            for (int k = 0; k < fed; k++) stepCaches[k] = caches[live[k]];
            float[][] out = model.step(Arrays.copyOf(next, fed), stepCaches);
            for (int k = 0; k < fed; k++) logits[live[k]] = out[k];
        }
        List<DecodingResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int[] sampled = Arrays.copyOfRange(tokens[i], initialTokens.length, length[i]);
            String text = tokenizer.decode(Arrays.stream(sampled).filter(t -> t < tokenizer.eot()).toArray()).strip();
            double sum = decoders[i].sumLogProb();
            results.add(new DecodingResult(sampled, text, sum / (sampled.length + 1), sum, noSpeech[i],
                    options.temperature(), DecodingTask.compressionRatio(text)));
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
