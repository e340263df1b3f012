package io.auricle.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.audio.AudioFile;
import io.auricle.vad.LongformClips;
import io.auricle.vad.SileroVad;
import io.auricle.vad.SpeechChunk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The batched pipeline end to end (tiny.en, batch 8): times come back on the original timeline where the speech
 * is. Slow: minutes of audio. Run with {@code -Pslow -Dtest=BatchedTranscribeTest}.
 */
@Tag("slow")
class BatchedTranscribeTest {
    static final Path SPEECH = Path.of(System.getProperty("auricle.speech.dir", "../shared/data/speech"));
    static WhisperEngine engine;

    @BeforeAll
    static void load() {
        engine = WhisperEngine.load("tiny.en");
    }

    static Transcription transcribe(float[] audio, boolean words) {
        return engine.transcribe(audio, TranscribeOptions.defaults().withBatchSize(8).withWordTimestamps(words))
                .toTranscription();
    }

    /** Digital zero at 0-20 s and 80.9-100.9 s (edge_cases/SOURCE.md). */
    @Test
    void declarationWithSilences() {
        float[] audio = AudioFile.readAll(SPEECH.resolve("edge_cases/declaration_sil20start_sil20mid_22k.flac"));
        Transcription t = transcribe(audio, true);
        assertEquals(160.286, t.duration(), 0.001);
        List<Word> words = t.segments().stream().flatMap(s -> s.words().stream()).toList();
        assertTrue(words.size() > 250, "words: " + words.size());
        for (Word w : words) {
            assertFalse(w.start() < 20.0 - 0.2, "word in the leading silence: " + w);
            assertFalse(w.start() < 100.9 - 0.2 && w.end() > 80.9 + 0.2, "word inside the 80.9-100.9 s silence: " + w);
        }
        assertTrue(words.stream().anyMatch(w -> w.end() > 80.0 && w.end() < 81.1), "speech up to the gap");
        assertTrue(words.stream().anyMatch(w -> w.start() > 100.9 && w.start() < 102), "speech right after the gap");

        // Without words a segment spans its window: it starts at its first chunk's speech and ends where its
        // last chunk ends, never at the next chunk's start (faster-whisper #1119).
        List<SpeechChunk> chunks = BatchedPipeline.findSpeech(SileroVad.load(), audio, audio.length,
                TranscribeOptions.defaults().withBatchSize(8)).map().chunks();
        Transcription segments = transcribe(audio, false);
        assertTrue(segments.segments().size() >= 4, "segments: " + segments.segments().size());
        for (Segment s : segments.segments()) {
            assertFalse(s.start() < 19.5, "segment in the leading silence: " + s.start() + s.text());
            assertTrue(chunks.stream().anyMatch(c -> Math.abs(c.end() / 16000.0 - s.end()) < 0.001),
                    "segment end " + s.end() + " is no chunk's end");
            assertFalse(s.end() > 100.0 && s.end() < 101.2, "segment stretched to the next chunk: " + s.end());
        }
        assertEquals(160.286, segments.segments().getLast().end(), 0.001);
    }

    /** ljspeech_lj001_longform: each word starts inside a clip of segments.tsv, and that clip holds the word. */
    @Test
    void ljspeechLongformWordsFallInTheirClips() throws IOException {
        Path dir = SPEECH.resolve("ljspeech_lj001_longform");
        Transcription t = transcribe(AudioFile.readAll(dir.resolve("ljspeech_lj001_longform.flac")), true);
        List<Word> words = t.segments().stream().flatMap(s -> s.words().stream()).toList();
        LongformClips placed = LongformClips.place(words, dir);
        int outside = placed.outside(), inItsClip = placed.inItsClip();
        System.out.printf("batched ljspeech longform: %d segments, %d words, %d start outside every clip,"
                + " %d in their clip's text%n", t.segments().size(), words.size(), outside, inItsClip);
        assertTrue(words.size() > 2500, "words: " + words.size());
        assertTrue(outside <= words.size() / 200, outside + " words start between clips");
        assertTrue(inItsClip >= 0.85 * words.size(), inItsClip + " of " + words.size() + " words in their clip's text");
    }
}
