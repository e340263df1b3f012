package io.auricle.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test models: the real ones tools/fetch-models caches, and the committed fixtures. */
final class TestModels {
    private TestModels() {}

    static Path cache() {
        String env = System.getenv("AURICLE_CACHE");
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "auricle");
    }

    /** A fetched model directory; fails (not skips) when absent, since bin/test fetches it first. */
    static Path real(String name) {
        Path dir = cache().resolve("models").resolve(name);
        if (!Files.isRegularFile(dir.resolve("model.bin"))) fail(dir + " is missing: run tools/fetch-models " + name);
        return dir;
    }

    /** The same dimensions, tensor names, shapes and bytes, vocabulary, alignment heads and suppress lists. */
    static void assertSameCheckpoint(Checkpoint want, Checkpoint got) {
        assertEquals(want.dims(), got.dims());
        assertEquals(want.tensors().keySet(), got.tensors().keySet());
        for (String name : want.tensors().keySet()) {
            assertArrayEquals(want.tensor(name).shape(), got.tensor(name).shape(), name);
            assertEquals(-1L, want.tensor(name).data().mismatch(got.tensor(name).data()), name);
        }
        assertEquals(want.vocabulary().size(), got.vocabulary().size());
        for (int i = 0; i < want.vocabulary().size(); i++) {
            assertArrayEquals(want.vocabulary().get(i), got.vocabulary().get(i), "token " + i);
        }
        assertArrayEquals(want.alignmentHeads(), got.alignmentHeads());
        assertArrayEquals(want.suppressTokens(), got.suppressTokens());
        assertArrayEquals(want.beginSuppressTokens(), got.beginSuppressTokens());
    }

    static Path resource(String name) {
        try {
            return Path.of(TestModels.class.getResource("/model/" + name).toURI());
        } catch (Exception e) {
            throw new AssertionError("missing test resource /model/" + name, e);
        }
    }

    static JsonNode json(String name) {
        try (InputStream in = Files.newInputStream(resource(name))) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static ModelDimensions dims(JsonNode d) {
        return new ModelDimensions(d.get("n_mels").asInt(), d.get("n_audio_ctx").asInt(), d.get("n_audio_state").asInt(),
                d.get("n_audio_head").asInt(), d.get("n_audio_layer").asInt(), d.get("n_vocab").asInt(),
                d.get("n_text_ctx").asInt(), d.get("n_text_state").asInt(), d.get("n_text_head").asInt(),
                d.get("n_text_layer").asInt());
    }
}
