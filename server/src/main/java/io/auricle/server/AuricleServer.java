package io.auricle.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Auricle's OpenAI-compatible HTTP server on Jetty 12 (its core API, no servlets): Jetty parses HTTP and
 * multipart bodies; we route, bound the work, and answer in OpenAI's shapes. {@link #stop} refuses new work,
 * lets requests in flight finish (up to the drain time), then stops.
 */
public final class AuricleServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.auricle.server");

    private final ServerOptions options;
    private final Server jetty;
    private final WorkPool pool;
    private final ApiHandler handler;
    private final Path uploadDir;
    private final boolean ownUploadDir;

    private AuricleServer(ServerOptions options, ModelCatalog models) throws IOException {
        this.options = options;
        this.ownUploadDir = options.uploadDir() == null;
        this.uploadDir = ownUploadDir ? Files.createTempDirectory("auricle-uploads")
                : Files.createDirectories(options.uploadDir());
        this.pool = new WorkPool(options.workers(), options.queue());
        Metrics metrics = new Metrics(pool::queued, pool::running);
        this.handler = new ApiHandler(options, models, pool, metrics, uploadDir);

        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("auricle-http");
        jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        connector.setIdleTimeout(300_000); // a long transcription sends nothing until it is done
        jetty.addConnector(connector);
        jetty.setHandler(handler);
        jetty.setErrorHandler(AuricleServer::jettyError);
        jetty.setStopAtShutdown(false); // the CLI owns the shutdown hook, so it can log the drain
    }

    /** Loads the models named in {@code options} and starts listening. */
    public static AuricleServer start(ServerOptions options) throws Exception {
        return start(options, ModelCatalog.load(options.models(), options.allowModelPaths()));
    }

    static AuricleServer start(ServerOptions options, ModelCatalog models) throws Exception {
        AuricleServer server = new AuricleServer(options, models);
        server.jetty.start();
        server.handler.ready(true);
        return server;
    }

    /** The port listened on (the chosen one when the options said 0). */
    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public String baseUrl() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + host + ":" + port();
    }

    /** Blocks until the server has stopped. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /**
     * Refuses new audio (503), lets every admitted request be answered (at most the drain time), then closes
     * the listener, the workers and the spool.
     */
    public void stop() throws Exception {
        handler.ready(false);
        if (!pool.awaitIdle(options.drainSeconds())) {
            LOG.log(System.Logger.Level.WARNING, "requests still running after " + options.drainSeconds() + " s; stopping");
        }
        jetty.stop();
        pool.drain(1);
        if (ownUploadDir) deleteTree(uploadDir);
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /** Errors Jetty answers itself (bad HTTP, shutting down) in OpenAI's error shape too. */
    private static boolean jettyError(Request request, org.eclipse.jetty.server.Response response,
                                      org.eclipse.jetty.util.Callback callback) {
        Object status = request.getAttribute(ErrorHandler.ERROR_STATUS);
        int code = status instanceof Integer i ? i : 500;
        String message = code == 503 ? "the server is shutting down" : "the request could not be handled (HTTP " + code + ")";
        ApiError e = new ApiError(code, code >= 500 ? "server_error" : "invalid_request_error", null, null, message);
        byte[] body = Responses.error(e);
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove " + dir + ": " + e.getMessage());
        } catch (UncheckedIOException ignored) {
            // Already gone.
        }
    }
}
