package io.auricle.timing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.audio.AudioFile;
import io.auricle.audio.LogMel;
import io.auricle.model.CheckpointLoader;
import io.auricle.model.WhisperModel;
import io.auricle.tokenizer.Tokenizer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real attention: JFK's sentence aligned on tiny.en by our model, AlignmentPass and WordAligner, side by side
 * with faster-whisper's word alignment (CTranslate2's Whisper.align) on the same model
 * (tools/python/make_ct2_alignment_fixture.py). The mel and the float arithmetic differ slightly between
 * the two, so word edges may move by one 20 ms frame; the words and their probabilities must agree.
 */
class JfkAlignmentTest {

    /** Runs the tiny.en encoder: tens of seconds on a loaded 2-core machine, so with the slow tests. */
    @Test
    @Tag("slow")
    void wordsMatchCTranslate2sAlignment() throws IOException {
        Path modelDir = Path.of(System.getenv().getOrDefault("AURICLE_CACHE",
                System.getProperty("user.home") + "/.cache/auricle"), "models", "tiny.en");
        Path audio = Path.of(System.getProperty("auricle.speech.dir", "../shared/data/speech"), "jfk", "jfk.wav");
        assumeTrue(Files.isRegularFile(modelDir.resolve("model.bin")), "no tiny.en model at " + modelDir);
        assumeTrue(Files.isRegularFile(audio), "no " + audio);
        JsonNode ref;
        try (InputStream in = getClass().getResourceAsStream("/timing/jfk_ct2_alignment.json")) {
            ref = new ObjectMapper().readTree(in);
        }

        WhisperModel model = new WhisperModel(CheckpointLoader.load(modelDir));
        Tokenizer tokenizer = Tokenizer.fromDirectory(modelDir);
        int[] textTokens = tokenizer.encode(ref.get("text").asText());
        assertArrayEquals(TimingFixtures.ints(ref.get("text_tokens")), textTokens);

        float[][] mel = LogMel.padded(AudioFile.readAll(audio), 80);
        int numFrames = Math.min(LogMel.contentFrames(mel), 3000);
        assertEquals(ref.get("num_frames").asInt(), numFrames);
        float[] features = model.embedAudio(LogMel.window(mel, 0, numFrames));
        AlignmentPass.Result pass = AlignmentPass.run(model, features, tokenizer.sotSequence(null, "transcribe"),
                tokenizer.noTimestamps(), tokenizer.eot(), textTokens);

        JsonNode probs = ref.get("text_token_probs");
        for (int k = 0; k < textTokens.length; k++) {
            assertEquals(probs.get(k).asDouble(), pass.textTokenProbs()[k], 2e-3, "token " + k);
        }
        List<WordTiming> words = WordAligner.of(tokenizer, null).findAlignment(pass.attention(),
                WordAligner.Attention.PROBABILITIES, textTokens, pass.textTokenProbs(), numFrames);
        JsonNode expected = ref.get("words");
        assertEquals(expected.size(), words.size());
        int exact = 0;
        for (int i = 0; i < words.size(); i++) {
            JsonNode e = expected.get(i);
            WordTiming w = words.get(i);
            assertEquals(e.get("word").asText(), w.word());
            assertEquals(e.get("start").asDouble(), w.start(), 0.0201, w.word() + " #" + i);
            assertEquals(e.get("end").asDouble(), w.end(), 0.0201, w.word() + " #" + i);
            assertEquals(e.get("probability").asDouble(), w.probability(), 2e-3, w.word() + " #" + i);
            if (e.get("start").asDouble() == w.start() && e.get("end").asDouble() == w.end()) exact++;
        }
        System.out.printf("jfk: %d of %d words with CTranslate2's exact start and end%n", exact, words.size());
        assertTrue(exact >= words.size() * 3 / 4, exact + " of " + words.size() + " words exact");
    }
}
