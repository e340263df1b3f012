package io.auricle.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.audio.LogMel;
import io.auricle.model.ReferenceFixtures;
import io.auricle.model.TinyEn;
import io.auricle.model.WhisperModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One-window greedy decoding against faster-whisper (tiny.en, float32) on faster-whisper's own log-mel of
 * each clip: same tokens, timestamps included.
 */
class DecodingReferenceTest {
    /** Clips whose mel is a fixture (tools/python/make_reference_tokens.py --mel-ids). */
    static final Set<String> WITH_MEL = Set.of("jfk", "goforward", "cards-001", "LJ001-0002", "LJ001-0005",
            "61-70968-0000");

    @Test
    void suppressListIsFasterWhispers() throws Exception {
        var json = new ObjectMapper().readTree(getClass().getResource("/io/auricle/decoding/reference_suppress.json"));
        int[] expected = new int[json.get("suppress_tokens").size()];
        for (int i = 0; i < expected.length; i++) expected[i] = json.get("suppress_tokens").get(i).asInt();
        DecodingTask task = new DecodingTask(TinyEn.model(), TinyEn.tokenizer(), DecodingOptions.defaults());
        assertArrayEquals(expected, task.suppressTokens());
        assertArrayEquals(new int[] {50257}, task.initialTokens());
    }

    @Test
    void compressionRatioIsZlibs() {
        for (ReferenceTokens r : ReferenceTokens.load()) {
            assertEquals(r.compressionRatio(), DecodingTask.compressionRatio(r.text()), 1e-5, r.id());
        }
    }

    @Test
    void tokensMatchFasterWhisperOnItsMel() {
        WhisperModel model = TinyEn.model();
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (ReferenceTokens ref : ReferenceTokens.load()) {
            if (!WITH_MEL.contains(ref.id())) continue;
            float[][] content = ReferenceFixtures.mel(ref.id(), 80);
            float[][] window = LogMel.window(content, 0, content[0].length);
            DecodingResult ours = new DecodingTask(model, TinyEn.tokenizer(), DecodingOptions.defaults())
                    .run(model.embedAudio(window));
            checked++;
            int at = ref.firstDifference(ours.tokens());
            if (at >= 0) {
                mismatches.add(ref.id() + " differs at " + at + ": ours " + Arrays.toString(ours.tokens())
                        + " reference " + Arrays.toString(ref.tokens()));
                continue;
            }
            assertEquals(ref.text(), ours.text(), ref.id());
            assertEquals(ref.noSpeechProb(), ours.noSpeechProb(), 1e-3, ref.id());
            assertEquals(ref.compressionRatio(), ours.compressionRatio(), 1e-5, ref.id());
        }
        assertEquals(WITH_MEL.size(), checked);
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }
}
