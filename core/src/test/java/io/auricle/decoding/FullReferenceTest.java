package io.auricle.decoding;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.audio.AudioFile;
import io.auricle.audio.LogMel;
import io.auricle.model.TinyEn;
import io.auricle.model.WhisperModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every reference clip end to end through our own audio decoding and log-mel: the first window's tokens must
 * equal faster-whisper's on at least 95 % of the clips. Mismatches are listed with the first differing position.
 */
@Tag("slow")
class FullReferenceTest {

    @Test
    void firstWindowTokensMatchFasterWhisperOnAtLeast95Percent() throws IOException {
        Path speech = Path.of(System.getProperty("auricle.speech.dir"));
        WhisperModel model = TinyEn.model();
        List<ReferenceTokens> refs = ReferenceTokens.load();
        List<String> mismatches = new ArrayList<>();
        Map<String, Path> files = new HashMap<>();
        for (ReferenceTokens ref : refs) {
            if (!files.containsKey(ref.set() + "/" + ref.id())) files.putAll(manifest(speech, ref.set()));
            float[] samples = AudioFile.readAll(files.get(ref.set() + "/" + ref.id()));
            float[][] mel = LogMel.padded(samples, 80);
            int frames = Math.min(LogMel.contentFrames(mel), 3000);
            DecodingResult ours = new DecodingTask(model, TinyEn.tokenizer(), DecodingOptions.defaults())
                    .run(model.embedAudio(LogMel.window(mel, 0, frames)));
            int at = ref.firstDifference(ours.tokens());
            if (at >= 0) {
                mismatches.add(ref.set() + "/" + ref.id() + " differs at token " + at + ": ours "
                        + Arrays.toString(Arrays.copyOfRange(ours.tokens(), at, Math.min(ours.tokens().length, at + 5)))
                        + "... \"" + ours.text() + "\" vs reference "
                        + Arrays.toString(Arrays.copyOfRange(ref.tokens(), at, Math.min(ref.tokens().length, at + 5)))
                        + "... \"" + ref.text() + "\"");
            }
        }
        int same = refs.size() - mismatches.size();
        System.out.printf("identical tokens on %d of %d clips (%.1f %%)%n", same, refs.size(), 100.0 * same / refs.size());
        mismatches.forEach(System.out::println);
        assertTrue(same >= 0.95 * refs.size(), same + " of " + refs.size() + " identical:\n" + String.join("\n", mismatches));
    }

    private static Map<String, Path> manifest(Path speech, String set) throws IOException {
        Map<String, Path> out = new HashMap<>();
        List<String> lines = Files.readAllLines(speech.resolve(set).resolve("manifest.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            out.put(set + "/" + f[0], speech.resolve(set).resolve(f[1]));
        }
        return out;
    }
}
