package io.auricle.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.auricle.AuricleException;
import io.auricle.tensor.DType;
import io.auricle.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path tmp;

    /** A sharded HF checkpoint written by the safetensors library (tools/python/hf_weights_fixture.py). */
    @Test
    void readsTheReferenceWritersShardedCheckpoint() throws IOException {
        Path dir = tmp.resolve("hf");
        Files.createDirectories(dir);
        try (var files = Files.list(TestModels.resource("synthetic_hf"))) {
            for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        String vocab = IntStream.range(0, 50256).mapToObj(i -> "\"t" + i + "\": " + i).collect(Collectors.joining(", "));
        Files.writeString(dir.resolve("vocab.json"), "{" + vocab + ", \"<|endoftext|>\": 50256}");

        Checkpoint c = CheckpointLoader.load(dir);
        JsonNode golden = TestModels.json("synthetic.json");
        assertEquals(TestModels.dims(golden.get("dims")), c.dims());
        assertArrayEquals(new int[][] {{1, 0}, {1, 1}}, c.alignmentHeads());
        assertArrayEquals(new int[] {1, 2, 7}, c.suppressTokens());
        assertArrayEquals(new int[] {220, 50256}, c.beginSuppressTokens());
        assertEquals(50256, c.vocabulary().size());
        assertArrayEquals("t123".getBytes(), c.vocabulary().get(123));
        golden.get("variants").get("synthetic_f32").get("tensors").properties().forEach(e -> {
            Tensor t = c.tensor(e.getKey());
            assertArrayEquals(Ct2ReaderTest.ints(e.getValue().get("shape")), t.shape(), e.getKey());
            if (e.getValue().has("values")) {
                assertEquals(DType.F32, t.type());
                assertArrayEquals(Ct2ReaderTest.floats(e.getValue().get("values")), t.toFloatArray(), 0f, e.getKey());
            } else {
                assertEquals(DType.F16, t.type()); // the fixture stores the embedding in float16
                e.getValue().get("rows").properties().forEach(r -> {
                    int row = Integer.parseInt(r.getKey());
                    float[] want = Ct2ReaderTest.floats(r.getValue());
                    for (int j = 0; j < want.length; j++) {
                        assertEquals(Float.float16ToFloat(Float.floatToFloat16(want[j])), t.get((long) row * t.cols() + j), 0f);
                    }
                });
            }
        });
    }

    @Test
    void tinyEnRoundTripsThroughSafetensors() {
        Checkpoint source = Ct2Reader.read(TestModels.real("tiny.en"));
        Path dir = tmp.resolve("tiny.en-hf");
        SafetensorsWriter.write(source, dir, DType.F16);
        TestModels.assertSameCheckpoint(source, CheckpointLoader.load(dir)); // float16 in, float16 out
    }

    @Test
    void damagedHeadersAreOneClearError() throws IOException {
        Path file = tmp.resolve("bad.safetensors");
        Files.write(file, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertEquals(file + ": not a safetensors file (header length 1099511627776)",
                assertThrows(AuricleException.class, () -> SafetensorsReader.readFile(file)).getMessage());
        String header = "{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 160]}}";
        Files.write(file, concat(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length()).array(),
                header.getBytes(), new byte[16]));
        assertEquals(file + ": w has data offsets [0, 160] outside the 16-byte data buffer",
                assertThrows(AuricleException.class, () -> SafetensorsReader.readFile(file)).getMessage());
        header = "{\"w\": {\"dtype\": \"I64\", \"shape\": [2], \"data_offsets\": [0, 16]}}";
        Files.write(file, concat(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length()).array(),
                header.getBytes(), new byte[16]));
        assertEquals(file + ": w has dtype I64; Auricle reads F32, F16 and BF16",
                assertThrows(AuricleException.class, () -> SafetensorsReader.readFile(file)).getMessage());
        Files.write(file, new byte[5]);
        assertEquals(file + ": truncated: header length needs 8 bytes at offset 0 but the file has 5 bytes",
                assertThrows(AuricleException.class, () -> SafetensorsReader.readFile(file)).getMessage());
    }

    @Test
    void namesMapBothWays() {
        for (String name : CanonicalTensors.expected(OfficialModel.TINY.dims).keySet()) {
            assertEquals(name, SafetensorsReader.openaiName(SafetensorsWriter.hfName(name)), name);
        }
        assertEquals("model.decoder.layers.3.encoder_attn.k_proj.weight",
                SafetensorsWriter.hfName("decoder.blocks.3.cross_attn.key.weight"));
        assertEquals(null, SafetensorsReader.openaiName("proj_out.weight"));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) b.put(p);
        return b.array();
    }
}
