package io.auricle.transcribe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.AuricleException;
import io.auricle.decoding.DecodingOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The transcription flags the CLI and the Spark job share: defaults, mapping, one-line refusals, shipping. */
class TranscribeFlagsTest {

    @Test
    void defaultsAreOpenaisTranscribeDefaults() {
        TranscribeOptions o = TranscribeFlags.parse().options();
        assertArrayEquals(new double[] {0.0, 0.2, 0.4, 0.6, 0.8, 1.0}, o.temperatures(), 1e-9);
        assertEquals(2.4, o.compressionRatioThreshold());
        assertEquals(-1.0, o.logProbThreshold());
        assertEquals(0.6, o.noSpeechThreshold());
        assertTrue(o.conditionOnPreviousText());
        assertFalse(o.wordTimestamps());
        assertEquals(1, o.decoding().beamSize());
        assertArrayEquals(new int[] {-1}, o.decoding().suppressTokens());
        assertNull(o.language());
        assertArrayEquals(new double[] {0}, o.clipTimestamps()); // openai's "0": from the start to the end
    }

    @Test
    void flagsMapOntoTheOptions() {
        TranscribeOptions o = TranscribeFlags.parse("--beam_size", "5", "--patience", "2", "--language", "nl",
                "--task", "translate", "--logprob_threshold", "None", "--condition_on_previous_text", "False",
                "--word_timestamps", "True", "--clip_timestamps", "1,5.5", "--suppress_tokens", "",
                "--audio-ctx", "750", "--initial_prompt", "Hello.").options();
        assertEquals(5, o.decoding().beamSize());
        assertEquals(2.0, o.decoding().patience());
        assertEquals("nl", o.language());
        assertEquals("translate", o.decoding().task());
        assertTrue(Double.isNaN(o.logProbThreshold()));
        assertFalse(o.conditionOnPreviousText());
        assertTrue(o.wordTimestamps());
        assertArrayEquals(new double[] {1, 5.5}, o.clipTimestamps());
        assertEquals(0, o.decoding().suppressTokens().length);
        assertEquals(750, o.audioCtx());
        assertEquals("Hello.", o.initialPrompt());
        assertEquals(DecodingOptions.defaults().seed(), o.decoding().seed());
        assertEquals(42, TranscribeFlags.parse("--seed", "42", "--best_of", "5").options().decoding().seed());
    }

    @Test
    void vadAndBatchFlagsMapOntoTheOptions() {
        TranscribeOptions defaults = TranscribeFlags.parse().options();
        assertFalse(defaults.vadFilter());
        assertEquals(1, defaults.batchSize());
        assertEquals(io.auricle.vad.VadOptions.defaults(), defaults.vadOptions());
        TranscribeOptions o = TranscribeFlags.parse("--vad_filter", "True", "--vad_threshold", "0.4",
                "--vad_min_silence_duration_ms", "500", "--vad_max_speech_duration_s", "inf", "--batch_size", "8").options();
        assertTrue(o.vadFilter());
        assertEquals(8, o.batchSize());
        assertEquals(0.4, o.vadOptions().threshold());
        assertEquals(500, o.vadOptions().minSilenceDurationMs());
        assertEquals(Double.POSITIVE_INFINITY, o.vadOptions().maxSpeechDurationS());
        assertEquals("--batch_size must be >= 1, got 0",
                assertThrows(AuricleException.class, () -> TranscribeFlags.parse("--batch_size", "0")).getMessage());
    }

    @Test
    void badValuesAreOneLine() {
        assertEquals("--audio-ctx must be 0..1500, got 2000",
                assertThrows(AuricleException.class, () -> TranscribeFlags.parse("--audio-ctx", "2000")).getMessage());
        assertEquals("--hallucination_silence_threshold requires --word_timestamps True",
                assertThrows(AuricleException.class,
                        () -> TranscribeFlags.parse("--hallucination_silence_threshold", "2")).getMessage());
        assertEquals("Invalid value for option '--word_timestamps': expected True or False, got 'maybe'",
                assertThrows(AuricleException.class, () -> TranscribeFlags.parse("--word_timestamps", "maybe")).getMessage());
        assertEquals("Unknown option: '--no_such_flag'",
                assertThrows(AuricleException.class, () -> TranscribeFlags.parse("--no_such_flag")).getMessage());
    }

    @Test
    void valuesNameEveryFlagInOrderAndSurviveSerialization() throws IOException, ClassNotFoundException {
        TranscribeFlags flags = TranscribeFlags.parse("--temperature_increment_on_fallback", "None", "--vad_filter", "True");
        Map<String, Object> values = flags.values();
        assertEquals("task", values.keySet().iterator().next());
        assertEquals("transcribe", values.get("task"));
        assertTrue(values.containsKey("temperature_increment_on_fallback"));
        assertNull(values.get("temperature_increment_on_fallback"));
        assertEquals(true, values.get("vad_filter"));
        assertEquals(0, values.get("audio-ctx"));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(flags);
        }
        TranscribeFlags copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (TranscribeFlags) in.readObject();
        }
        assertEquals(values, copy.values());
        assertTrue(copy.vadFilter());
        assertArrayEquals(new double[] {0.0}, copy.options().temperatures());
    }
}
