package io.auricle.server;

import static io.auricle.server.ApiTest.assertError;
import static io.auricle.server.ServerTestSupport.CLIENT;
import static io.auricle.server.ServerTestSupport.Form;
import static io.auricle.server.ServerTestSupport.get;
import static io.auricle.server.ServerTestSupport.post;
import static io.auricle.server.ServerTestSupport.speech;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Size limit, full queue, clients that hang up, graceful stop, API key, model names that are paths. */
class LimitsTest {

    static Form goforward() throws Exception {
        return new Form().file(speech("pocketsphinx", "goforward.flac")).field("model", "whisper-1");
    }

    static CompletableFuture<HttpResponse<String>> postAsync(AuricleServer server, Form form) {
        return CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/audio/transcriptions"))
                .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes()))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls /metrics until a line satisfies {@code test}; fails after 60 s. */
    static void awaitMetric(AuricleServer server, Predicate<String> test) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String body = "";
        while (System.nanoTime() < deadline) {
            body = get(server, "/metrics").body();
            if (body.lines().anyMatch(test)) return;
            Thread.sleep(20);
        }
        throw new AssertionError("metric not reached:\n" + body);
    }

    @Test
    void bodiesOverTheLimitGet413() throws Exception {
        try (AuricleServer server = ServerTestSupport.start(ServerTestSupport.options().withLimits(1, 1, 100_000))) {
            Form big = new Form().file(speech("jfk", "jfk.wav")).field("model", "whisper-1"); // 352 kB
            assertError(post(server, "/v1/audio/transcriptions", big), 413, "file",
                    "the request is larger than this server's limit of 100000 bytes (" + big.bytes().length + " bytes sent)");
            // Without a Content-Length (chunked) the multipart parser stops at the limit.
            HttpResponse<String> chunked = CLIENT.send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/v1/audio/transcriptions")).header("Content-Type", big.contentType())
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.bytes()))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(chunked, 413, "file", "the request is larger than this server's limit of 100000 bytes");
        }
    }

    @Test
    void aFullQueueAnswers429WithRetryAfter() throws Exception {
        try (AuricleServer server = ServerTestSupport.start(ServerTestSupport.options().withLimits(1, 0, 1 << 20))) {
            CompletableFuture<HttpResponse<String>> first = postAsync(server, goforward());
            awaitMetric(server, l -> l.equals("auricle_requests_in_progress 1"));
            HttpResponse<String> refused = post(server, "/v1/audio/transcriptions", goforward());
            assertError(refused, 429, null, "the server is busy (1 transcribing, 0 waiting); retry after 1 s");
            assertEquals("1", refused.headers().firstValue("retry-after").orElseThrow());
            assertEquals("{\"text\":\"Go forward 10 meters.\"}", first.get(120, TimeUnit.SECONDS).body());
            assertEquals(200, post(server, "/v1/audio/transcriptions", goforward()).statusCode()); // free again
        }
    }

    @Test
    void aClientThatHangsUpWhileQueuedIsSkipped() throws Exception {
        try (AuricleServer server = ServerTestSupport.start(ServerTestSupport.options().withLimits(1, 1, 1 << 20))) {
            CompletableFuture<HttpResponse<String>> first = postAsync(server, goforward());
            awaitMetric(server, l -> l.equals("auricle_requests_in_progress 1"));
            Form form = goforward();
            byte[] body = form.bytes();
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                        + form.contentType() + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                awaitMetric(server, l -> l.equals("auricle_queue_length 1"));
                socket.setSoLinger(true, 0); // hang up hard: the next write to it fails at once
            }
            assertEquals(200, first.get(120, TimeUnit.SECONDS).statusCode());
            awaitMetric(server, l -> l.equals("auricle_cancelled_total 1"));
            awaitMetric(server, l -> l.equals("auricle_requests_total{endpoint=\"/v1/audio/transcriptions\",status=\"499\"} 1"));
        }
    }

    @Test
    void stopDrainsRequestsInFlightAndRefusesNewOnes() throws Exception {
        AuricleServer server = ServerTestSupport.start(ServerTestSupport.options().withLimits(1, 1, 1 << 20)
                .withDrainSeconds(300)); // a cold JIT on a busy machine can take half a minute
        CompletableFuture<HttpResponse<String>> inFlight = postAsync(server, goforward());
        awaitMetric(server, l -> l.equals("auricle_requests_in_progress 1"));
        URI health = URI.create(server.baseUrl() + "/health");
        server.stop();
        HttpResponse<String> done = inFlight.get(5, TimeUnit.SECONDS); // stop() returned only after it finished
        assertEquals(200, done.statusCode(), done.body());
        assertEquals("{\"text\":\"Go forward 10 meters.\"}", done.body());
        assertThrows(IOException.class, () -> CLIENT.send(HttpRequest.newBuilder(health).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void apiKeyIsRequiredWhenSet() throws Exception {
        try (AuricleServer server = ServerTestSupport.start(ServerTestSupport.options().withApiKey("s3cret"))) {
            assertError(get(server, "/v1/models"), 401, null,
                    "you didn't provide an API key: send it as 'Authorization: Bearer KEY'");
            HttpResponse<String> wrong = CLIENT.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/models"))
                    .header("Authorization", "Bearer s3cre").build(), HttpResponse.BodyHandlers.ofString());
            assertError(wrong, 401, null, "incorrect API key provided");
            HttpResponse<String> right = CLIENT.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/models"))
                    .header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, right.statusCode());
            assertError(post(server, "/v1/audio/transcriptions", goforward()), 401, null,
                    "you didn't provide an API key: send it as 'Authorization: Bearer KEY'");
            assertEquals(200, get(server, "/health").statusCode()); // probes need no key
        }
    }

    /** The default listens on loopback only: reachable at 127.0.0.1, refused at this machine's other addresses. */
    @Test
    void listensOnLoopbackByDefault() throws Exception {
        assertEquals("127.0.0.1", ServerOptions.defaults(List.of("tiny.en")).host());
        InetAddress other = null;
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (!a.isLoopbackAddress() && a instanceof Inet4Address && nic.isUp()) other = a;
            }
        }
        try (AuricleServer server = ServerTestSupport.start(ServerTestSupport.options())) {
            assertEquals(200, get(server, "/health").statusCode());
            Assumptions.assumeTrue(other != null, "this machine has no non-loopback IPv4 address to try");
            InetAddress address = other;
            assertThrows(ConnectException.class, () -> new Socket(address, server.port()).close());
        }
    }

    @Test
    void modelNamesAreNotPathsUnlessAllowed() {
        LoadedModel tiny = ServerTestSupport.tinyEn();
        ApiError closed = assertThrows(ApiError.class,
                () -> ModelCatalog.of(List.of(tiny), false).resolve(tiny.path().toString()));
        assertEquals(404, closed.status);
        assertEquals("model_not_found", closed.code);
        ModelCatalog open = ModelCatalog.of(List.of(tiny), true);
        ApiError missing = assertThrows(ApiError.class, () -> open.resolve("/no/such/model"));
        assertTrue(missing.getMessage().startsWith("unknown model '/no/such/model'"), missing.getMessage());
        assertEquals(tiny, open.resolve("whisper-1"));
        assertEquals(tiny, open.resolve("tiny.en"));
    }
}
