package io.auricle.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.auricle.model.TinyEn;
import io.auricle.model.WhisperModel;
import io.auricle.tokenizer.Tokenizer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** How many tokens a window may sample after a long prompt: CTranslate2's min(n_ctx / 2, n_ctx - (prompt - 1)). */
class SampleLengthTest {

    @Test
    void aFullPromptStillSamplesUpToTheContextsLastPosition() {
        WhisperModel model = TinyEn.model();
        Tokenizer tokenizer = TinyEn.tokenizer();
        int[] previous = new int[300];
        Arrays.fill(previous, 220); // the last 223 are kept
        DecodingOptions d = DecodingOptions.defaults().withPrompt(previous).withoutTimestamps(true);
        // end-of-text suppressed too, so the window runs to its limit
        DecodingOptions noEnd = new DecodingOptions(d.task(), d.language(), 0, 0, d.prompt(),
                new int[] {-1, tokenizer.eot()}, d.suppressBlank(), true, d.maxInitialTimestamp(), 0);
        DecodingTask task = new DecodingTask(model, tokenizer, noEnd);
        int prompt = task.initialTokens().length;
        assertEquals(1 + 223 + 1 + 1, prompt); // <|startofprev|>, previous text, <|startoftranscript|>, <|notimestamps|>
        float[] audio = new float[1500 * model.dims().nAudioState()];
        DecodingResult r = task.run(audio);
        // 448 - (226 - 1) = 223 tokens: the last one sampled from the logits at position 447, never fed back
        assertEquals(448 - (prompt - 1), r.tokens().length);
    }
}
