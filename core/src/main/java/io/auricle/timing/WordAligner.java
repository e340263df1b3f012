package io.auricle.timing;

import io.auricle.tokenizer.Tokenizer;
import io.auricle.tokenizer.WordTokens;
import io.auricle.transcribe.Segment;
import io.auricle.transcribe.Word;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Word timestamps from the cross-attention of the alignment heads, as openai-whisper's timing.find_alignment
 * and add_word_timestamps.
 *
 * <p>The attention is that of the reference's alignment pass over one window: rows are the tokens
 * {@code sot sequence…, <|notimestamps|>, text tokens…, <|endoftext|>}, columns the encoder's audio frames
 * (the first {@code numFrames / 2} are used). Per head the weights are softmaxed over those frames,
 * normalised over the tokens ({@code (w - mean) / std}), median-filtered along the frames; the heads are
 * averaged, and DTW on the negated matrix (without the sot rows and the last row) pairs tokens with frames.
 *
 * <p>For the segments decoded from one window:
 * <pre>{@code
 * WordAligner aligner = WordAligner.of(tokenizer, language);
 * AlignmentPass.Result pass = AlignmentPass.run(model, audioFeatures, tokenizer.sotSequence(language, task),
 *         tokenizer.noTimestamps(), tokenizer.eot(), aligner.textTokens(segments));
 * segments = aligner.addWordTimestamps(segments, pass.attention(), WordAligner.Attention.PROBABILITIES,
 *         pass.textTokenProbs(), segmentFrames, lastSpeechTimestamp);
 * }</pre>
 */
public final class WordAligner {

    /** Audio frames per second at the encoder's output (20 ms each). */
    public static final int TOKENS_PER_SECOND = 50;

    /** How the captured attention is given: before the softmax (the reference's QK) or after it. */
    public enum Attention {
        /** Pre-softmax scores; softmaxed here over the first numFrames / 2 frames, exactly as the reference. */
        LOGITS,
        /** Softmax weights over all frames; renormalised here over the first numFrames / 2 frames. */
        PROBABILITIES
    }

    /** The tokenizer's split_to_word_tokens for the window's language. */
    @FunctionalInterface
    public interface WordSplitter {
        List<WordTokens> split(int[] tokens);
    }

    /** The reference's knobs: medfilt_width, qk_scale and the punctuation sets. */
    public record Options(int medianFilterWidth, double qkScale, String prependPunctuations,
                          String appendPunctuations) {
        public static final Options DEFAULTS = new Options(7, 1.0, Punctuation.PREPENDED, Punctuation.APPENDED);
    }

    private final WordSplitter splitter;
    private final int eot;
    private final Options options;

    public WordAligner(WordSplitter splitter, int eot, Options options) {
        this.splitter = splitter;
        this.eot = eot;
        this.options = options;
    }

    public WordAligner(WordSplitter splitter, int eot) {
        this(splitter, eot, Options.DEFAULTS);
    }

    /** Splits words as {@code tokenizer} does for {@code language} (null for English-only models). */
    public static WordAligner of(Tokenizer tokenizer, String language, Options options) {
        return new WordAligner(tokens -> tokenizer.splitToWordTokens(tokens, language), tokenizer.eot(), options);
    }

    public static WordAligner of(Tokenizer tokenizer, String language) {
        return of(tokenizer, language, Options.DEFAULTS);
    }

    /**
     * find_alignment: the words of {@code textTokens} with their spans in seconds from the window start and
     * the mean probability of their tokens. {@code attention} is [heads][tokens][frames] as described above;
     * {@code textTokenProbs[k]} is the probability the model gave {@code textTokens[k]}.
     */
    public List<WordTiming> findAlignment(float[][][] attention, Attention kind, int[] textTokens,
                                          float[] textTokenProbs, int numFrames) {
        if (textTokens.length == 0) return List.of();
        if (textTokenProbs.length != textTokens.length)
            throw new IllegalArgumentException(textTokenProbs.length + " probabilities for " + textTokens.length + " tokens");
        float[][] matrix = matrix(attention, kind, numFrames, textTokens.length, options);
        int rows = textTokens.length + 1; // <|notimestamps|> and the text tokens
        int first = matrix.length - 1 - rows;
        int frames = matrix[0].length;
        float[] cost = new float[rows * frames];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < frames; f++) cost[r * frames + f] = -matrix[first + r][f];
        }
        Dtw.Path path = Dtw.align(cost, rows, frames);

        int[] withEot = Arrays.copyOf(textTokens, textTokens.length + 1);
        withEot[textTokens.length] = eot;
        List<WordTokens> words = splitter.split(withEot);
        if (words.size() <= 1) return List.of();
        int[] boundaries = new int[words.size()];
        for (int w = 1; w < words.size(); w++) boundaries[w] = boundaries[w - 1] + words.get(w - 1).tokens().length;

        double[] jumpTimes = new double[path.length()];
        int jumps = 0;
        for (int k = 0; k < path.length(); k++) {
            if (k == 0 || path.textIndices()[k] != path.textIndices()[k - 1]) {
                jumpTimes[jumps++] = path.timeIndices()[k] / (double) TOKENS_PER_SECOND;
            }
        }
        List<WordTiming> alignment = new ArrayList<>();
        for (int w = 0; w + 1 < words.size(); w++) {
            int from = boundaries[w], to = boundaries[w + 1];
            if (to >= jumps) break; // only when the splitter's tokens disagree with textTokens
            alignment.add(new WordTiming(words.get(w).word(), words.get(w).tokens(), jumpTimes[from], jumpTimes[to],
                    mean(textTokenProbs, from, to)));
        }
        return alignment;
    }

    /**
     * add_word_timestamps for the segments decoded from one window: aligns their text tokens, shortens
     * implausibly long words at sentence and segment boundaries, merges punctuation into words, and returns
     * the segments with their words (times rounded to 10 ms on the audio timeline) and start/end adjusted as
     * the reference adjusts them. {@code lastSpeechTimestamp} is the end of speech before this window.
     */
    public List<Segment> addWordTimestamps(List<Segment> segments, float[][][] attention, Attention kind,
                                           float[] textTokenProbs, int numFrames, double lastSpeechTimestamp) {
        if (segments.isEmpty()) return segments;
        List<int[]> textTokensPerSegment = new ArrayList<>();
        for (Segment s : segments) textTokensPerSegment.add(Arrays.stream(s.tokens()).filter(t -> t < eot).toArray());
        int[] textTokens = textTokens(segments);
        WordTiming[] alignment = findAlignment(attention, kind, textTokens, textTokenProbs, numFrames)
                .toArray(WordTiming[]::new);

        double[] durations = Arrays.stream(alignment).mapToDouble(t -> t.end() - t.start()).filter(d -> d != 0).toArray();
        double medianDuration = Math.min(0.7, durations.length > 0 ? median(durations) : 0.0);
        double maxDuration = medianDuration * 2;

        // the reference's hack: no word at a sentence boundary longer than twice the median word
        if (durations.length > 0) {
            String sentenceEndMarks = ".\u3002!\uff01?\uff1f";
            for (int i = 1; i < alignment.length; i++) {
                WordTiming t = alignment[i];
                if (t.end() - t.start() > maxDuration) {
                    if (sentenceEndMarks.contains(t.word())) {
                        alignment[i] = t.withSpan(t.start(), t.start() + maxDuration);
                    } else if (sentenceEndMarks.contains(alignment[i - 1].word())) {
                        alignment[i] = t.withSpan(t.end() - maxDuration, t.end());
                    }
                }
            }
        }
        Punctuation.merge(alignment, options.prependPunctuations(), options.appendPunctuations());

        double timeOffset = segments.getFirst().seek() * 160 / 16000.0; // seek * HOP_LENGTH / SAMPLE_RATE
        int wordIndex = 0;
        List<Segment> out = new ArrayList<>();
        for (int si = 0; si < segments.size(); si++) {
            Segment segment = segments.get(si);
            int segmentTokens = textTokensPerSegment.get(si).length;
            int savedTokens = 0;
            List<double[]> spans = new ArrayList<>(); // [start, end] per word, adjusted below
            List<WordTiming> timings = new ArrayList<>();
            while (wordIndex < alignment.length && savedTokens < segmentTokens) {
                WordTiming timing = alignment[wordIndex];
                if (!timing.word().isEmpty()) {
                    spans.add(new double[] {round2(timeOffset + timing.start()), round2(timeOffset + timing.end())});
                    timings.add(timing);
                }
                savedTokens += timing.tokens().length;
                wordIndex++;
            }
            double start = segment.start(), end = segment.end();
            if (!spans.isEmpty()) {
                double[] first = spans.getFirst();
                // the first and second word after a pause: no longer than twice the median word
                if (first[1] - lastSpeechTimestamp > medianDuration * 4
                        && (first[1] - first[0] > maxDuration
                        || (spans.size() > 1 && spans.get(1)[1] - first[0] > maxDuration * 2))) {
                    if (spans.size() > 1 && spans.get(1)[1] - spans.get(1)[0] > maxDuration) {
                        double boundary = Math.max(spans.get(1)[1] / 2, spans.get(1)[1] - maxDuration);
                        first[1] = spans.get(1)[0] = boundary;
                    }
                    first[0] = Math.max(0, first[1] - maxDuration);
                }
                // prefer the segment's own start if the first word is too long
                if (start < first[1] && start - 0.5 > first[0]) {
                    first[0] = Math.max(0, Math.min(first[1] - medianDuration, start));
                } else {
                    start = first[0];
                }
                // prefer the segment's own end if the last word is too long
                double[] last = spans.getLast();
                if (end > last[0] && end + 0.5 < last[1]) {
                    last[1] = Math.max(last[0] + medianDuration, end);
                } else {
                    end = last[1];
                }
                lastSpeechTimestamp = end;
            }
            List<Word> words = new ArrayList<>();
            for (int w = 0; w < spans.size(); w++) {
                words.add(new Word(spans.get(w)[0], spans.get(w)[1], timings.get(w).word(), timings.get(w).probability()));
            }
            out.add(new Segment(segment.id(), segment.seek(), start, end, segment.text(), segment.tokens(),
                    segment.temperature(), segment.avgLogprob(), segment.compressionRatio(), segment.noSpeechProb(),
                    List.copyOf(words)));
        }
        return out;
    }

    /** The text tokens of the segments (their tokens below eot: no timestamps), in order. */
    public int[] textTokens(List<Segment> segments) {
        return segments.stream().flatMapToInt(s -> Arrays.stream(s.tokens())).filter(t -> t < eot).toArray();
    }

    /**
     * The head-averaged, normalised, filtered attention [tokens][frames] over all rows of {@code attention}
     * (the reference's {@code matrix} before it drops the sot rows and the last row).
     */
    static float[][] matrix(float[][][] attention, Attention kind, int numFrames, int textTokens, Options options) {
        int heads = attention.length;
        if (heads == 0) throw new IllegalArgumentException("no alignment heads");
        int rows = attention[0].length;
        if (rows < textTokens + 2)
            throw new IllegalArgumentException(rows + " attention rows for " + textTokens + " text tokens");
        // a window shorter than two mel frames still has one audio frame
        int frames = Math.max(1, numFrames / 2);
        double[][] acc = new double[rows][frames];
        float[][] w = new float[rows][];
        for (float[][] head : attention) {
            if (head.length != rows) throw new IllegalArgumentException("heads differ in their number of rows");
            for (int r = 0; r < rows; r++) {
                if (head[r].length < frames)
                    throw new IllegalArgumentException(head[r].length + " attention frames for " + numFrames + " mel frames");
                w[r] = kind == Attention.LOGITS ? softmax(head[r], frames, options.qkScale()) : renormalise(head[r], frames);
            }
            standardiseOverTokens(w, frames);
            for (int r = 0; r < rows; r++) {
                float[] filtered = MedianFilter.apply(w[r], options.medianFilterWidth());
                for (int f = 0; f < frames; f++) acc[r][f] += filtered[f];
            }
        }
        float[][] mean = new float[rows][frames];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < frames; f++) mean[r][f] = (float) (acc[r][f] / heads);
        }
        return mean;
    }

    private static float[] softmax(float[] logits, int frames, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (int f = 0; f < frames; f++) max = Math.max(max, (float) (logits[f] * scale));
        double[] e = new double[frames];
        double total = 0;
        for (int f = 0; f < frames; f++) total += e[f] = Math.exp((float) (logits[f] * scale) - max);
        float[] p = new float[frames];
        for (int f = 0; f < frames; f++) p[f] = (float) (e[f] / total);
        return p;
    }

    private static float[] renormalise(float[] weights, int frames) {
        double total = 0;
        for (int f = 0; f < frames; f++) total += weights[f];
        float[] p = new float[frames];
        // all the attention beyond the window: no preference among its frames
        for (int f = 0; f < frames; f++) p[f] = total > 0 ? (float) (weights[f] / total) : 1f / frames;
        return p;
    }

    /** (w - mean) / std over the tokens at each frame, population std as torch.std_mean(unbiased=False). */
    private static void standardiseOverTokens(float[][] w, int frames) {
        int rows = w.length;
        for (int f = 0; f < frames; f++) {
            double mean = 0;
            for (float[] row : w) mean += row[f];
            mean /= rows;
            double var = 0;
            for (float[] row : w) var += (row[f] - mean) * (row[f] - mean);
            float m = (float) mean;
            float std = (float) Math.sqrt(var / rows);
            // equal weights for every token (the reference divides 0 by 0 here): no information, zero
            for (float[] row : w) row[f] = std > 0 ? (row[f] - m) / std : 0f;
        }
    }

    /** np.mean of probs[from, to): numpy's pairwise summation, first element first. */
    static double mean(float[] probs, int from, int to) {
        int n = to - from;
        if (n == 0) return Double.NaN; // numpy's mean of nothing
        return (probs[from] + pairwiseSum(probs, from + 1, n - 1)) / n;
    }

    private static double pairwiseSum(float[] a, int from, int n) {
        if (n < 8) {
            double s = 0;
            for (int i = 0; i < n; i++) s += a[from + i];
            return s;
        }
        if (n <= 128) {
            double[] r = new double[8];
            for (int j = 0; j < 8; j++) r[j] = a[from + j];
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) r[j] += a[from + i + j];
            }
            double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) s += a[from + i];
            return s;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Python's round(x, 2): the exact binary value rounded half to even. */
    static double round2(double x) {
        if (!Double.isFinite(x)) return x;
        return new BigDecimal(x).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
    }
}
