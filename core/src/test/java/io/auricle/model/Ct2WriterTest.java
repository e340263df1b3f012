package io.auricle.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.tensor.DType;
import io.auricle.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ct2WriterTest {
    @TempDir
    Path tmp;

    /** synthetic_f32 and synthetic_int8_f16 were written by ctranslate2's own converter (ct2_weights_fixture.py). */
    @Test
    void writesTheSameModelBinAsCTranslate2sConverter() throws Exception {
        Checkpoint source = Ct2Reader.read(Ct2ReaderTest.withVocabulary(TestModels.resource("synthetic_f32"), tmp.resolve("in")));
        for (var variant : Map.of("synthetic_f32", Ct2Writer.Type.FLOAT32, "synthetic_int8_f16", Ct2Writer.Type.INT8_FLOAT16)
                .entrySet()) {
            Path out = tmp.resolve(variant.getKey());
            Ct2Writer.write(source, out, variant.getValue(), null);
            byte[] want = Files.readAllBytes(TestModels.resource(variant.getKey()).resolve("model.bin"));
            assertArrayEquals(want, Files.readAllBytes(out.resolve("model.bin")), variant.getKey());
        }
    }

    @Test
    void tinyEnRoundTripsThroughCt2() throws Exception {
        Path original = TestModels.real("tiny.en");
        Checkpoint source = Ct2Reader.read(original);
        Path dir = tmp.resolve("tiny.en-ct2");
        Ct2Writer.write(source, dir, Ct2Writer.Type.FLOAT16, original);
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")), "tokenizer.json is copied for faster-whisper");

        // Every variable of the converter's model.bin is in ours, with the same bytes (ours adds two newer options).
        Map<String, Ct2Reader.Variable> want = Ct2Reader.variables(original.resolve("model.bin"));
        Map<String, Ct2Reader.Variable> got = Ct2Reader.variables(dir.resolve("model.bin"));
        for (Ct2Reader.Variable v : want.values()) {
            Ct2Reader.Variable w = got.get(v.name());
            assertArrayEquals(v.shape(), w.shape(), v.name());
            assertEquals(v.dtype(), w.dtype(), v.name());
            assertEquals(-1L, v.data().mismatch(w.data()), v.name());
        }

        TestModels.assertSameCheckpoint(source, CheckpointLoader.load(dir));
    }

    /** base (multilingual) was written by a recent ctranslate2 converter: our rewrite is the same three files. */
    @Test
    void baseRewritesToTheSameFilesAsCTranslate2() throws Exception {
        Path original = TestModels.real("base");
        Path dir = tmp.resolve("base-ct2");
        Ct2Writer.write(Ct2Reader.read(original), dir, Ct2Writer.Type.FLOAT16, null);
        assertEquals(-1L, Files.mismatch(original.resolve("model.bin"), dir.resolve("model.bin")));
        assertEquals(Json.read(original.resolve("config.json")), Json.read(dir.resolve("config.json")));
        assertEquals(Json.read(original.resolve("vocabulary.json")), Json.read(dir.resolve("vocabulary.json")));
    }

    @Test
    void int8RowsAreWithinHalfAStepOfTheSource() {
        Checkpoint source = Ct2Reader.read(TestModels.real("tiny.en"));
        Path dir = tmp.resolve("tiny.en-int8");
        Ct2Writer.write(source, dir, Ct2Writer.Type.INT8, null);
        Checkpoint back = Ct2Reader.read(dir);
        Tensor a = source.tensor("decoder.blocks.2.mlp.0.weight"), b = back.tensor("decoder.blocks.2.mlp.0.weight");
        assertEquals(DType.I8_ROW_SCALED, b.type());
        assertEquals(DType.F32, back.tensor("decoder.blocks.2.mlp.0.bias").type());
        for (int r = 0; r < a.rows(); r++) {
            float amax = 0;
            for (int j = 0; j < a.cols(); j++) amax = Math.max(amax, Math.abs(a.get((long) r * a.cols() + j)));
            for (int j = 0; j < a.cols(); j++) {
                long i = (long) r * a.cols() + j;
                assertEquals(a.get(i), b.get(i), amax / 127 / 2 * 1.001f, "row " + r);
            }
        }
    }
}
