package io.auricle.vad;

import io.auricle.transcribe.Word;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where the words of a {@code ljspeech_lj001_longform} transcript fall among the clips of its
 * {@code segments.tsv} (start, end and text of every clip): shared by the VAD and batched end-to-end tests.
 */
public record LongformClips(int outside, int inItsClip) {

    /** Counts the words starting outside every clip's span (0.2 s early, 0.1 s late allowed) and those in their clip's text. */
    public static LongformClips place(List<Word> words, Path setDir) throws IOException {
        List<String[]> clips = Files.readAllLines(setDir.resolve("segments.tsv")).stream().skip(1)
                .map(line -> line.split("\t")).toList();
        int outside = 0, inItsClip = 0;
        for (Word w : words) {
            String[] clip = null;
            for (String[] c : clips) {
                if (w.start() >= Double.parseDouble(c[1]) - 0.2 && w.start() <= Double.parseDouble(c[2]) + 0.1) {
                    clip = c;
                    break;
                }
            }
            if (clip == null) {
                outside++;
            } else if (normalizedWords(clip[3]).contains(normalize(w.word()))) {
                inItsClip++;
            }
        }
        return new LongformClips(outside, inItsClip);
    }

    static String normalize(String word) {
        return word.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9']", "");
    }

    static Set<String> normalizedWords(String text) {
        Set<String> out = new HashSet<>();
        for (String w : text.split("\\s+")) out.add(normalize(w));
        return out;
    }
}
