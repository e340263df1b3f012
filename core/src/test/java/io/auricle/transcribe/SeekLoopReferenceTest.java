package io.auricle.transcribe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.audio.AudioFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's segments against faster-whisper 1.2.1 on the same tiny.en weights (float32, greedy, defaults
 * otherwise). The prefix and hotwords fixtures come from
 * {@code tools/python/reference_transcribe.py jfk.wav --prefix "And so my fellow Americans" --without_timestamps
 * --out core/src/test/resources/transcribe/jfk_faster_whisper_prefix.json} and
 * {@code ... jfk.wav --hotwords "Kennedy, Americans, country" --out .../jfk_faster_whisper_hotwords.json}.
 */
class SeekLoopReferenceTest {
    static final Path SPEECH = Path.of(System.getProperty("auricle.speech.dir", "../shared/data/speech"));

    static List<Segment> transcribe(Path audio, TranscribeOptions options) {
        return WhisperEngineTest.engine().transcribe(AudioFile.readAll(audio), options).segments().toList();
    }

    static JsonNode reference(String name) throws IOException {
        try (InputStream in = SeekLoopReferenceTest.class.getResourceAsStream("/transcribe/" + name)) {
            return new ObjectMapper().readTree(in).get("files").get(0).get("segments");
        }
    }

    static int[] tokens(JsonNode segment) {
        int[] t = new int[segment.get("tokens").size()];
        for (int i = 0; i < t.length; i++) t[i] = segment.get("tokens").get(i).asInt();
        return t;
    }

    /** faster-whisper: (0.0, 7.74, ' And so my fellow Americans ask not what your country can do for you'), (7.74, 10.74, ...). */
    @Test
    void jfkSplitsAtTheTimestampPair() {
        List<Segment> segments = transcribe(WhisperEngineTest.JFK, TranscribeOptions.defaults());
        assertEquals(2, segments.size());
        assertSegment(segments.get(0), 0.0, 7.74, " And so my fellow Americans ask not what your country can do for you");
        assertSegment(segments.get(1), 7.74, 10.74, " ask what you can do for your country");
        assertEquals(0, segments.get(1).seek());
    }

    /** faster-whisper: (0.0, 2.0, ' Go forward 10 meters.'). */
    @Test
    void shortCommandIsOneSegment() {
        List<Segment> segments = transcribe(SPEECH.resolve("pocketsphinx/goforward.flac"), TranscribeOptions.defaults());
        assertEquals(1, segments.size());
        assertSegment(segments.get(0), 0.0, 2.0, " Go forward 10 meters.");
    }

    /** Hotwords go after {@code <|startofprev|>}: tiny.en then writes one lower-case segment, as faster-whisper. */
    @Test
    void hotwordsPromptAsFasterWhispers() throws IOException {
        JsonNode ref = reference("jfk_faster_whisper_hotwords.json");
        List<Segment> segments = transcribe(WhisperEngineTest.JFK,
                TranscribeOptions.defaults().withHotwords("Kennedy, Americans, country"));
        assertEquals(ref.size(), segments.size());
        for (int i = 0; i < ref.size(); i++) {
            assertArrayEquals(tokens(ref.get(i)), segments.get(i).tokens(), "segment " + i);
            assertSegment(segments.get(i), ref.get(i).get("start").asDouble(), ref.get(i).get("end").asDouble(),
                    ref.get(i).get("text").asText());
        }
    }

    /**
     * The prefix follows the start-of-transcript sequence (here after {@code <|notimestamps|>}, where openai and
     * faster-whisper build the same prompt); openai returns only what follows it, faster-whisper the prefix too.
     */
    @Test
    void prefixIsContinuedAsFasterWhispers() throws IOException {
        JsonNode ref = reference("jfk_faster_whisper_prefix.json");
        assertEquals(1, ref.size());
        int[] theirs = tokens(ref.get(0));
        int[] prefix = WhisperEngineTest.engine().tokenizer().encode(" And so my fellow Americans");
        assertArrayEquals(prefix, Arrays.copyOf(theirs, prefix.length));
        TranscribeOptions options = TranscribeOptions.defaults().withPrefix("And so my fellow Americans");
        options = options.withDecoding(options.decoding().withoutTimestamps(true));
        List<Segment> segments = transcribe(WhisperEngineTest.JFK, options);
        assertEquals(1, segments.size());
        assertArrayEquals(Arrays.copyOfRange(theirs, prefix.length, theirs.length), segments.getFirst().tokens());
    }

    static void assertSegment(Segment s, double start, double end, String text) {
        assertEquals(start, s.start(), 1e-9);
        assertEquals(end, s.end(), 1e-9);
        assertEquals(text, s.text());
        assertEquals(0.0, s.temperature());
    }
}
