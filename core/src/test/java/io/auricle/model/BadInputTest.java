package io.auricle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.auricle.AuricleException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged or wrong files: each gives one AuricleException naming the file and the reason, never a crash. */
class BadInputTest {
    @TempDir
    Path tmp;
    private Path ct2;
    private byte[] modelBin;
    private byte[] ggml;

    @BeforeEach
    void fixtures() throws IOException {
        ct2 = Ct2ReaderTest.withVocabulary(TestModels.resource("synthetic_f32"), tmp.resolve("ct2"));
        modelBin = Files.readAllBytes(ct2.resolve("model.bin"));
        Path g = tmp.resolve("ggml-synthetic.bin");
        GgmlWriter.write(Ct2Reader.read(ct2), g, GgmlWriter.Type.F32);
        ggml = Files.readAllBytes(g);
    }

    private String ggmlError(byte[] bytes) throws IOException {
        Path file = tmp.resolve("bad.bin");
        Files.write(file, bytes);
        return assertThrows(AuricleException.class, () -> CheckpointLoader.load(file)).getMessage()
                .replace(file.toString(), "FILE");
    }

    private String ct2Error(byte[] bytes) throws IOException {
        Files.write(ct2.resolve("model.bin"), bytes);
        return assertThrows(AuricleException.class, () -> CheckpointLoader.load(ct2)).getMessage()
                .replace(ct2.toString(), "DIR");
    }

    private static byte[] withInt(byte[] bytes, int offset, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return copy;
    }

    /** Offset just past a CT2 variable's NUL-terminated name. */
    private int afterName(String name) {
        byte[] needle = (name + "\0").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + needle.length <= modelBin.length; i++) {
            if (Arrays.equals(modelBin, i, i + needle.length, needle, 0, needle.length)) return i + needle.length;
        }
        throw new AssertionError(name);
    }

    @Test
    void ggmlWrongMagic() throws IOException {
        assertEquals("FILE: unrecognised model format", ggmlError(withInt(ggml, 0, 0x46554747)));
        Path file = tmp.resolve("bad.bin");
        assertEquals(file + ": not a ggml file (wrong magic)",
                assertThrows(AuricleException.class, () -> GgmlReader.read(file)).getMessage());
    }

    @Test
    void ggmlTruncated() throws IOException {
        assertEquals("FILE: truncated: decoder.ln.bias data needs 16 bytes at offset " + (ggml.length - 16)
                + " but the file has " + (ggml.length - 10) + " bytes", ggmlError(Arrays.copyOf(ggml, ggml.length - 10)));
        assertEquals("FILE: truncated: mel filters needs 64320 bytes at offset 56 but the file has 1000 bytes",
                ggmlError(Arrays.copyOf(ggml, 1000)));
        assertEquals("FILE: truncated: n_mels needs 4 bytes at offset 40 but the file has 42 bytes",
                ggmlError(Arrays.copyOf(ggml, 42)));
    }

    @Test
    void ggmlShapesThatDisagreeWithTheHyperparameters() throws IOException {
        assertEquals("FILE (ggml f32): tensor decoder.positional_embedding has shape [5, 4] but the hyperparameters imply [5, 8]",
                ggmlError(withInt(ggml, 28, 8))); // n_text_state 4 -> 8
        assertEquals("FILE (ggml f32): missing tensor encoder.blocks.2.attn.query.weight",
                ggmlError(withInt(ggml, 20, 3))); // n_audio_layer 2 -> 3
    }

    @Test
    void ggmlAbsurdDimensions() throws IOException {
        assertEquals("FILE (ggml f32): n_vocab = 2147483647 is outside 1..1048576", ggmlError(withInt(ggml, 4, Integer.MAX_VALUE)));
        assertEquals("FILE (ggml f32): n_audio_head = -3 is outside 1..1024", ggmlError(withInt(ggml, 16, -3)));
        // the first tensor's ne[0] made huge: its data would run far past the end of the file
        int firstTensor = firstGgmlTensor();
        String message = ggmlError(withInt(ggml, firstTensor + 12, 1 << 30));
        assertEquals("FILE: truncated: encoder.positional_embedding data needs " + (4L * 6 * (1 << 30)) + " bytes at offset "
                + (firstTensor + 20 + "encoder.positional_embedding".length()) + " but the file has " + ggml.length + " bytes",
                message);
        byte[] cube = withInt(withInt(ggml, firstTensor + 12, 1 << 30), firstTensor + 16, 1 << 30);
        assertEquals("FILE: encoder.positional_embedding has an absurd shape [1073741824, 1073741824] (ne)", ggmlError(cube));
        assertEquals("FILE: tensor at offset " + firstTensor + " has rank 99", ggmlError(withInt(ggml, firstTensor, 99)));
        assertEquals("FILE: encoder.positional_embedding has ggml type 12, which Auricle does not read (k-quants are not supported)",
                ggmlError(withInt(ggml, firstTensor + 8, 12)));
    }

    private int firstGgmlTensor() {
        ByteBuffer b = ByteBuffer.wrap(ggml).order(ByteOrder.LITTLE_ENDIAN);
        int at = 48 + 8 + 80 * 201 * 4;
        int tokens = b.getInt(at);
        at += 4;
        for (int i = 0; i < tokens; i++) at += 4 + b.getInt(at);
        return at;
    }

    @Test
    void ct2Truncated() throws IOException {
        String m = ct2Error(Arrays.copyOf(modelBin, modelBin.length / 2));
        assertEquals(true, m.startsWith("DIR/model.bin: truncated: ") && m.endsWith(" but the file has "
                + modelBin.length / 2 + " bytes"), m);
        assertEquals("DIR/model.bin: truncated: binary version needs 4 bytes at offset 0 but the file has 0 bytes",
                ct2Error(new byte[0]));
    }

    @Test
    void ct2WrongVersionAndSpec() throws IOException {
        assertEquals("DIR/model.bin: CTranslate2 binary version 9 is not supported (expected 4 to 6)",
                ct2Error(withInt(modelBin, 0, 9)));
        byte[] other = modelBin.clone();
        System.arraycopy("MarianSpec\0\0".getBytes(StandardCharsets.US_ASCII), 0, other, 6, 12);
        other[4] = 11; // "MarianSpec" + NUL, padding the rest of the old name into the revision field
        assertEquals("DIR/model.bin: is a CTranslate2 MarianSpec, not a Whisper model", ct2Error(other));
    }

    @Test
    void ct2SizesAndShapesThatDisagree() throws IOException {
        int activation = afterName("decoder/activation"); // rank 0, dtype int8, 1 byte
        assertEquals("DIR/model.bin: decoder/activation declares 2 bytes for 1 elements of 1 bytes",
                ct2Error(withInt(modelBin, activation + 2, 2)));
        int heads = afterName("encoder/num_heads") + 1 + 1 + 4; // rank, dtype, size, then the int16 value
        byte[] threeHeads = modelBin.clone();
        threeHeads[heads] = 3;
        assertEquals("DIR (CTranslate2 float32): the model width is not a multiple of the head count", ct2Error(threeHeads));
        int pos = afterName("decoder/position_encodings/encodings") + 1; // rank 2: dims follow
        assertEquals("DIR/model.bin: decoder/position_encodings/encodings has an absurd dimension 4294967295",
                ct2Error(withInt(modelBin, pos, -1)));
        assertEquals("DIR/model.bin: decoder/position_encodings/encodings declares 80 bytes for 24 elements of 4 bytes",
                ct2Error(withInt(modelBin, pos, 6)));
    }

    @Test
    void missingPiecesOfAModelDirectory() throws IOException {
        Files.delete(ct2.resolve("vocabulary.txt"));
        assertEquals(ct2 + ": no vocabulary file (expected one of vocabulary.json, vocabulary.txt, tokenizer.json, vocab.json)",
                assertThrows(AuricleException.class, () -> CheckpointLoader.load(ct2)).getMessage());
        Files.writeString(ct2.resolve("vocabulary.txt"), "a\nb\n<|endoftext|>\n");
        assertEquals(ct2 + " (CTranslate2 float32): the vocabulary has 2 regular tokens but n_vocab 51864 implies 50256",
                assertThrows(AuricleException.class, () -> CheckpointLoader.load(ct2)).getMessage());
        Files.writeString(ct2.resolve("config.json"), "{\"alignment_heads\": [[1, 1]");
        String m = assertThrows(AuricleException.class, () -> CheckpointLoader.load(ct2)).getMessage();
        assertEquals(true, m.startsWith(ct2.resolve("config.json") + ": not valid JSON: "), m);
        assertEquals(1, m.lines().count(), m);
        Path nowhere = tmp.resolve("nowhere");
        assertEquals(nowhere + ": no such file or directory",
                assertThrows(AuricleException.class, () -> CheckpointLoader.load(nowhere)).getMessage());
    }

    @Test
    void alignmentHeadsOutsideTheModel() throws IOException {
        Files.writeString(ct2.resolve("config.json"), "{\"alignment_heads\": [[1, 1], [7, 0]]}");
        assertEquals(ct2 + " (CTranslate2 float32): alignment head (7, 0) is outside the 2 decoder layers x 2 heads",
                assertThrows(AuricleException.class, () -> CheckpointLoader.load(ct2)).getMessage());
    }
}
