package io.auricle.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.auricle.AuricleException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub download against a local HTTP server that serves tiny.en's files the way the hub does. */
class HubDownloaderTest {
    @TempDir
    Path tmp;
    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, String> etags = new ConcurrentHashMap<>();
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    /** When set, model.bin's first response stops after this many bytes (a dropped connection). */
    private volatile long cutModelBinAt = -1;

    @BeforeEach
    void serve() throws IOException {
        Path tiny = TestModels.real("tiny.en");
        for (String f : List.of("config.json", "model.bin", "tokenizer.json", "vocabulary.txt")) {
            files.put(f, Files.readAllBytes(tiny.resolve(f)));
        }
        etags.put("model.bin", HubDownloader.sha256(tiny.resolve("model.bin")));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/Systran/faster-whisper-tiny.en/resolve/main/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String name = ex.getRequestURI().getPath().replaceAll(".*/", "");
        byte[] body = files.get(name);
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        if (etags.containsKey(name)) ex.getResponseHeaders().add("ETag", "\"" + etags.get(name) + "\"");
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        if (range != null) {
            ranges.add(name + " " + range);
            from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        }
        ex.sendResponseHeaders(range != null ? 206 : 200, body.length - from);
        try (OutputStream out = ex.getResponseBody()) {
            long cut = name.equals("model.bin") ? cutModelBinAt : -1;
            if (cut > 0) {
                cutModelBinAt = -1;
                out.write(body, from, (int) cut);
                out.flush();
                throw new IOException("simulated drop"); // the connection ends short of Content-Length
            }
            out.write(body, from, body.length - from);
        }
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Test
    void downloadsResumesAndVerifies() throws IOException {
        cutModelBinAt = 10_000_000;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        HubDownloader hub = new HubDownloader(endpoint(), new PrintStream(log, true));
        Path target = tmp.resolve("models/tiny.en");
        Files.createDirectories(target.getParent());
        assertThrows(AuricleException.class, () -> hub.download("Systran/faster-whisper-tiny.en", target));
        Path part = tmp.resolve("models/tiny.en.download/model.bin.part");
        long kept = Files.size(part); // what reached the client before the drop (less under load)
        assertTrue(kept > 0 && kept <= 10_000_000, "kept " + kept);

        Path done = hub.download("Systran/faster-whisper-tiny.en", target);
        assertEquals(List.of("model.bin bytes=" + kept + "-"), ranges);
        assertArrayEquals(files.get("model.bin"), Files.readAllBytes(done.resolve("model.bin")));
        assertFalse(Files.exists(tmp.resolve("models/tiny.en.download")));
        assertTrue(log.toString().contains("auricle: model.bin 100% (75.5 of 75.5 MB)"), log.toString());
        assertEquals(Ct2Reader.read(TestModels.real("tiny.en")).dims(), CheckpointLoader.load(done).dims());
    }

    @Test
    void checksumMismatchIsRefused() {
        etags.put("model.bin", "0".repeat(64));
        HubDownloader hub = new HubDownloader(endpoint(), new PrintStream(OutputStream.nullOutputStream()));
        AuricleException e = assertThrows(AuricleException.class,
                () -> hub.download("Systran/faster-whisper-tiny.en", tmp.resolve("tiny.en")));
        assertTrue(e.getMessage().matches(".*/resolve/main/model.bin: sha256 [0-9a-f]{64} differs from the hub's 0{64}; removed"),
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("tiny.en.download/model.bin.part")));
        assertFalse(Files.exists(tmp.resolve("tiny.en")));
    }

    @Test
    void registryFallsBackToTheHub() {
        var where = new ModelRegistry.Locations(tmp.resolve("hf"), tmp.resolve("auricle"), null, endpoint());
        Path got = ModelRegistry.resolve("tiny.en", where);
        assertEquals(tmp.resolve("auricle/models/tiny.en"), got);
        var offline = new ModelRegistry.Locations(tmp.resolve("hf"), tmp.resolve("other"), null, URI.create("http://127.0.0.1:9/"));
        String message = assertThrows(AuricleException.class, () -> ModelRegistry.resolve("base", offline)).getMessage();
        assertTrue(message.startsWith("model 'base' is not in the Hugging Face cache (" + tmp.resolve("hf/models--Systran--faster-whisper-base")
                + ") nor in " + tmp.resolve("other/models/base") + " (tools/fetch-models was not found), and http://127.0.0.1:9/"
                + "Systran/faster-whisper-base/resolve/main/: download failed: "), message);
    }
}
