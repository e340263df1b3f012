package io.auricle.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.auricle.AuricleException;
import io.auricle.tensor.DType;
import io.auricle.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .pt files laid out as torch.save writes them (tools/python/torch_weights_fixture.py). */
class TorchReaderTest {
    @TempDir
    Path tmp;

    private Path withTiktoken(String fixture) throws IOException {
        Path pt = Files.copy(TestModels.resource(fixture), tmp.resolve(fixture));
        String lines = IntStream.range(0, 50256).mapToObj(i -> Base64.getEncoder()
                .encodeToString(("t" + i).getBytes(StandardCharsets.US_ASCII)) + " " + i).collect(Collectors.joining("\n"));
        Files.writeString(tmp.resolve("gpt2.tiktoken"), lines + "\n");
        return pt;
    }

    @Test
    void readsAnOpenAiStyleCheckpoint() throws IOException {
        Checkpoint c = CheckpointLoader.load(withTiktoken("synthetic.pt"));
        JsonNode golden = TestModels.json("synthetic.json");
        assertEquals(TestModels.dims(golden.get("dims")), c.dims());
        assertTrue(c.source().endsWith("(PyTorch f16+f32)"), c.source());
        assertArrayEquals("t77".getBytes(), c.vocabulary().get(77));
        assertArrayEquals(AlignmentHeads.upperHalf(c.dims()), c.alignmentHeads()); // not an official size
        golden.get("variants").get("synthetic_f32").get("tensors").properties().forEach(e -> {
            Tensor t = c.tensor(e.getKey());
            assertArrayEquals(Ct2ReaderTest.ints(e.getValue().get("shape")), t.shape(), e.getKey());
            if (e.getValue().has("values")) {
                assertArrayEquals(Ct2ReaderTest.floats(e.getValue().get("values")), t.toFloatArray(), 0f, e.getKey());
            } else {
                assertEquals(DType.F16, t.type());
                e.getValue().get("rows").properties().forEach(r -> {
                    float[] want = Ct2ReaderTest.floats(r.getValue());
                    for (int j = 0; j < want.length; j++) {
                        assertEquals(Float.float16ToFloat(Float.floatToFloat16(want[j])),
                                t.get(Long.parseLong(r.getKey()) * t.cols() + j), 0f);
                    }
                });
            }
        });
        // query and key share one storage: the key starts where the query ends, no copy
        Tensor q = c.tensor("encoder.blocks.0.attn.query.weight"), k = c.tensor("encoder.blocks.0.attn.key.weight");
        assertEquals(q.data().address() + q.data().byteSize(), k.data().address());
    }

    /** torch.save's own output (torch_save_weights_fixture.py, torch 2.15) holds the same weights as synthetic.pt. */
    @Test
    void readsWhatTorchSaveWrites() throws IOException {
        Checkpoint handMade = CheckpointLoader.load(withTiktoken("synthetic.pt"));
        Checkpoint saved = CheckpointLoader.load(withTiktoken("synthetic_torch_save.pt"));
        assertTrue(saved.source().endsWith("(PyTorch f16+f32)"), saved.source());
        TestModels.assertSameCheckpoint(handMade, saved);
    }

    @Test
    void hostilePickleIsRefusedBeforeAnythingRuns() throws IOException {
        Path pt = withTiktoken("hostile.pt");
        AuricleException e = assertThrows(AuricleException.class, () -> CheckpointLoader.load(pt));
        assertEquals(pt + ": the pickle asks for posix.system, which a checkpoint never needs; refusing to load it",
                e.getMessage());
    }

    @Test
    void pickleOpcodesOutsideTheSubsetAreRefused() {
        // protocol 0 INST ('i'): builds an object by name, which torch.save never emits
        byte[] inst = "\u0080\u0002(ibuiltins\nobject\n.".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("x.pt: bad pickle at byte 3: unsupported pickle opcode 0x69",
                assertThrows(AuricleException.class, () -> RestrictedUnpickler.load(MemorySegment.ofArray(inst), "x.pt"))
                        .getMessage());
        byte[] truncated = {(byte) 0x80, 2, '}', 'X', 100, 0, 0, 0, 'a'};
        assertEquals("x.pt: bad pickle at byte 8: a string longer than the pickle",
                assertThrows(AuricleException.class, () -> RestrictedUnpickler.load(MemorySegment.ofArray(truncated), "x.pt"))
                        .getMessage());
    }

    @Test
    void missingVocabularyAndDamagedZipAreClearErrors() throws IOException {
        Path pt = Files.copy(TestModels.resource("synthetic.pt"), tmp.resolve("alone.pt"));
        assertEquals(pt + ": a .pt file has no vocabulary; put openai-whisper's gpt2.tiktoken (or a tokenizer.json) next to it",
                assertThrows(AuricleException.class, () -> CheckpointLoader.load(pt)).getMessage());
        byte[] bytes = Files.readAllBytes(pt);
        Path cut = tmp.resolve("cut.pt");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertEquals(cut + ": truncated zip (no end of central directory)",
                assertThrows(AuricleException.class, () -> CheckpointLoader.load(cut)).getMessage());
    }
}
