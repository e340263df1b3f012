package io.auricle.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.auricle.audio.AudioFile;
import io.auricle.audio.LogMel;
import io.auricle.decoding.DecodingOptions;
import io.auricle.decoding.DecodingResult;
import io.auricle.decoding.DecodingTask;
import io.auricle.decoding.ReferenceTokens;
import io.auricle.model.ReferenceFixtures;
import io.auricle.model.TinyEn;
import io.auricle.model.WhisperModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Sampling at temperature > 0 against faster-whisper with the same seed (tools/python/make_sampling_fixtures.py):
 * the same tokens, drawn from the same random numbers: one window of jfk (best_of 1 and 5, several temperatures;
 * faster-whisper's mel) and jfk cut in two clips (two windows) at temperature 0.6 through the engine, the second
 * window drawing where the first stopped.
 */
class SampledReferenceTest {

    record Case(String kind, String set, String id, long seed, int bestOf, double temperature, String tokens) {}

    static List<Case> cases() {
        List<Case> rows = new ArrayList<>();
        for (String[] f : ReferenceTokens.fixtureRows("/io/auricle/decoding/sampled_tokens.tsv")) {
            rows.add(new Case(f[0], f[1], f[2], Long.parseLong(f[3]), Integer.parseInt(f[4]), Double.parseDouble(f[5]),
                    f[6]));
        }
        return rows;
    }

    @Test
    void oneWindowSamplesTheTokensFasterWhisperSamples() {
        WhisperModel model = TinyEn.model();
        float[][] content = ReferenceFixtures.mel("jfk", 80);
        float[] audio = model.embedAudio(LogMel.window(content, 0, content[0].length));
        int checked = 0;
        for (Case c : cases()) {
            if (!c.kind().equals("window")) continue;
            DecodingOptions options = DecodingOptions.defaults().withTemperature(c.temperature())
                    .withBestOf(c.bestOf(), c.seed());
            DecodingResult ours = new DecodingTask(model, TinyEn.tokenizer(), options).run(audio);
            assertEquals(c.tokens(), join(ours.tokens()), c.toString());
            assertEquals(c.temperature(), ours.temperature());
            checked++;
        }
        assertEquals(4, checked);
    }

    @Test
    void aTranscriptionKeepsOneStreamOfRandomNumbersAcrossWindows() {
        Path speech = Path.of(System.getProperty("auricle.speech.dir", "../shared/data/speech"));
        Case c = cases().stream().filter(k -> k.kind().equals("file")).findFirst().orElseThrow();
        TranscribeOptions options = TranscribeOptions.defaults().withTemperatures(c.temperature())
                .withDecoding(DecodingOptions.defaults().withBestOf(c.bestOf(), c.seed())).withClipTimestamps(0, 6, 6, 11);
        List<Segment> segments = WhisperEngineTest.engine()
                .transcribe(AudioFile.readAll(speech.resolve(c.set()).resolve(c.id() + ".wav")), options)
                .segments().toList();
        String ours = segments.stream().map(s -> join(s.tokens())).collect(Collectors.joining(" | "));
        assertEquals(c.tokens(), ours);
    }

    private static String join(int[] tokens) {
        return Arrays.stream(tokens).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }
}
