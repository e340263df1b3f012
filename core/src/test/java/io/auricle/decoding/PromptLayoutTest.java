package io.auricle.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.auricle.model.TinyEn;
import io.auricle.tokenizer.Tokenizer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The initial tokens with hotwords and a prefix, as faster-whisper's get_prompt lays out hotwords and openai's
 * DecodingTask the prefix: {@code <|startofprev|> hotwords previous-text <|startoftranscript|>... prefix}.
 */
class PromptLayoutTest {
    static final Tokenizer TOK = TinyEn.tokenizer();

    static int[] initial(DecodingOptions options) {
        return new DecodingTask(TinyEn.model(), TOK, options).initialTokens();
    }

    static int[] concat(int[]... parts) {
        return java.util.Arrays.stream(parts).flatMapToInt(java.util.Arrays::stream).toArray();
    }

    @Test
    void hotwordsGoBeforeThePreviousText() {
        int[] previous = TOK.encode(" ask not what your country can do for you");
        int[] got = initial(DecodingOptions.defaults().withPrompt(previous).withHotwords("  Kennedy, Americans "));
        assertArrayEquals(concat(new int[] {TOK.sotPrev()}, TOK.encode(" Kennedy, Americans"), previous,
                TOK.sotSequence(null, "transcribe")), got);
    }

    @Test
    void hotwordsAloneStillOpenThePreviousText() {
        int[] got = initial(DecodingOptions.defaults().withHotwords("Kennedy"));
        assertArrayEquals(concat(new int[] {TOK.sotPrev()}, TOK.encode(" Kennedy"), TOK.sotSequence(null, "transcribe")), got);
    }

    @Test
    void aPrefixFollowsTheSotSequenceAndSilencesTheHotwords() {
        int[] got = initial(DecodingOptions.defaults().withHotwords("Kennedy").withPrefix("And so").withoutTimestamps(true));
        assertArrayEquals(concat(TOK.sotSequence(null, "transcribe"), new int[] {TOK.noTimestamps()}, TOK.encode(" And so")), got);
    }

    @Test
    void longHotwordsKeepTheirFirst223Tokens() {
        String many = String.join(" ", IntStream.range(0, 300).mapToObj(i -> "word").toList());
        int[] tokens = TOK.encode(" " + many);
        int[] got = initial(DecodingOptions.defaults().withHotwords(many));
        assertArrayEquals(concat(new int[] {TOK.sotPrev()}, java.util.Arrays.copyOf(tokens, 223),
                TOK.sotSequence(null, "transcribe")), got);
    }
}
