package io.auricle.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.audio.AudioFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * edge_cases with tiny.en and word timestamps: no words at all on silence and noise; on
 * declaration_sil20start_sil20mid (digital zero at 0-20 s and 80.9-100.9 s, see the set's SOURCE.md) no word
 * inside either silence, none starting inside one, the first word after the leading silence starting at
 * most 50 ms early, and speech found on both sides of the gap (with the default refined word timings).
 */
@Tag("slow")
class EdgeCasesTest {
    static final Path EDGE = Path.of(System.getProperty("auricle.speech.dir", "../shared/data/speech"), "edge_cases");

    static List<Segment> transcribe(String file) {
        return WhisperEngineTest.engine().transcribe(AudioFile.readAll(EDGE.resolve(file)),
                TranscribeOptions.defaults().withWordTimestamps(true)).segments().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"silence_30s_16k.flac", "white_noise_m40dbfs_30s_16k.flac", "pink_noise_5s_16k.flac"})
    void noWordsOnSilenceOrNoise(String file) {
        List<Segment> segments = transcribe(file);
        assertEquals(List.of(), segments.stream().flatMap(s -> s.words().stream()).toList(), file);
    }

    @Test
    void noWordsInsideTheSilences() {
        List<Segment> segments = transcribe("declaration_sil20start_sil20mid_22k.flac");
        List<Word> words = segments.stream().flatMap(s -> s.words().stream()).toList();
        assertFalse(words.isEmpty());
        for (Word w : words) {
            // No word lies inside a silence. The reference's DTW stretches the edge words into them (" When"
            // 19.58-20.26 s, " and" 79.90-82.98 s, " happiness." 82.98-82.98 s); SilenceClamp moves them out.
            assertFalse(w.end() <= 20.0 + 0.02, "word inside the leading silence: " + w);
            assertFalse(w.start() >= 80.9 - 0.02 && w.end() <= 100.9 + 0.02, "word inside the 80.9-100.9 s silence: " + w);
            assertTrue(w.start() >= 20.0 - 0.05, "word reaching into the leading silence: " + w);
            boolean spansGap = w.start() < 80.9 && w.end() > 100.9;
            assertFalse(spansGap, "word across the gap: " + w);
            assertFalse(w.end() > 80.9 + 0.5 && w.start() < 100.9 - 0.5, "word reaching 0.5 s into the gap: " + w);
        }
        assertTrue(words.stream().anyMatch(w -> w.end() < 81.2), "speech before the gap");
        assertTrue(words.stream().anyMatch(w -> w.start() > 100.7), "speech after the gap");
        for (Segment s : segments) {
            boolean segmentInGap = s.start() >= 80.9 + 0.5 && s.end() <= 100.9 - 0.5;
            assertFalse(segmentInGap, "segment inside the silence: " + s.start() + "-" + s.end() + s.text());
        }
    }
}
