package io.auricle.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.audio.LogMel;
import io.auricle.model.ReferenceFixtures;
import io.auricle.model.TinyEn;
import io.auricle.model.WhisperModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import io.auricle.audio.AudioFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One-window beam search (beam 5, patience 1, plain length normalisation) against faster-whisper's on its own
 * log-mel of each clip (tools/python/make_beam_fixtures.py): same tokens, timestamps included, and the same
 * average log-probability.
 */
class BeamSearchReferenceTest {

    /** A row of beam5_tokens.tsv. */
    record BeamReference(String set, String id, int[] tokens, double avgLogProb, String text) {
        static List<BeamReference> load() {
            List<BeamReference> rows = new ArrayList<>();
            for (String[] f : ReferenceTokens.fixtureRows("/io/auricle/decoding/beam5_tokens.tsv")) {
                rows.add(new BeamReference(f[0], f[1], ReferenceTokens.ints(f[2]), Double.parseDouble(f[3]),
                        f[4].replace("\\", "")));
            }
            return rows;
        }
    }

    static DecodingOptions beam5() {
        return DecodingOptions.defaults().withBeamSearch(5, 1.0, null);
    }

    @Test
    void tokensMatchFasterWhisperBeam5OnItsMel() {
        WhisperModel model = TinyEn.model();
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (BeamReference ref : BeamReference.load()) {
            if (!DecodingReferenceTest.WITH_MEL.contains(ref.id())) continue;
            float[][] content = ReferenceFixtures.mel(ref.id(), 80);
            DecodingResult ours = new DecodingTask(model, TinyEn.tokenizer(), beam5())
                    .run(model.embedAudio(LogMel.window(content, 0, content[0].length)));
            checked++;
            if (!Arrays.equals(ref.tokens(), ours.tokens())) {
                mismatches.add(ref.id() + ": ours " + Arrays.toString(ours.tokens()) + " \"" + ours.text()
                        + "\" reference " + Arrays.toString(ref.tokens()) + " \"" + ref.text() + "\"");
                continue;
            }
            assertEquals(ref.text(), ours.text(), ref.id());
            assertEquals(ref.avgLogProb(), ours.avgLogProb(), 2e-3, ref.id());
        }
        assertEquals(DecodingReferenceTest.WITH_MEL.size(), checked);
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    /** Every clip of the fixture through our own audio decoding and mel: identical tokens on at least 95 %. */
    @Test
    @Tag("slow")
    void tokensMatchFasterWhisperBeam5EndToEnd() throws IOException {
        Path speech = Path.of(System.getProperty("auricle.speech.dir"));
        WhisperModel model = TinyEn.model();
        List<BeamReference> refs = BeamReference.load();
        List<String> mismatches = new ArrayList<>();
        long nanos = 0;
        for (BeamReference ref : refs) {
            Path file = null;
            for (String line : Files.readAllLines(speech.resolve(ref.set()).resolve("manifest.tsv"))) {
                String[] f = line.split("\t");
                if (f[0].equals(ref.id())) file = speech.resolve(ref.set()).resolve(f[1]);
            }
            float[][] mel = LogMel.padded(AudioFile.readAll(file), 80);
            float[] audio = model.embedAudio(LogMel.window(mel, 0, Math.min(LogMel.contentFrames(mel), 3000)));
            long t0 = System.nanoTime();
            DecodingResult ours = new DecodingTask(model, TinyEn.tokenizer(), beam5()).run(audio);
            nanos += System.nanoTime() - t0;
            if (!Arrays.equals(ref.tokens(), ours.tokens())) {
                mismatches.add(ref.set() + "/" + ref.id() + ": ours \"" + ours.text() + "\" reference \"" + ref.text() + "\"");
            }
        }
        int same = refs.size() - mismatches.size();
        System.out.printf("beam 5: identical tokens on %d of %d clips; decoding %.1f ms per window%n", same, refs.size(),
                nanos / 1e6 / refs.size());
        mismatches.forEach(System.out::println);
        assertTrue(same >= 0.95 * refs.size(), String.join("\n", mismatches));
    }
}
