package io.auricle.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** tiny.en loaded once for all server tests, servers on ephemeral loopback ports, and a multipart builder. */
final class ServerTestSupport {
    private static LoadedModel tinyEn;

    private ServerTestSupport() {}

    static synchronized LoadedModel tinyEn() {
        if (tinyEn == null) {
            Path dir = Path.of(System.getProperty("user.home"), ".cache/auricle/models/tiny.en");
            assumeTrue(Files.isRegularFile(dir.resolve("model.bin")), "tiny.en is not in ~/.cache/auricle (bin/test fetches it)");
            tinyEn = ModelCatalog.loadModel("tiny.en");
        }
        return tinyEn;
    }

    static Path speech(String set, String file) {
        Path p = Path.of(System.getProperty("auricle.speech.dir", "../../shared/data/speech"), set, file);
        assumeTrue(Files.isRegularFile(p), p + " is missing");
        return p;
    }

    /** A server over tiny.en on an ephemeral loopback port. */
    static AuricleServer start(ServerOptions options) throws Exception {
        return AuricleServer.start(options.withPort(0), ModelCatalog.of(List.of(tinyEn()), false));
    }

    static ServerOptions options() {
        return ServerOptions.defaults(List.of("tiny.en"));
    }

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A multipart/form-data body: text fields, then files (name, file name, bytes). */
    static final class Form {
        final String boundary = "auricle-" + UUID.randomUUID();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Form field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        Form file(String name, String fileName, byte[] bytes) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            body.writeBytes(bytes);
            write("\r\n");
            return this;
        }

        Form file(Path p) throws IOException {
            return file("file", p.getFileName().toString(), Files.readAllBytes(p));
        }

        byte[] bytes() {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.writeBytes(body.toByteArray());
            copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return copy.toByteArray();
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        private void write(String s) {
            body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    static HttpResponse<String> post(AuricleServer server, String path, Form form) throws Exception {
        return post(server, path, form, null);
    }

    static HttpResponse<String> post(AuricleServer server, String path, Form form, String apiKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes()));
        if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(AuricleServer server, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
