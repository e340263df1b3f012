package io.auricle.cli;

import io.auricle.AuricleException;
import io.auricle.server.AuricleServer;
import io.auricle.server.ServerOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code auricle serve}: the OpenAI-compatible HTTP API and its web page. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve OpenAI's audio API (POST /v1/audio/transcriptions, /v1/audio/translations), GET /v1/models,"
                + " /health, /metrics and a web page at /. Models are loaded once and shared by all requests.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "NAME|PATH",
            description = "Model to serve (repeat for several; the first also answers to whisper-1).")
    List<String> models;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for all).")
    String host;

    @Option(names = "--port", defaultValue = "8000", description = "Port (default: ${DEFAULT-VALUE}; 0 picks one).")
    int port;

    @Option(names = "--workers", defaultValue = "2", description = "Transcriptions at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--queue", defaultValue = "16",
            description = "Requests that may wait for a worker; beyond them the answer is 429 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-upload-mb", defaultValue = "25",
            description = "Largest request body in MiB; beyond it the answer is 413 (default: ${DEFAULT-VALUE}, OpenAI's).")
    long maxUploadMb;

    @Option(names = "--api-key-env", paramLabel = "VAR",
            description = "Require 'Authorization: Bearer KEY', KEY read from this environment variable.")
    String apiKeyEnv;

    @Option(names = "--allow-model-paths",
            description = "Let requests name any model or path on this machine (loaded on first use).")
    boolean allowModelPaths;

    @Option(names = "--upload-dir", paramLabel = "DIR", description = "Where uploads are spooled (default: a temp dir).")
    Path uploadDir;

    @Option(names = "--drain-seconds", defaultValue = "30",
            description = "On shutdown, how long requests in flight may finish (default: ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        String apiKey = null;
        if (apiKeyEnv != null) {
            apiKey = System.getenv(apiKeyEnv);
            if (apiKey == null || apiKey.isBlank()) throw new AuricleException("--api-key-env: $" + apiKeyEnv + " is not set");
        }
        if (port < 0 || port > 65535) throw new AuricleException("--port must be 0..65535, got " + port);
        if (workers < 1 || queue < 0 || maxUploadMb < 1 || drainSeconds < 0) {
            throw new AuricleException("--workers and --max-upload-mb must be >= 1, --queue and --drain-seconds >= 0");
        }
        ServerOptions options = new ServerOptions(host, port, models, allowModelPaths, apiKey, workers, queue,
                maxUploadMb * 1024 * 1024, uploadDir, drainSeconds);
        System.err.println("auricle: loading " + String.join(", ", models) + " ...");
        AuricleServer server;
        try {
            server = AuricleServer.start(options);
        } catch (java.io.IOException e) {
            throw new AuricleException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        System.err.println("auricle: serving on " + server.baseUrl() + " (" + workers + " workers, queue " + queue
                + (apiKey != null ? ", API key required" : "") + "); Ctrl-C stops after requests in flight finish");
        Thread hook = new Thread(() -> {
            System.err.println("auricle: stopping; draining requests in flight (at most " + drainSeconds + " s)");
            try {
                server.stop();
            } catch (Exception e) {
                System.err.println("auricle: error while stopping: " + e);
            }
        }, "auricle-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        server.join();
        return 0;
    }
}
