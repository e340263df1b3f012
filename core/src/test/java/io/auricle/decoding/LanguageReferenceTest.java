package io.auricle.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.AuricleException;
import io.auricle.audio.AudioFile;
import io.auricle.audio.LogMel;
import io.auricle.model.CheckpointLoader;
import io.auricle.model.TinyEn;
import io.auricle.model.WhisperModel;
import io.auricle.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Language detection and translation with the multilingual base model against faster-whisper
 * (tools/python/make_language_fixtures.py) on multilingual_leopard, through our own audio decoding and log-mel
 * (faster-whisper's form: padding 160, the window zero-padded to 3000 frames).
 */
class LanguageReferenceTest {
    /** Largest |ours - faster-whisper's| probability of a top-10 language. */
    static final double TOLERANCE = 1e-4;

    static WhisperModel model;
    static Tokenizer tokenizer;
    static JsonNode clips;
    static Path speech;

    @BeforeAll
    static void load() throws IOException {
        Path dir = Path.of(System.getProperty("user.home"), ".cache/auricle/models/base");
        if (!Files.isRegularFile(dir.resolve("model.bin"))) throw new AssertionError(dir + " is missing: run tools/fetch-models base");
        model = new WhisperModel(CheckpointLoader.load(dir));
        tokenizer = Tokenizer.of(model.checkpoint());
        clips = new ObjectMapper().readTree(LanguageReferenceTest.class.getResource("/io/auricle/decoding/language_base.json"))
                .get("clips");
        speech = Path.of(System.getProperty("auricle.speech.dir"));
    }

    /** The mel as faster-whisper's transcribe computes it: the clip plus 160 zero samples. */
    static float[][] mel(JsonNode clip) {
        float[] samples = AudioFile.readAll(speech.resolve(clip.get("set").asText()).resolve(clip.get("file").asText()));
        return LogMel.compute(samples, 80, 160);
    }

    /**
     * The engine detects on faster-whisper's first window (the clip with one hop of zeros appended): a 3.6 s clip
     * that faster-whisper finds Dutch 0.3302 against English 0.3250 comes out the same; on the transcription's own
     * mel (appended silence) it tipped to English.
     */
    @Test
    void theEngineDecidesANearTieAsFasterWhisper() {
        var engine = new io.auricle.transcribe.WhisperEngine(model, tokenizer, null);
        float[] samples = AudioFile.readAll(speech.resolve("fillets_nl").resolve("experiments__bank-v-nahazet.ogg"));
        var t = engine.transcribe(samples, io.auricle.transcribe.TranscribeOptions.defaults());
        assertEquals("nl", t.language());
        assertEquals(0.3301692605018616, t.languageProbability(), TOLERANCE);
    }

    /**
     * One engine over clips in turn detects into the window arrays the previous transcription handed on (a batched
     * one's detection hands them on too), and then decodes over them: each clip's language, probability and text
     * are a fresh engine's.
     */
    @Test
    void anEngineDetectsOverAnEarlierTranscriptionsArraysAsAFreshOne() {
        var shared = new io.auricle.transcribe.WhisperEngine(model, tokenizer, null);
        for (Path file : List.of(speech.resolve("fillets_nl").resolve("experiments__bank-v-nahazet.ogg"),
                speech.resolve("multilingual_leopard").resolve("test_de.flac"),
                speech.resolve("fillets_nl").resolve("airplane__let-m-divna.ogg"))) {
            float[] samples = AudioFile.readAll(file);
            var options = io.auricle.transcribe.TranscribeOptions.defaults();
            var fresh = new io.auricle.transcribe.WhisperEngine(model, tokenizer, null).transcribe(samples, options);
            var reused = shared.transcribe(samples, options);
            assertEquals(fresh.language(), reused.language(), file.toString());
            assertEquals(fresh.languageProbability(), reused.languageProbability(), 0.0, file.toString());
            assertEquals(fresh.segments().map(s -> s.text()).toList(), reused.segments().map(s -> s.text()).toList(),
                    file.toString());
            // The batched pipeline detects on its first speech chunk's window, not the file's first 30 s.
            var freshBatched = new io.auricle.transcribe.WhisperEngine(model, tokenizer, null)
                    .transcribe(samples, options.withBatchSize(2));
            var batched = shared.transcribe(samples, options.withBatchSize(2));
            assertEquals(freshBatched.language(), batched.language(), file + ", batched");
            assertEquals(freshBatched.languageProbability(), batched.languageProbability(), 0.0, file + ", batched");
            assertEquals(freshBatched.segments().map(s -> s.text()).toList(),
                    batched.segments().map(s -> s.text()).toList(), file + ", batched");
        }
    }

    /** A few clips in the default run (the base encoder is the cost), every clip in the slow one. */
    static final Set<String> QUICK = Set.of("test", "test_de", "test_ja", "empty");

    @Test
    void detectedLanguagesMatchFasterWhisperOnAFewClips() {
        checkDetection(QUICK);
    }

    @Test
    @Tag("slow")
    void detectedLanguagesMatchFasterWhisperOnEveryClip() {
        checkDetection(null);
    }

    @Test
    void translateGivesFasterWhispersEnglishInGerman() {
        assertEquals(1, checkTranslation(Set.of("test_de")));
    }

    @Test
    @Tag("slow")
    void translateGivesFasterWhispersEnglish() {
        assertEquals(3, checkTranslation(null));
    }

    private static void checkDetection(Set<String> only) {
        List<String> failures = new ArrayList<>();
        double worst = 0;
        for (JsonNode clip : clips) {
            if (only != null && !only.contains(clip.get("id").asText())) continue;
            float[][] mel = mel(clip);
            float[][] window = LogMel.window(mel, 0, Math.min(mel[0].length, 3000));
            LanguageDetector.Detection ours = LanguageDetector.detect(model, tokenizer, model.embedAudio(window));
            String id = clip.get("id").asText();
            if (!ours.language().equals(clip.get("language").asText())) {
                failures.add(id + ": ours " + ours.language() + " " + ours.probability() + ", reference "
                        + clip.get("language").asText() + " " + clip.get("probability").asDouble());
                continue;
            }
            for (JsonNode entry : clip.get("top10")) {
                double expected = entry.get(1).asDouble(), actual = ours.all().get(entry.get(0).asText());
                worst = Math.max(worst, Math.abs(expected - actual));
                if (Math.abs(expected - actual) > TOLERANCE) {
                    failures.add(id + ": p(" + entry.get(0).asText() + ") ours " + actual + ", reference " + expected);
                }
            }
            System.out.printf("%s: %s %.4f (reference %.4f)%n", id, ours.language(), ours.probability(),
                    clip.get("probability").asDouble());
        }
        System.out.printf("largest probability difference: %.2e%n", worst);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(99, LanguageDetector.detect(model, tokenizer, model.newCache(new float[1500 * 512])).all().size());
    }

    private static int checkTranslation(Set<String> only) {
        int checked = 0;
        for (JsonNode clip : clips) {
            if (!clip.has("translate") || only != null && !only.contains(clip.get("id").asText())) continue;
            JsonNode ref = clip.get("translate");
            String language = clip.get("language").asText();
            DecodingOptions options = DecodingOptions.defaults().withLanguage(language, "translate");
            DecodingTask task = new DecodingTask(model, tokenizer, options);
            assertArrayEquals(ints(ref.get("prompt")), task.initialTokens(), "<|sot|><|" + language + "|><|translate|>");
            float[][] mel = mel(clip);
            int content = mel[0].length - 1; // faster-whisper's content_frames
            DecodingResult ours = task.run(model.embedAudio(LogMel.window(mel, 0, Math.min(content, 3000))));
            String id = clip.get("id").asText();
            System.out.printf("%s translated: %s%n", id, ours.text());
            assertEquals(ref.get("text").asText(), ours.text(), id);
            assertArrayEquals(ints(ref.get("tokens")), ours.tokens(), id);
            checked++;
        }
        return checked;
    }

    @Test
    void englishOnlyModelsCannotDetect() {
        WhisperModel tiny = TinyEn.model();
        AuricleException e = assertThrows(AuricleException.class,
                () -> LanguageDetector.detect(tiny, TinyEn.tokenizer(), tiny.newCache(new float[1500 * 384])));
        assertEquals("this model is English-only: it has no language tokens to detect a language with", e.getMessage());
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }
}
