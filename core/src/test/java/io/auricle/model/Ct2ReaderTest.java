package io.auricle.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.auricle.tensor.DType;
import io.auricle.tensor.Tensor;
import io.auricle.tokenizer.Vocabularies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ct2Reader against tools/python/ct2_weights_fixture.py's golden values (numpy, tokenizers, CT2's converter). */
class Ct2ReaderTest {

    @Test
    void tinyEnMatchesNumpy() throws Exception {
        JsonNode golden = TestModels.json("tiny_en_ct2.json");
        Checkpoint c = Ct2Reader.read(TestModels.real("tiny.en"));

        assertEquals(TestModels.dims(golden.get("dims")), c.dims());
        assertEquals(golden.get("is_multilingual").asBoolean(), c.dims().isMultilingual());
        assertEquals(golden.get("tensor_count").asInt(), c.tensors().size());
        assertTrue(c.source().endsWith("(CTranslate2 float16)"), c.source());
        assertEquals(DType.F16, c.tensor("encoder.blocks.0.attn.key.weight").type());

        golden.get("tensors").properties().forEach(e -> checkSummary(c.tensor(e.getKey()), e.getValue()));

        assertArrayEquals(pairs(golden.get("alignment_heads")), c.alignmentHeads());
        assertArrayEquals(ints(golden.get("suppress_ids")), c.suppressTokens());
        assertArrayEquals(ints(golden.get("suppress_ids_begin")), c.beginSuppressTokens());
    }

    @Test
    void tinyEnVocabularyMatchesTokenizersLibrary() throws Exception {
        JsonNode golden = TestModels.json("tiny_en_ct2.json").get("vocabulary");
        Path dir = TestModels.real("tiny.en");
        List<byte[]> fromTxt = Ct2Reader.read(dir).vocabulary();
        List<byte[]> fromTokenizerJson = Vocabularies.readTokenizerJson(dir.resolve("tokenizer.json"));

        assertEquals(golden.get("count").asInt(), fromTxt.size());
        assertEquals(golden.get("sha256_len_prefixed").asText(), lengthPrefixedSha256(fromTxt));
        assertEquals(golden.get("sha256_len_prefixed").asText(), lengthPrefixedSha256(fromTokenizerJson));
        golden.get("samples").properties().forEach(e -> assertEquals(e.getValue().asText(),
                HexFormat.of().formatHex(fromTxt.get(Integer.parseInt(e.getKey()))), "token " + e.getKey()));
    }

    @Test
    void tensorsAreViewsOfTheMappedFile() {
        Checkpoint c = Ct2Reader.read(TestModels.real("tiny.en"));
        Tensor q = c.tensor("encoder.blocks.0.attn.query.weight");
        Tensor k = c.tensor("encoder.blocks.0.attn.key.weight");
        assertTrue(q.data().isMapped() && k.data().isMapped());
        // Q and K are consecutive row ranges of the fused Q;K;V variable.
        assertEquals(q.data().address() + q.data().byteSize(), k.data().address());
        assertTrue(!c.tensors().containsKey("encoder.blocks.0.attn.key.bias"));
    }

    @Test
    void syntheticFloat32IsExactAndInt8MatchesTheReferenceQuantizer(@TempDir Path tmp) throws Exception {
        JsonNode golden = TestModels.json("synthetic.json");
        for (String variant : List.of("synthetic_f32", "synthetic_int8_f16")) {
            Path dir = withVocabulary(TestModels.resource(variant), tmp.resolve(variant));
            Checkpoint c = Ct2Reader.read(dir);
            assertEquals(TestModels.dims(golden.get("dims")), c.dims(), variant);
            assertArrayEquals(new int[][] {{1, 1}, {0, 0}}, c.alignmentHeads());
            assertArrayEquals(new int[] {1, 2, 3}, c.suppressTokens());
            assertArrayEquals(new int[] {220, 50256}, c.beginSuppressTokens());
            JsonNode tensors = golden.get("variants").get(variant).get("tensors");
            assertEquals(tensors.size(), c.tensors().size());
            tensors.properties().forEach(e -> {
                Tensor t = c.tensor(e.getKey());
                assertArrayEquals(ints(e.getValue().get("shape")), t.shape(), e.getKey());
                if (e.getValue().has("values")) {
                    assertArrayEquals(floats(e.getValue().get("values")), t.toFloatArray(), 0f, variant + " " + e.getKey());
                } else {
                    e.getValue().get("rows").properties().forEach(r -> {
                        int row = Integer.parseInt(r.getKey());
                        float[] got = new float[t.cols()];
                        for (int j = 0; j < t.cols(); j++) got[j] = t.get((long) row * t.cols() + j);
                        assertArrayEquals(floats(r.getValue()), got, 0f, variant + " row " + row);
                    });
                }
            });
            if (variant.endsWith("int8_f16")) {
                assertEquals(DType.I8_ROW_SCALED, c.tensor("decoder.blocks.1.attn.value.weight").type());
                assertEquals(DType.F16, c.tensor("decoder.blocks.1.attn.value.bias").type());
            }
        }
    }

    /** The fixtures carry no vocabulary; any list of 50256 byte-level tokens then <|endoftext|> will do. */
    static Path withVocabulary(Path fixture, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.copy(fixture.resolve("model.bin"), dir.resolve("model.bin"));
        Files.copy(fixture.resolve("config.json"), dir.resolve("config.json"));
        String tokens = IntStream.range(0, 50256).mapToObj(i -> "t" + i).collect(Collectors.joining("\n"));
        Files.writeString(dir.resolve("vocabulary.txt"), tokens + "\n<|endoftext|>\n");
        return dir;
    }

    private static void checkSummary(Tensor t, JsonNode want) {
        assertArrayEquals(ints(want.get("shape")), t.shape(), t.name());
        double sum = 0, abs = 0;
        long n = t.numel();
        for (long i = 0; i < n; i++) {
            double v = t.get(i);
            sum += v;
            abs += Math.abs(v);
        }
        assertEquals(want.get("sum").asDouble(), sum, 1e-9 * Math.max(1, want.get("abs_sum").asDouble()), t.name());
        assertEquals(want.get("abs_sum").asDouble(), abs, 1e-9 * Math.max(1, want.get("abs_sum").asDouble()), t.name());
        for (JsonNode s : want.get("samples")) {
            assertEquals((float) s.get(1).asDouble(), t.get(s.get(0).asLong()), 0f, t.name() + "[" + s.get(0) + "]");
        }
    }

    static String lengthPrefixedSha256(List<byte[]> tokens) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (byte[] t : tokens) {
            sha.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(t.length).array());
            sha.update(t);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static int[] ints(JsonNode list) {
        assertNotNull(list);
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) out[i] = list.get(i).asInt();
        return out;
    }

    static float[] floats(JsonNode list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) list.get(i).asDouble();
        return out;
    }

    static int[][] pairs(JsonNode list) {
        int[][] out = new int[list.size()][];
        for (int i = 0; i < out.length; i++) out[i] = ints(list.get(i));
        return out;
    }
}
