package io.auricle.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    /** Python's bytes.decode("utf-8", "replace") on byte runs near UTF-8's edges, from the fixture script. */
    @Test
    void replacesBadBytesAsPythonDoes() throws IOException {
        JsonNode cases;
        try (InputStream in = Utf8Test.class.getResourceAsStream("/tokenizer/utf8.json")) {
            cases = new ObjectMapper().readTree(in);
        }
        assertTrue(cases.size() > 400);
        for (JsonNode c : cases) {
            byte[] bytes = HexFormat.of().parseHex(c.get("hex").asText());
            assertEquals(c.get("text").asText(), Utf8.decode(bytes, bytes.length), c.get("hex").asText());
        }
    }

    @Test
    void decodesValidTextAsTheJdk() {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            int cp = random.nextInt(0x110000);
            if (cp < 0xD800 || cp > 0xDFFF) text.appendCodePoint(cp);
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(text.toString(), Utf8.decode(bytes, bytes.length));
        assertEquals("ab", Utf8.decode("abc".getBytes(StandardCharsets.UTF_8), 2));
    }
}
