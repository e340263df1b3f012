package io.auricle.server;

import java.nio.file.Path;
import java.util.List;

/**
 * How a server runs.
 *
 * @param host            address to listen on; loopback unless the operator says otherwise
 * @param port            0 picks a free port
 * @param models          model names or paths loaded at start; the first answers to whisper-1
 * @param allowModelPaths let a request name any model or path (loaded on first use)
 * @param apiKey          required as {@code Authorization: Bearer KEY} when not null
 * @param workers         transcriptions run at once
 * @param queue           admitted requests that may wait for a worker; past it, 429
 * @param maxUploadBytes  largest request body; past it, 413
 * @param uploadDir       where uploads are spooled (null: a fresh temporary directory)
 * @param drainSeconds    how long shutdown waits for requests in flight
 */
public record ServerOptions(
        String host,
        int port,
        List<String> models,
        boolean allowModelPaths,
        String apiKey,
        int workers,
        int queue,
        long maxUploadBytes,
        Path uploadDir,
        int drainSeconds) {

    public ServerOptions {
        models = List.copyOf(models);
        if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        if (queue < 0) throw new IllegalArgumentException("queue must be >= 0, got " + queue);
        if (maxUploadBytes < 1) throw new IllegalArgumentException("maxUploadBytes must be >= 1");
        if (apiKey != null && apiKey.isEmpty()) apiKey = null;
    }

    /** Loopback, port 8000, 2 workers, 16 waiting, OpenAI's 25 MB upload limit, 30 s to drain. */
    public static ServerOptions defaults(List<String> models) {
        return new ServerOptions("127.0.0.1", 8000, models, false, null, 2, 16, 25L * 1024 * 1024, null, 30);
    }

    public ServerOptions withPort(int p) {
        return new ServerOptions(host, p, models, allowModelPaths, apiKey, workers, queue, maxUploadBytes, uploadDir,
                drainSeconds);
    }

    public ServerOptions withLimits(int w, int q, long maxBytes) {
        return new ServerOptions(host, port, models, allowModelPaths, apiKey, w, q, maxBytes, uploadDir, drainSeconds);
    }

    public ServerOptions withDrainSeconds(int seconds) {
        return new ServerOptions(host, port, models, allowModelPaths, apiKey, workers, queue, maxUploadBytes, uploadDir,
                seconds);
    }

    public ServerOptions withApiKey(String key) {
        return new ServerOptions(host, port, models, allowModelPaths, key, workers, queue, maxUploadBytes, uploadDir,
                drainSeconds);
    }
}
