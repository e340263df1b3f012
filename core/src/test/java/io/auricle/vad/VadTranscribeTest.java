package io.auricle.vad;

import io.auricle.audio.AudioFile;
import io.auricle.transcribe.Segment;
import io.auricle.transcribe.TranscribeOptions;
import io.auricle.transcribe.Transcription;
import io.auricle.transcribe.WhisperEngine;
import io.auricle.transcribe.Word;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transcription of the speech only (tiny.en), end to end: the times come back on the original timeline where the
 * speech is. Slow: minutes of audio. Run with bin/test -Pslow (or -Dgroups=slow).
 */
@Tag("slow")
class VadTranscribeTest {

    static final Path SPEECH = Path.of(System.getProperty("auricle.speech.dir", "../shared/data/speech"));
    static WhisperEngine engine;
    static SileroVad vad;

    @BeforeAll
    static void load() {
        engine = WhisperEngine.load("tiny.en");
        vad = SileroVad.load();
    }

    static Transcription transcribe(Path file, boolean words) {
        VadFilter filter = VadFilter.apply(vad, AudioFile.readAll(file), VadOptions.defaults());
        return filter.restore(engine.transcribe(filter.speech(),
                TranscribeOptions.defaults().withWordTimestamps(words)).toTranscription());
    }

    /** Digital zero at 0-20 s and 80.9-100.9 s (edge_cases/SOURCE.md); the VAD cuts both out. */
    @Test
    void declarationWithSilences() {
        Path file = SPEECH.resolve("edge_cases/declaration_sil20start_sil20mid_22k.flac");
        Transcription t = transcribe(file, true);
        assertEquals(160.286, t.duration(), 0.001);
        List<Word> words = t.segments().stream().flatMap(s -> s.words().stream()).toList();
        assertTrue(words.size() > 250, "words: " + words.size());
        for (Word w : words) {
            // the chunk padding (0.4 s) lies in the silence; a word's edge may reach into it by 0.2 s, not more
            assertFalse(w.start() < 20.0 - 0.2, "word in the leading silence: " + w);
            assertFalse(w.start() < 100.9 - 0.2 && w.end() > 80.9 + 0.2, "word inside the 80.9-100.9 s silence: " + w);
        }
        assertTrue(words.stream().anyMatch(w -> w.end() > 80.0 && w.end() < 81.1), "speech up to the gap");
        assertTrue(words.stream().anyMatch(w -> w.start() > 100.9 && w.start() < 102), "speech right after the gap");

        // Without words, segment times map as spans: no segment stretches across the gap (faster-whisper #1119).
        Transcription segments = transcribe(file, false);
        for (Segment s : segments.segments()) {
            assertFalse(s.start() < 80.9 && s.end() > 81.2, "segment stretched over the gap: " + s.start() + "-"
                    + s.end() + s.text());
            assertFalse(s.start() < 19.5, "segment in the leading silence: " + s.start() + s.text());
        }
        assertTrue(segments.segments().stream().anyMatch(s -> s.end() > 80.0 && s.end() <= 81.2), "a segment ends at the gap");
        assertTrue(segments.segments().stream().anyMatch(s -> s.start() > 100.4 && s.start() < 102), "one starts after it");
    }

    /**
     * 1252 s of LJ Speech clips with 0.3 s between them (segments.tsv gives each clip's span and text): each word
     * starts inside a clip's span, and the clip it starts in holds that word.
     */
    @Test
    void ljspeechLongformWordsFallInTheirClips() throws IOException {
        Path dir = SPEECH.resolve("ljspeech_lj001_longform");
        Transcription t = transcribe(dir.resolve("ljspeech_lj001_longform.flac"), true);
        List<Word> words = t.segments().stream().flatMap(s -> s.words().stream()).toList();
        LongformClips placed = LongformClips.place(words, dir);
        int outside = placed.outside(), inItsClip = placed.inItsClip();
        System.out.printf("ljspeech longform: %d words, %d start outside every clip, %d found in their clip's text%n",
                words.size(), outside, inItsClip);
        assertTrue(words.size() > 2500, "words: " + words.size());
        assertTrue(outside <= words.size() / 200, outside + " words start between clips");
        assertTrue(inItsClip >= 0.85 * words.size(), inItsClip + " of " + words.size() + " words in their clip's text");
    }
}
