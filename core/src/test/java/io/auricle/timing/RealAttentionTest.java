package io.auricle.timing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.audio.AudioFile;
import io.auricle.audio.LogMel;
import io.auricle.model.CheckpointLoader;
import io.auricle.model.WhisperModel;
import io.auricle.tokenizer.Tokenizer;
import io.auricle.transcribe.Segment;
import io.auricle.transcribe.Word;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real attention: known transcripts aligned on tiny.en by our model, AlignmentPass and WordAligner, side by
 * side with faster-whisper's word alignment (CTranslate2's Whisper.align) on the same model
 * (tools/python/make_ct2_alignment_fixture.py). The mel and the float arithmetic differ slightly between
 * the two, so a word edge may move by one 20 ms frame; the words and their probabilities must agree.
 */
class RealAttentionTest {

    /** Runs the tiny.en encoder: tens of seconds on a loaded 2-core machine, so with the slow tests. */
    @Test
    @Tag("slow")
    void wordsMatchCTranslate2sAlignment() throws IOException {
        Path modelDir = Path.of(System.getenv().getOrDefault("AURICLE_CACHE",
                System.getProperty("user.home") + "/.cache/auricle"), "models", "tiny.en");
        Path speech = Path.of(System.getProperty("auricle.speech.dir", "../shared/data/speech"));
        assumeTrue(Files.isRegularFile(modelDir.resolve("model.bin")), "no tiny.en model at " + modelDir);
        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream("/timing/ct2_alignment.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        WhisperModel model = new WhisperModel(CheckpointLoader.load(modelDir));
        Tokenizer tokenizer = Tokenizer.fromDirectory(modelDir);
        WordAligner aligner = WordAligner.of(tokenizer, null);
        int exact = 0, total = 0;
        for (JsonNode c : fixture.get("cases")) {
            Path audio = speech.resolve(c.get("audio").asText());
            assumeTrue(Files.isRegularFile(audio), "no " + audio);
            List<Segment> segments = new ArrayList<>();
            for (JsonNode s : c.get("segments_in")) {
                assertEquals(TimingFixtures.ints(s.get("tokens")).length - 2,
                        tokenizer.encode(s.get("text").asText()).length);
                segments.add(new Segment(s.get("id").asInt(), s.get("seek").asInt(), s.get("start").asDouble(),
                        s.get("end").asDouble(), s.get("text").asText(), TimingFixtures.ints(s.get("tokens")), 0,
                        -0.2, 1.3, 0.01, List.of()));
            }
            int[] textTokens = aligner.textTokens(segments);
            assertArrayEquals(TimingFixtures.ints(c.get("text_tokens")), textTokens);

            float[][] mel = LogMel.padded(AudioFile.readAll(audio), 80);
            int numFrames = Math.min(LogMel.contentFrames(mel), 3000);
            assertEquals(c.get("num_frames").asInt(), numFrames);
            float[] features = model.embedAudio(LogMel.window(mel, 0, numFrames));
            AlignmentPass.Result pass = AlignmentPass.run(model, features, tokenizer.sotSequence(null, null),
                    tokenizer.noTimestamps(), tokenizer.eot(), textTokens);
            JsonNode probs = c.get("text_token_probs");
            for (int k = 0; k < textTokens.length; k++) {
                assertEquals(probs.get(k).asDouble(), pass.textTokenProbs()[k], 2e-3, c.get("name") + " token " + k);
            }

            List<WordTiming> words = aligner.findAlignment(pass.attention(), WordAligner.Attention.PROBABILITIES,
                    textTokens, pass.textTokenProbs(), numFrames);
            JsonNode expected = c.get("words");
            assertEquals(expected.size(), words.size());
            for (int i = 0; i < words.size(); i++) {
                JsonNode e = expected.get(i);
                WordTiming w = words.get(i);
                String where = c.get("name") + " " + w.word() + " #" + i;
                assertEquals(e.get("word").asText(), w.word(), where);
                assertEquals(e.get("start").asDouble(), w.start(), 0.0201, where);
                assertEquals(e.get("end").asDouble(), w.end(), 0.0201, where);
                assertEquals(e.get("probability").asDouble(), w.probability(), 2e-3, where);
                total++;
                if (e.get("start").asDouble() == w.start() && e.get("end").asDouble() == w.end()) exact++;
            }

            List<Segment> out = aligner.addWordTimestamps(segments, pass.attention(),
                    WordAligner.Attention.PROBABILITIES, pass.textTokenProbs(), numFrames, 0.0);
            for (int s = 0; s < out.size(); s++) {
                JsonNode e = c.get("segments_out").get(s);
                assertEquals(e.get("start").asDouble(), out.get(s).start(), 0.0201);
                assertEquals(e.get("end").asDouble(), out.get(s).end(), 0.0201);
                assertEquals(e.get("words").size(), out.get(s).words().size());
                for (int i = 0; i < out.get(s).words().size(); i++) {
                    Word w = out.get(s).words().get(i);
                    JsonNode ew = e.get("words").get(i);
                    assertEquals(ew.get("word").asText(), w.word());
                    assertEquals(ew.get("start").asDouble(), w.start(), 0.0201, w.word());
                    assertEquals(ew.get("end").asDouble(), w.end(), 0.0201, w.word());
                }
            }
        }
        System.out.printf("real attention: %d of %d words with CTranslate2's exact start and end%n", exact, total);
        assertTrue(exact >= total * 3 / 4, exact + " of " + total + " words exact");
    }
}
