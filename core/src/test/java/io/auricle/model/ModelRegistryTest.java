package io.auricle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.auricle.AuricleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
    @TempDir
    Path tmp;

    private ModelRegistry.Locations where(Path script) {
        return new ModelRegistry.Locations(tmp.resolve("hub"), tmp.resolve("auricle"), script, null);
    }

    @Test
    void existingPathIsTakenAsIs() throws IOException {
        Path file = Files.createFile(tmp.resolve("my-model.bin"));
        assertEquals(file, ModelRegistry.resolve(file.toString(), where(null)));
    }

    @Test
    void unknownNameListsTheValidNames() {
        var e = assertThrows(AuricleException.class, () -> ModelRegistry.resolve("tiny.fr", where(null)));
        assertEquals("unknown model 'tiny.fr': give a model file or directory, or one of tiny.en, tiny, base.en, base, "
                + "small.en, small, medium.en, medium, large-v1, large-v2, large-v3, turbo", e.getMessage());
    }

    @Test
    void officialNameFindsTheHuggingFaceSnapshotNamedByRefsMain() throws IOException {
        Path repo = tmp.resolve("hub/models--Systran--faster-whisper-tiny.en");
        Path old = Files.createDirectories(repo.resolve("snapshots/0000old"));
        Files.createFile(old.resolve("model.bin"));
        Path current = Files.createDirectories(repo.resolve("snapshots/abc123"));
        Files.createFile(current.resolve("model.bin"));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), "abc123");
        assertEquals(current, ModelRegistry.resolve("tiny.en", where(null)));
        // turbo is not a Systran repository, and "large" means large-v3 (as in faster-whisper)
        Path turbo = Files.createDirectories(tmp.resolve("hub/models--mobiuslabsgmbh--faster-whisper-large-v3-turbo/snapshots/s"));
        Files.createFile(turbo.resolve("model.bin"));
        assertEquals(turbo, ModelRegistry.resolve("large-v3-turbo", where(null)));
    }

    @Test
    void huggingFaceCacheHonoursTheEnvironment() {
        Path home = Path.of("/home/u");
        assertEquals(Path.of("/home/u/.cache/huggingface/hub"),
                ModelRegistry.Locations.fromEnvironment(Map.of(), home).huggingFaceHub());
        assertEquals(Path.of("/x/hub"), ModelRegistry.Locations.fromEnvironment(Map.of("HF_HOME", "/x"), home).huggingFaceHub());
        assertEquals(Path.of("/y"), ModelRegistry.Locations.fromEnvironment(
                Map.of("HF_HOME", "/x", "HF_HUB_CACHE", "/y"), home).huggingFaceHub());
        assertEquals(Path.of("/c/huggingface/hub"),
                ModelRegistry.Locations.fromEnvironment(Map.of("XDG_CACHE_HOME", "/c"), home).huggingFaceHub());
        assertEquals(Path.of("/a"), ModelRegistry.Locations.fromEnvironment(Map.of("AURICLE_CACHE", "/a"), home).auricleCache());
        assertEquals(java.net.URI.create("https://huggingface.co"),
                ModelRegistry.Locations.fromEnvironment(Map.of(), home).hubEndpoint());
        assertEquals(java.net.URI.create("http://127.0.0.1:9/"),
                ModelRegistry.Locations.fromEnvironment(Map.of("HF_ENDPOINT", "http://127.0.0.1:9/"), home).hubEndpoint());
        assertEquals(null, ModelRegistry.Locations.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), home).hubEndpoint());
    }

    @Test
    void officialNameFallsBackToOurCache() throws IOException {
        Path base = Files.createDirectories(tmp.resolve("auricle/models/base"));
        Files.createFile(base.resolve("model.bin"));
        assertEquals(base, ModelRegistry.resolve("base", where(null)));
    }

    @Test
    void absentModelIsFetchedWithTheScript() throws IOException {
        Path script = script("mkdir -p \"$AURICLE_CACHE/models/$1\" && touch \"$AURICLE_CACHE/models/$1/model.bin\"");
        assertEquals(tmp.resolve("auricle/models/tiny.en"), ModelRegistry.resolve("tiny.en", where(script)));
    }

    @Test
    void modelNoSourceHoldsIsOneClearError() throws IOException {
        Path script = script("exit 1");
        var e = assertThrows(AuricleException.class, () -> ModelRegistry.resolve("medium", where(script)));
        assertEquals("model 'medium' is not in the Hugging Face cache (" + tmp.resolve("hub/models--Systran--faster-whisper-medium")
                + ") nor in " + tmp.resolve("auricle/models/medium") + ", no PyPI wheel holds it, and downloads are off", e.getMessage());
    }

    private Path script(String body) throws IOException {
        Path script = tmp.resolve("fetch-models");
        Files.writeString(script, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
