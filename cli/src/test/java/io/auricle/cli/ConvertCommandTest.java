package io.auricle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.model.Checkpoint;
import io.auricle.model.CheckpointLoader;
import io.auricle.tensor.DType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
    @TempDir
    Path tmp;

    private static Path tinyEn() {
        String env = System.getenv("AURICLE_CACHE");
        Path cache = env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache/auricle");
        return cache.resolve("models/tiny.en");
    }

    @Test
    void convertsTinyEnToQ8_0() {
        Path out = tmp.resolve("ggml-tiny.en-q8_0.bin");
        Result r = run("convert", "--model", tinyEn().toString(), "--to", "ggml", "--type", "q8_0", "-o", out.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("(ggml q8_0, 43.6 MB)"), r.out);
        Checkpoint c = CheckpointLoader.load(out);
        assertEquals(DType.Q8_0, c.tensor("decoder.blocks.0.mlp.0.weight").type());
    }

    @Test
    void convertsTinyEnToSafetensors() {
        Path out = tmp.resolve("tiny.en-hf");
        Result r = run("convert", "--model", tinyEn().toString(), "--to", "safetensors", "--type", "bf16", "-o", out.toString());
        assertEquals(0, r.code, r.err);
        Checkpoint c = CheckpointLoader.load(out);
        assertEquals(DType.BF16, c.tensor("decoder.token_embedding.weight").type());
        assertTrue(c.source().endsWith("(safetensors bf16)"), c.source());
    }

    @Test
    void convertsTinyEnToCt2Int8() {
        Path out = tmp.resolve("tiny.en-ct2-int8");
        Result r = run("convert", "--model", tinyEn().toString(), "--to", "ct2", "--type", "int8", "-o", out.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(Files.isRegularFile(out.resolve("vocabulary.json")) && Files.isRegularFile(out.resolve("tokenizer.json")));
        Checkpoint c = CheckpointLoader.load(out);
        assertEquals(DType.I8_ROW_SCALED, c.tensor("decoder.blocks.0.mlp.0.weight").type());
        assertEquals(DType.F32, c.tensor("decoder.blocks.0.mlp.0.bias").type());
        assertTrue(c.source().endsWith("(CTranslate2 int8)"), c.source());
    }

    @Test
    void badCt2TypeIsOneLine() {
        Result r = run("convert", "--model", tinyEn().toString(), "--to", "ct2", "--type", "q8_0", "-o",
                tmp.resolve("x").toString());
        assertEquals(2, r.code);
        assertEquals("auricle: unknown ct2 type 'q8_0': use one of float32, float16, int8, int8_float16\n", r.err);
    }

    @Test
    void badTypeIsOneLineAndExitCode2() {
        Result r = run("convert", "--model", tinyEn().toString(), "--to", "ggml", "--type", "q3_k", "-o",
                tmp.resolve("x.bin").toString());
        assertEquals(2, r.code);
        assertEquals("auricle: unknown ggml type 'q3_k': use one of f32, f16, q8_0, q5_0, q5_1, q4_0, q4_1\n", r.err);
        assertTrue(!Files.exists(tmp.resolve("x.bin")));
    }

    @Test
    void unknownModelNameIsOneLine() {
        Result r = run("convert", "--model", "tiny.xx", "--to", "ggml", "-o", tmp.resolve("x.bin").toString());
        assertEquals(2, r.code);
        assertTrue(r.err.startsWith("auricle: unknown model 'tiny.xx': give a model file or directory, or one of tiny.en,"),
                r.err);
        assertEquals(1, r.err.lines().count());
    }

    private record Result(int code, String out, String err) {}

    private static synchronized Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
