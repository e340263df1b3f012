package io.auricle.timing;

import io.auricle.transcribe.Segment;
import io.auricle.transcribe.Word;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves word edges out of silence, a deliberate improvement over the reference. DTW gives every audio frame
 * of a window to some token, so the words next to a pause are stretched over it: openai-whisper and
 * faster-whisper put words inside 20 s of digital silence. After alignment, the stretches where the
 * spectrogram lies at its floor (every mel bin within {@link #MARGIN} of the recording's clamp floor: no
 * sound within ~70 dB of the loudest frame) for at least {@link #MIN_FRAMES} frames are taken as silent, and
 * the words touching each stretch are squeezed, keeping their order and relative lengths, to its sides:
 * those that begin before it (and the inside words nearer its start) end at its start, the rest begin at
 * its end. A segment's start and end then follow its first and last words.
 */
public final class SilenceClamp {
    /** Log-mel units (40 dB each) above the floor still taken as silence: 0.25 is 10 dB. */
    static final float MARGIN = 0.25f;
    /** Shortest silent stretch, in mel frames (0.2 s): shorter pauses are left to the aligner. */
    static final int MIN_FRAMES = 20;
    private static final double FRAMES_PER_SECOND = 100.0;
    /** Word times are rounded to 10 ms: a word this close to a silence touches it. */
    private static final double EDGE = 0.011;

    private SilenceClamp() {}

    /**
     * The silent stretches [start, end] in seconds among mel frames {@code [from, from + frames)}, on the
     * timeline of the spectrogram; {@code floor} is the recording's lowest log-mel value.
     */
    public static List<double[]> silences(float[][] mel, int from, int frames, float floor) {
        List<double[]> out = new ArrayList<>();
        int runStart = -1;
        for (int f = from; f <= from + frames; f++) {
            boolean silent = f < from + frames && isSilent(mel, f, floor);
            if (silent && runStart < 0) runStart = f;
            if (!silent && runStart >= 0) {
                if (f - runStart >= MIN_FRAMES) out.add(new double[] {runStart / FRAMES_PER_SECOND, f / FRAMES_PER_SECOND});
                runStart = -1;
            }
        }
        return out;
    }

    private static boolean isSilent(float[][] mel, int frame, float floor) {
        for (float[] bin : mel) if (bin[frame] > floor + MARGIN) return false;
        return true;
    }

    /** The segments with their words squeezed out of {@code silences} and their spans following their words. */
    public static List<Segment> apply(List<Segment> segments, List<double[]> silences) {
        if (silences.isEmpty()) return segments;
        List<double[]> spans = new ArrayList<>();
        for (Segment s : segments) for (Word w : s.words()) spans.add(new double[] {w.start(), w.end()});
        if (spans.isEmpty()) return segments;
        for (double[] silence : silences) squeeze(spans, silence[0], silence[1]);
        List<Segment> out = new ArrayList<>();
        int k = 0;
        for (Segment s : segments) {
            if (s.words().isEmpty()) {
                out.add(s);
                continue;
            }
            List<Word> words = new ArrayList<>();
            for (Word w : s.words()) {
                double[] span = spans.get(k++);
                words.add(new Word(round2(span[0]), round2(span[1]), w.word(), w.probability()));
            }
            out.add(new Segment(s.id(), s.seek(), words.getFirst().start(), words.getLast().end(), s.text(), s.tokens(),
                    s.temperature(), s.avgLogprob(), s.compressionRatio(), s.noSpeechProb(), List.copyOf(words)));
        }
        return out;
    }

    /**
     * Squeezes the words meeting the silence [a, b] to its sides. The left group is the last word starting before
     * {@code a} with the inside words whose middle is nearer {@code a}; the right group the rest up to the first
     * word ending after {@code b}. A side with no word beyond the silence gives its inside words to the other.
     */
    static void squeeze(List<double[]> spans, double a, double b) {
        int first = -1, last = -1; // the words meeting the silence
        for (int i = 0; i < spans.size(); i++) {
            double[] s = spans.get(i);
            if (s[1] > a && s[0] < b || s[0] >= a && s[1] <= b) {
                if (first < 0) first = i;
                last = i;
            }
        }
        if (first < 0) return;
        boolean leftAnchor = spans.get(first)[0] < a;
        boolean rightAnchor = spans.get(last)[1] > b;
        // DTW's words are contiguous: a word ending right at the silence anchors the words after it
        if (!leftAnchor && first > 0 && spans.get(first - 1)[1] >= a - EDGE) {
            first--;
            leftAnchor = true;
        }
        if (!rightAnchor && last + 1 < spans.size() && spans.get(last + 1)[0] <= b + EDGE) {
            last++;
            rightAnchor = true;
        }
        if (!leftAnchor && !rightAnchor) return; // all inside the silence: nowhere better to put them
        if (first == last && leftAnchor && rightAnchor) { // one word across the silence: keep its longer side
            double[] s = spans.get(first);
            if (a - s[0] >= s[1] - b) s[1] = a; else s[0] = b;
            return;
        }
        int split; // words [first, split) go left, [split, last] right
        if (!leftAnchor) {
            split = first;
        } else if (!rightAnchor) {
            split = last + 1;
        } else {
            split = first + 1;
            while (split < last && mid(spans.get(split)) < (a + b) / 2) split++;
        }
        if (split > first) scale(spans, first, split, spans.get(first)[0], Math.min(a, spans.get(split - 1)[1]));
        if (split <= last) scale(spans, split, last + 1, Math.max(b, spans.get(split)[0]), spans.get(last)[1]);
    }

    private static double mid(double[] span) {
        return (span[0] + span[1]) / 2;
    }

    /** Maps the spans of words [from, to) linearly from their own extent onto [start, end]. */
    private static void scale(List<double[]> spans, int from, int to, double start, double end) {
        double lo = spans.get(from)[0], hi = spans.get(to - 1)[1];
        double factor = hi > lo ? (end - start) / (hi - lo) : 0;
        for (int i = from; i < to; i++) {
            double[] s = spans.get(i);
            s[0] = start + (s[0] - lo) * factor;
            s[1] = start + (s[1] - lo) * factor;
        }
    }

    private static double round2(double x) {
        return WordAligner.round2(x);
    }
}
