package io.auricle.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.AuricleException;
import io.auricle.audio.AudioFile;
import io.auricle.model.TinyEn;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The library facade on JFK with tiny.en, against faster-whisper 1.2.1 on the same weights, greedy, with word
 * timestamps (tools/python/reference_transcribe.py jfk.wav --word_timestamps, committed as
 * transcribe/jfk_faster_whisper_words.json).
 */
class WhisperEngineTest {
    static final Path JFK = Path.of(System.getProperty("auricle.speech.dir", "../shared/data/speech"), "jfk", "jfk.wav");

    static WhisperEngine engine() {
        return new WhisperEngine(TinyEn.model(), TinyEn.tokenizer());
    }

    static JsonNode reference() throws IOException {
        try (InputStream in = WhisperEngineTest.class.getResourceAsStream("/transcribe/jfk_faster_whisper_words.json")) {
            return new ObjectMapper().readTree(in).get("files").get(0);
        }
    }

    @Test
    void wordsMatchFasterWhisper() throws IOException {
        LazyTranscription t = engine().transcribe(AudioFile.readAll(JFK),
                TranscribeOptions.defaults().withWordTimestamps(true).withRefineWordTimestamps(false));
        assertEquals("en", t.language());
        assertEquals(11.0, t.duration(), 1e-9);
        List<Segment> segments = t.segments().toList();
        JsonNode ref = reference().get("segments");
        assertEquals(ref.size(), segments.size());
        int words = 0, exact = 0;
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            JsonNode r = ref.get(i);
            assertEquals(i, s.id());
            assertEquals(r.get("text").asText(), s.text());
            assertEquals(r.get("start").asDouble(), s.start(), 0.041, "segment " + i + " start");
            assertEquals(r.get("end").asDouble(), s.end(), 0.041, "segment " + i + " end");
            assertEquals(r.get("words").size(), s.words().size());
            for (int w = 0; w < s.words().size(); w++) {
                Word ours = s.words().get(w);
                JsonNode theirs = r.get("words").get(w);
                assertEquals(theirs.get("word").asText(), ours.word());
                assertEquals(theirs.get("start").asDouble(), ours.start(), 0.041, ours.word() + " start");
                assertEquals(theirs.get("end").asDouble(), ours.end(), 0.041, ours.word() + " end");
                assertEquals(theirs.get("probability").asDouble(), ours.probability(), 0.01, ours.word());
                words++;
                if (theirs.get("start").asDouble() == ours.start() && theirs.get("end").asDouble() == ours.end()) exact++;
            }
        }
        assertTrue(exact >= words * 3 / 4, exact + " of " + words + " words at faster-whisper's exact times");
    }

    /** The default (refined) word times: the reference's 80 ms earlier (jfk has no silence at the floor). */
    @Test
    void refinedWordsAreTheReferencesEightyMillisecondsEarlier() {
        float[] jfk = AudioFile.readAll(JFK);
        TranscribeOptions words = TranscribeOptions.defaults().withWordTimestamps(true);
        List<Word> reference = engine().transcribe(jfk, words.withRefineWordTimestamps(false)).segments()
                .flatMap(s -> s.words().stream()).toList();
        List<Segment> refined = engine().transcribe(jfk, words).segments().toList();
        List<Word> ours = refined.stream().flatMap(s -> s.words().stream()).toList();
        assertEquals(reference.size(), ours.size());
        for (int i = 0; i < ours.size(); i++) {
            Word r = reference.get(i), w = ours.get(i);
            assertEquals(r.word(), w.word());
            assertEquals(Math.max(0, r.start() - 0.08), w.start(), 1e-9, w.word() + " start");
            assertEquals(Math.max(0, r.end() - 0.08), w.end(), 1e-9, w.word() + " end");
        }
        for (Segment s : refined) {
            assertEquals(s.words().getFirst().start(), s.start());
            assertEquals(s.words().getLast().end(), s.end());
        }
    }

    @Test
    void segmentsAreLazyWithProgressAndCancellation() {
        float[] jfk = AudioFile.readAll(JFK);
        float[] twice = new float[jfk.length * 3]; // 33 s: two windows
        for (int i = 0; i < 3; i++) System.arraycopy(jfk, 0, twice, i * jfk.length, jfk.length);
        List<Double> progress = new ArrayList<>();
        AtomicInteger windows = new AtomicInteger();
        LazyTranscription t = engine().transcribe(twice, TranscribeOptions.defaults(),
                (done, total) -> { progress.add(done); windows.incrementAndGet(); }, () -> windows.get() >= 1);
        assertEquals(33.0, t.duration(), 1e-9);
        assertTrue(progress.isEmpty(), "nothing decoded before reading");
        Iterator<Segment> it = t.iterator();
        assertTrue(it.hasNext());
        Segment first = it.next();
        assertTrue(first.start() < 0.5, "first segment at " + first.start());
        assertTrue(first.text().startsWith(" And so"), first.text());
        assertEquals(1, progress.size());
        assertTrue(progress.getFirst() > 10 && progress.getFirst() <= 30, "progress " + progress);
        // drain the first window's segments, then the next window is refused
        assertThrows(CancellationException.class, () -> { while (it.hasNext()) it.next(); });
    }

    @Test
    void englishOnlyModelRefusesOtherLanguagesAndTranslation() {
        AuricleException e = assertThrows(AuricleException.class, () -> engine().transcribe(new float[16000],
                TranscribeOptions.defaults().withLanguage("de", "transcribe")));
        assertEquals("this model is English-only; language 'de' needs a multilingual model", e.getMessage());
        e = assertThrows(AuricleException.class, () -> engine().transcribe(new float[16000],
                TranscribeOptions.defaults().withLanguage(null, "translate")));
        assertEquals("this model is English-only and cannot translate", e.getMessage());
    }

    /**
     * Transcriptions of one engine hand their window arrays on: jfk after a 45-second file (two windows, word
     * timestamps), and after jfk itself, gives what a fresh engine gives; a transcription abandoned midway hands
     * nothing on; the file path (streamed into the spectrogram) gives what the samples give.
     */
    @Test
    void aTranscriptionOverAnEarlierOnesArraysGivesTheSameSegments() {
        float[] jfk = AudioFile.readAll(JFK);
        float[] longer = new float[45 * 16000];
        for (int i = 0; i < longer.length; i++) longer[i] = jfk[i % jfk.length];
        TranscribeOptions words = TranscribeOptions.defaults().withWordTimestamps(true);
        String fresh = describe(engine().transcribe(jfk, words).segments().toList());

        WhisperEngine shared = engine();
        assertTrue(shared.transcribe(longer, words).segments().count() > 2);
        Iterator<Segment> abandoned = shared.transcribe(longer, words).iterator();
        abandoned.next();
        assertEquals(fresh, describe(shared.transcribe(jfk, words).segments().toList()));
        assertEquals(fresh, describe(shared.transcribe(jfk, words).segments().toList()));
        assertEquals(fresh, describe(shared.transcribe(JFK, words).segments().toList()));
    }

    /**
     * A file longer than a window is streamed into its spectrogram (never read whole), a short one read whole: both
     * transcribe as their samples do.
     */
    @Test
    void aFileTranscribesAsItsSamples(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        float[] jfk = AudioFile.readAll(JFK);
        float[] longer = new float[45 * 16000];
        for (int i = 0; i < longer.length; i++) longer[i] = jfk[i % jfk.length];
        Path wav = dir.resolve("longer.wav");
        java.nio.file.Files.write(wav, pcm16Wav(longer));
        WhisperEngine engine = engine();
        TranscribeOptions options = TranscribeOptions.defaults();
        assertEquals(describe(engine.transcribe(longer, options).segments().toList()),
                describe(engine.transcribe(wav, options).segments().toList()));
        assertEquals(describe(engine.transcribe(jfk, options).segments().toList()),
                describe(engine.transcribe(JFK, options).segments().toList()));
    }

    /**
     * Samples in the array they were read into (the server's uploads, {@link AudioFile#readAllUntrimmed}), whatever
     * lies past their length, transcribe as the trimmed samples do: window by window (one window and two) and
     * VAD-batched.
     */
    @Test
    void untrimmedSamplesTranscribeAsTheTrimmedOnes() {
        float[] jfk = AudioFile.readAll(JFK);
        float[] longer = new float[45 * 16000];
        for (int i = 0; i < longer.length; i++) longer[i] = jfk[i % jfk.length];
        WhisperEngine engine = engine();
        for (float[] samples : new float[][] {jfk, longer}) {
            float[] roomy = java.util.Arrays.copyOf(samples, samples.length + 5000);
            java.util.Arrays.fill(roomy, samples.length, roomy.length, 0.5f);
            AudioFile.Decoded decoded = new AudioFile.Decoded(roomy, samples.length);
            for (TranscribeOptions options : new TranscribeOptions[] {TranscribeOptions.defaults(),
                    TranscribeOptions.defaults().withBatchSize(4)}) {
                var expected = engine.transcribe(samples, options);
                var actual = engine.transcribe(decoded, options, ProgressListener.NONE, () -> false);
                assertEquals(expected.duration(), actual.duration(), 1e-9);
                assertEquals(describe(expected.segments().toList()), describe(actual.segments().toList()),
                        samples.length + " samples, batch " + options.batchSize());
            }
        }
    }

    /** 16 kHz mono 16-bit PCM; samples that came from such a file round-trip exactly. */
    private static byte[] pcm16Wav(float[] samples) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 2 * samples.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * samples.length).put("WAVEfmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(16000).putInt(32000).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes()).putInt(2 * samples.length);
        for (float f : samples) b.putShort((short) Math.round(f * 32768));
        return b.array();
    }

    /** Tokens, times and words exactly; probabilities to 1e-5 (the vector EXP's last bits vary with the JIT tier). */
    private static String describe(List<Segment> segments) {
        StringBuilder b = new StringBuilder();
        for (Segment s : segments) {
            b.append(String.format(java.util.Locale.ROOT, "%d %.2f-%.2f %s %.5f %.5f%n", s.id(), s.start(), s.end(),
                    java.util.Arrays.toString(s.tokens()), s.avgLogprob(), s.noSpeechProb()));
            for (Word w : s.words()) {
                b.append(String.format(java.util.Locale.ROOT, "  %s %.2f-%.2f %.5f%n", w.word(), w.start(), w.end(), w.probability()));
            }
        }
        return b.toString();
    }
}
