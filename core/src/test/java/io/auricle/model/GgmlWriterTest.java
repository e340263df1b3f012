package io.auricle.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.auricle.tensor.DType;
import io.auricle.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * tiny.en converted to each ggml type must equal, byte for byte (mel filters aside), the file
 * tools/python/ggml_convert_fixture.py writes the way whisper.cpp's converter and quantize tool do, and which
 * whisper.cpp itself loads and transcribes; reloading it must give back the same tensors (f32, f16) or values
 * within the quantization step (q-types).
 */
class GgmlWriterTest {
    private static final long FILTERS_END = 48 + 8 + 80L * 201 * 4;
    private static Checkpoint source;
    private static JsonNode golden;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void load() {
        source = Ct2Reader.read(TestModels.real("tiny.en"));
        golden = TestModels.json("ggml_tiny_en.json").get("types");
    }

    @ParameterizedTest
    @ValueSource(strings = {"f16", "q8_0", "q5_1"})
    void convertsTinyEnLikeWhisperCppAndReadsItBack(String kind) throws Exception {
        convertAndReload(kind);
    }

    /** The other types: the same check, about 5 s each on a shared 2-core machine. */
    @Tag("slow")
    @ParameterizedTest
    @ValueSource(strings = {"f32", "q5_0", "q4_0", "q4_1"})
    void convertsTinyEnToTheOtherTypes(String kind) throws Exception {
        convertAndReload(kind);
    }

    private void convertAndReload(String kind) throws Exception {
        Path out = tmp.resolve("ggml-tiny.en-" + kind + ".bin");
        GgmlWriter.write(source, out, GgmlWriter.Type.parse(kind));
        JsonNode want = golden.get(kind);
        assertEquals(want.get("size").asLong(), Files.size(out));
        assertEquals(want.get("header_sha256").asText(), sha256(out, 0, 48));
        assertEquals(want.get("body_sha256").asText(), sha256(out, FILTERS_END, Files.size(out)));

        Checkpoint back = CheckpointLoader.load(out);
        assertEquals(source.dims(), back.dims());
        assertEquals(source.tensors().keySet(), back.tensors().keySet());
        assertEquals(source.vocabulary().size(), back.vocabulary().size());
        for (int i = 0; i < source.vocabulary().size(); i++) {
            assertArrayEquals(source.vocabulary().get(i), back.vocabulary().get(i), "token " + i);
        }
        assertArrayEquals(OfficialModel.TINY_EN.alignmentHeads(), back.alignmentHeads());
        for (String name : List.of("encoder.conv1.weight", "encoder.conv1.bias", "encoder.blocks.2.attn.key.weight",
                "decoder.blocks.3.cross_attn.value.bias", "decoder.blocks.0.mlp.0.weight", "decoder.positional_embedding")) {
            compare(source.tensor(name), back.tensor(name), kind);
        }
        if (!kind.startsWith("f")) assertEquals(DType.valueOf(kind.toUpperCase()), back.tensor("decoder.token_embedding.weight").type());
        assertEquals(kind.equals("f32") ? DType.F32 : DType.F16, back.tensor("encoder.conv2.weight").type());
    }

    private static void compare(Tensor a, Tensor b, String kind) {
        assertArrayEquals(a.shape(), b.shape(), a.name());
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        if (kind.startsWith("f") || b.type() == DType.F32 || b.type() == DType.F16) {
            assertArrayEquals(x, y, 0f, kind + " " + a.name());
            return;
        }
        for (int blk = 0; blk < x.length / 32; blk++) {
            float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
            for (int j = 0; j < 32; j++) {
                lo = Math.min(lo, x[blk * 32 + j]);
                hi = Math.max(hi, x[blk * 32 + j]);
            }
            float amax = Math.max(-lo, hi);
            float step = switch (kind) {
                case "q8_0" -> amax / 127;
                case "q5_0" -> amax / 8; // one whole step (clamped code) of amax/16
                case "q4_0" -> amax / 4;
                case "q4_1" -> (hi - lo) / 15;
                default -> (hi - lo) / 31;
            };
            for (int j = 0; j < 32; j++) {
                int i = blk * 32 + j;
                assertTrue(Math.abs(x[i] - y[i]) <= step * 0.51f + amax * 2e-3f + 1e-6f,
                        kind + " " + a.name() + "[" + i + "]: " + x[i] + " vs " + y[i]);
            }
        }
    }

    static String sha256(Path file, long from, long to) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(from);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            long left = to - from;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                sha.update(buf, 0, n);
                left -= n;
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
