package io.auricle.output;

import io.auricle.transcribe.Segment;
import io.auricle.transcribe.Transcription;
import io.auricle.transcribe.Word;

import java.util.ArrayList;
import java.util.List;

/**
 * The cue layout shared by SRT and VTT, ported from openai-whisper's SubtitlesWriter.iterate_result: one cue
 * per segment, or, with word timestamps, cues built from words under the line-width, line-count and
 * words-per-line limits, optionally one cue per word with that word underlined.
 */
public abstract sealed class SubtitlesWriter implements ResultWriter permits SrtWriter, VttWriter {

    /** One subtitle cue with its formatted times. */
    public record Cue(String start, String end, String text) {}

    /** A word as laid out: its text may have gained a leading line break or lost its leading space. */
    private record Piece(double start, double end, String text) {}

    private final boolean alwaysIncludeHours;
    private final char decimalMarker;

    SubtitlesWriter(boolean alwaysIncludeHours, char decimalMarker) {
        this.alwaysIncludeHours = alwaysIncludeHours;
        this.decimalMarker = decimalMarker;
    }

    String formatTimestamp(double seconds) {
        return Timestamps.format(seconds, alwaysIncludeHours, decimalMarker);
    }

    /**
     * The cues for a result. Word-level layout is used when any segment has words (the reference asks whether
     * the first segment has a "words" key; our segments always have a list, empty without word timestamps).
     */
    public List<Cue> cues(Transcription result, WriterOptions options) {
        List<Segment> segments = result.segments();
        List<Cue> cues = new ArrayList<>();
        if (segments.stream().noneMatch(s -> !s.words().isEmpty())) {
            for (Segment s : segments) {
                cues.add(new Cue(formatTimestamp(s.start()), formatTimestamp(s.end()),
                        PythonText.strip(s.text()).replace("-->", "->")));
            }
            return cues;
        }
        for (List<Piece> subtitle : subtitles(segments, options)) {
            String start = formatTimestamp(subtitle.getFirst().start());
            String end = formatTimestamp(subtitle.getLast().end());
            StringBuilder text = new StringBuilder();
            for (Piece p : subtitle) text.append(p.text());
            if (!options.highlightWords()) {
                cues.add(new Cue(start, end, text.toString()));
                continue;
            }
            String last = start;
            for (int i = 0; i < subtitle.size(); i++) {
                String wordStart = formatTimestamp(subtitle.get(i).start());
                String wordEnd = formatTimestamp(subtitle.get(i).end());
                if (!last.equals(wordStart)) cues.add(new Cue(last, wordStart, text.toString()));
                StringBuilder highlighted = new StringBuilder();
                for (int j = 0; j < subtitle.size(); j++) {
                    String w = subtitle.get(j).text();
                    highlighted.append(j == i ? underline(w) : w);
                }
                cues.add(new Cue(wordStart, wordEnd, highlighted.toString()));
                last = wordEnd;
            }
        }
        return cues;
    }

    /** Groups the words into subtitles, each a list of pieces whose texts join into the cue text. */
    private static List<List<Piece>> subtitles(List<Segment> segments, WriterOptions options) {
        boolean preserveSegments = options.maxLineCount() == 0 || options.maxLineWidth() == 0;
        int maxLineWidth = options.maxLineWidth() == 0 ? 1000 : options.maxLineWidth();
        int maxWordsPerLine = options.maxWordsPerLine() == 0 ? 1000 : options.maxWordsPerLine();
        boolean limitLines = options.maxLineCount() != 0;

        List<List<Piece>> subtitles = new ArrayList<>();
        int lineLen = 0;
        int lineCount = 1;
        List<Piece> subtitle = new ArrayList<>();
        double last = firstStart(segments);
        for (Segment segment : segments) {
            List<Word> words = segment.words();
            int chunkIndex = 0;
            int wordsCount = maxWordsPerLine;
            while (chunkIndex < words.size()) {
                int remaining = words.size() - chunkIndex;
                if (maxWordsPerLine > remaining) wordsCount = remaining;
                for (int i = 0; i < wordsCount; i++) {
                    Word timing = words.get(chunkIndex + i);
                    String text = timing.word();
                    boolean longPause = !preserveSegments && timing.start() - last > 3.0;
                    boolean hasRoom = lineLen + PythonText.length(text) <= maxLineWidth;
                    boolean segmentBreak = i == 0 && !subtitle.isEmpty() && preserveSegments;
                    if (lineLen > 0 && hasRoom && !longPause && !segmentBreak) {
                        lineLen += PythonText.length(text); // line continuation
                    } else {
                        text = PythonText.strip(text);
                        if (!subtitle.isEmpty() && limitLines && (longPause || lineCount >= options.maxLineCount())
                                || segmentBreak) {
                            subtitles.add(subtitle);
                            subtitle = new ArrayList<>();
                            lineCount = 1;
                        } else if (lineLen > 0) {
                            lineCount++;
                            text = "\n" + text;
                        }
                        lineLen = PythonText.length(PythonText.strip(text));
                    }
                    subtitle.add(new Piece(timing.start(), timing.end(), text));
                    last = timing.start();
                }
                chunkIndex += maxWordsPerLine;
            }
        }
        if (!subtitle.isEmpty()) subtitles.add(subtitle);
        return subtitles;
    }

    /** utils.get_start: the first word's start, else the first segment's start; the reference's "or 0.0". */
    private static double firstStart(List<Segment> segments) {
        for (Segment s : segments) if (!s.words().isEmpty()) return s.words().getFirst().start();
        return segments.isEmpty() ? 0.0 : segments.getFirst().start();
    }

    /**
     * {@code re.sub(r"^(\s*)(.*)$", r"\1<u>\2</u>", word)}: underline after the leading whitespace. The
     * pattern's {@code .} stops at a line break and {@code $} may sit before one final {@code \n}; a word with
     * any other line break after its leading whitespace does not match and stays as it is.
     */
    static String underline(String word) {
        int lead = 0;
        while (lead < word.length() && PythonText.isSpace(word.charAt(lead))) lead++;
        String rest = word.substring(lead);
        int newline = rest.indexOf('\n');
        if (newline < 0) return word.substring(0, lead) + "<u>" + rest + "</u>";
        if (newline == rest.length() - 1)
            return word.substring(0, lead) + "<u>" + rest.substring(0, newline) + "</u>\n";
        return word;
    }
}
