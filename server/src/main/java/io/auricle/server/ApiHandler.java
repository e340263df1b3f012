package io.auricle.server;

import io.auricle.transcribe.Transcription;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * Routes the API and the page. Audio requests take a place in the {@link WorkPool} before their upload is
 * read, spool the upload to disk, and are then answered from a worker thread, which completes the callback.
 */
final class ApiHandler extends Handler.Abstract {
    private static final System.Logger LOG = System.getLogger("io.auricle.server");
    private static final String TRANSCRIPTIONS = "/v1/audio/transcriptions";
    private static final String TRANSLATIONS = "/v1/audio/translations";

    private static final int MAX_PROBES = 7;
    private static final ScheduledExecutorService PROBES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "auricle-disconnect-probe");
        t.setDaemon(true);
        return t;
    });

    private final ServerOptions options;
    private final ModelCatalog models;
    private final WorkPool pool;
    private final Metrics metrics;
    private final Path uploadDir;
    private final byte[] apiKeyDigest;
    private final Map<String, StaticFiles.File> page;
    private volatile boolean ready;

    ApiHandler(ServerOptions options, ModelCatalog models, WorkPool pool, Metrics metrics, Path uploadDir) {
        this.options = options;
        this.models = models;
        this.pool = pool;
        this.metrics = metrics;
        this.uploadDir = uploadDir;
        this.apiKeyDigest = options.apiKey() == null ? null : sha256(options.apiKey());
        this.page = StaticFiles.load();
    }

    /** Ready answers; not ready (loading or stopping) refuses audio with 503 and says so on /health. */
    void ready(boolean ready) {
        this.ready = ready;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String endpoint = switch (path) {
            case TRANSCRIPTIONS, TRANSLATIONS, "/v1/models", "/health", "/metrics" -> path;
            default -> path.startsWith("/v1/models/") ? "/v1/models/{id}" : "other";
        };
        try {
            switch (path) {
                case "/health" -> health(request, response, callback);
                case "/metrics" -> {
                    authorize(request);
                    requireMethod(request, HttpMethod.GET);
                    send(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8",
                            metrics.render().getBytes(StandardCharsets.UTF_8), endpoint);
                }
                case "/v1/models" -> {
                    authorize(request);
                    requireMethod(request, HttpMethod.GET);
                    send(response, callback, 200, "application/json", modelList(), endpoint);
                }
                case TRANSCRIPTIONS -> audio(request, response, callback, false, endpoint);
                case TRANSLATIONS -> audio(request, response, callback, true, endpoint);
                default -> {
                    if (path.startsWith("/v1/models/")) {
                        authorize(request);
                        requireMethod(request, HttpMethod.GET);
                        send(response, callback, 200, "application/json", model(path.substring(11)), endpoint);
                    } else {
                        staticFile(request, response, callback, path);
                    }
                }
            }
        } catch (ApiError e) {
            sendError(response, callback, e, endpoint);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "internal error on " + path, e);
            sendError(response, callback, internal(), endpoint);
        }
        return true;
    }

    private void health(Request request, Response response, Callback callback) {
        requireMethod(request, HttpMethod.GET);
        byte[] body = Responses.json(Responses.JSON.createObjectNode().put("status", ready ? "ok" : "loading")
                .put("models", String.join(",", models.names()))).getBytes(StandardCharsets.UTF_8);
        send(response, callback, ready ? 200 : 503, "application/json", body, "/health");
    }

    private byte[] modelList() {
        var root = Responses.JSON.createObjectNode().put("object", "list");
        var data = root.putArray("data");
        for (String name : models.names()) data.add(modelObject(name));
        return Responses.json(root).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] model(String id) {
        if (!models.names().contains(id)) {
            throw new ApiError(404, "invalid_request_error", "model", "model_not_found",
                    "the model '" + id + "' does not exist");
        }
        return Responses.json(modelObject(id)).getBytes(StandardCharsets.UTF_8);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode modelObject(String name) {
        return Responses.JSON.createObjectNode().put("id", name).put("object", "model").put("created", 0)
                .put("owned_by", "auricle");
    }

    private void audio(Request request, Response response, Callback callback, boolean translation, String endpoint) {
        long length = request.getLength();
        String contentType;
        try {
            authorize(request);
            requireMethod(request, HttpMethod.POST);
            contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            if (contentType == null
                    || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
                throw ApiError.invalid(null, "the body must be multipart/form-data with a 'file' field");
            }
            if (length > options.maxUploadBytes()) throw tooLarge(length);
            if (!ready) throw new ApiError(503, "server_error", null, "shutting_down", "the server is shutting down");
            if (!pool.tryAdmit()) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                throw new ApiError(429, "requests", null, "rate_limit_exceeded", "the server is busy ("
                        + options.workers() + " transcribing, " + options.queue() + " waiting); retry after 1 s");
            }
        } catch (ApiError refused) {
            // A client still sending its upload would miss an answer written over it (the connection resets);
            // a body declared over the limit is not read at all.
            if (length <= options.maxUploadBytes()) discardBody(request);
            throw refused;
        }
        boolean handedOff = false;
        Path upload = null;
        try {
            TranscriptionRequest form;
            MultiPartFormData.Parts parts = parts(request, contentType);
            try {
                form = TranscriptionRequest.parse(parts, translation);
                LoadedModel model = models.resolve(form.model());
                SpeechPipeline.check(model, form.options());
                upload = uploadDir.resolve("upload-" + UUID.randomUUID());
                MultiPart.Part file = parts.getFirst("file");
                file.writeTo(upload);
                // The place is given back once the answer is fully written (or failed), not when work ends.
                Callback releasing = Callback.from(() -> {
                    try {
                        callback.succeeded();
                    } finally {
                        pool.release();
                    }
                }, failure -> {
                    try {
                        callback.failed(failure);
                    } finally {
                        pool.release();
                    }
                });
                Job job = new Job(request, response, releasing, form, model, upload, endpoint);
                request.addFailureListener(failure -> job.cancelled.set(true));
                // Waiting and transcribing are silent stretches, not a stalled connection: keep the request.
                request.addIdleTimeoutListener(timeout -> false);
                job.scheduleProbe();
                pool.submit(job::run);
                handedOff = true;
            } finally {
                parts.close();
            }
        } catch (IOException e) {
            throw ApiError.invalid("file", "could not store the upload: " + e.getMessage());
        } finally {
            if (!handedOff) {
                pool.release();
                deleteQuietly(upload);
            }
        }
    }

    /** The form, spooled to disk past a small in-memory size, limited in total size. */
    private MultiPartFormData.Parts parts(Request request, String contentType) {
        MultiPartConfig config = new MultiPartConfig.Builder()
                .location(uploadDir)
                .maxSize(options.maxUploadBytes())
                .maxPartSize(options.maxUploadBytes())
                .maxMemoryPartSize(64 * 1024)
                .maxParts(64)
                .build();
        try {
            return MultiPartFormData.getParts(request, request, contentType, config);
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            String message = String.valueOf(cause.getMessage());
            if (message.contains("max") && message.contains("exceeded")) throw tooLarge(-1);
            throw ApiError.invalid("file", "the multipart body could not be read: " + message);
        }
    }

    private ApiError tooLarge(long length) {
        return new ApiError(413, "invalid_request_error", "file", "request_too_large", "the request is larger"
                + " than this server's limit of " + options.maxUploadBytes() + " bytes"
                + (length > 0 ? " (" + length + " bytes sent)" : ""));
    }

    /** Reads and drops a refused request's body (bounded by the size limit) so the client sees the answer. */
    private void discardBody(Request request) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] sink = new byte[64 * 1024];
            long total = 0;
            for (int n; total <= options.maxUploadBytes() && (n = in.read(sink)) > 0; ) total += n;
        } catch (IOException | RuntimeException ignored) {
            // The client stopped sending; the answer still goes out if it can.
        }
    }

    /** One admitted transcription, run on a worker. */
    private final class Job {
        final Request request;
        final Response response;
        final Callback callback;
        final TranscriptionRequest form;
        final LoadedModel model;
        final Path upload;
        final String endpoint;
        final AtomicBoolean cancelled = new AtomicBoolean();
        private ScheduledFuture<?> probe; // guarded by this, as the two below
        private boolean answering; // once set, no more probes touch the response
        private int probes;

        Job(Request request, Response response, Callback callback, TranscriptionRequest form, LoadedModel model,
            Path upload, String endpoint) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.form = form;
            this.model = model;
            this.upload = upload;
            this.endpoint = endpoint;
        }

        /**
         * HTTP/1.1 tells a handler nothing when its client hangs up, so while the answer is not ready an interim
         * {@code 102 Processing} goes out every few seconds; a write that fails means the client is gone.
         * Clients skip 1xx responses (curl, httpx, browsers), but java.net.http fails past 8 of them, so they
         * come at 1, 2, 4, ... 64 s, seven in all: a client gone in the first two minutes is noticed.
         */
        synchronized void scheduleProbe() {
            if (answering || probes >= MAX_PROBES) return;
            probe = PROBES.schedule(this::probe, 1L << probes, TimeUnit.SECONDS);
        }

        synchronized void probe() {
            if (answering || cancelled.get()) return;
            probes++;
            try {
                response.writeInterim(102, HttpFields.EMPTY).get(2, TimeUnit.SECONDS);
                scheduleProbe();
            } catch (ExecutionException | TimeoutException e) {
                cancelled.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // The response is committed or the protocol has no interim answers: nothing to learn.
            }
        }

        /** Ends probing before the real answer is written. */
        private synchronized void answering() {
            answering = true;
            if (probe != null) probe.cancel(false);
        }

        void run() {
            try {
                probe(); // the client may have left while this waited in the queue
                if (cancelled.get()) throw new CancellationException();
                long start = System.nanoTime();
                SpeechPipeline.Audio audio = SpeechPipeline.decode(upload, form.fileName());
                if (form.stream()) {
                    stream(audio, start);
                } else {
                    Transcription t = SpeechPipeline.transcribe(model, audio, form.options(), s -> { }, cancelled::get);
                    metrics.transcribed(audio.seconds(), (System.nanoTime() - start) / 1e9);
                    answering();
                    send(response, callback, 200, form.format().contentType,
                            Responses.render(t, form.format(), form.options().task(), form.granularities()), endpoint);
                }
            } catch (CancellationException e) {
                answering();
                metrics.cancelled();
                metrics.request(endpoint, 499);
                callback.failed(new IOException("client went away"));
            } catch (ApiError e) {
                answering();
                if (response.isCommitted()) streamEnd(Responses.errorEvent(e));
                else sendError(response, callback, e, endpoint);
            } catch (RuntimeException | Error e) {
                answering();
                LOG.log(System.Logger.Level.ERROR, "transcription of " + form.fileName() + " failed", e);
                if (response.isCommitted()) streamEnd(Responses.errorEvent(internal()));
                else sendError(response, callback, internal(), endpoint);
            } finally {
                answering();
                deleteQuietly(upload);
            }
        }

        /** Server-sent events: one per segment as it is final, then the whole text. */
        private void stream(SpeechPipeline.Audio audio, long start) {
            answering();
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            event(": audio " + Responses.round(audio.seconds()) + " s\n\n"); // commits the headers now
            boolean words = form.options().wordTimestamps();
            Transcription t = SpeechPipeline.transcribe(model, audio, form.options(),
                    s -> event("data: " + Responses.deltaEvent(s, words) + "\n\n"), cancelled::get);
            metrics.transcribed(audio.seconds(), (System.nanoTime() - start) / 1e9);
            streamEnd(Responses.doneEvent(t, form.options().task()));
        }

        private void event(String text) {
            if (cancelled.get()) throw new CancellationException();
            try (Blocker.Callback done = Blocker.callback()) {
                response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), done);
                done.block();
            } catch (IOException e) {
                cancelled.set(true);
                throw new CancellationException();
            }
        }

        private void streamEnd(String lastEvent) {
            metrics.request(endpoint, 200);
            response.write(true, ByteBuffer.wrap(("data: " + lastEvent + "\n\n").getBytes(StandardCharsets.UTF_8)),
                    callback);
        }
    }

    private void staticFile(Request request, Response response, Callback callback, String path) {
        StaticFiles.File file = page.get(path);
        if (file == null) {
            throw new ApiError(404, "invalid_request_error", null, "not_found", "no such endpoint: " + path);
        }
        requireMethod(request, HttpMethod.GET);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        send(response, callback, 200, file.contentType(), file.bytes(), "page");
    }

    /** Checks {@code Authorization: Bearer KEY} when a key is set, in time independent of where it differs. */
    private void authorize(Request request) {
        if (apiKeyDigest == null) return;
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiError(401, "invalid_request_error", null, "invalid_api_key",
                    "you didn't provide an API key: send it as 'Authorization: Bearer KEY'");
        }
        if (!MessageDigest.isEqual(apiKeyDigest, sha256(header.substring(7).strip()))) {
            throw new ApiError(401, "invalid_request_error", null, "invalid_api_key", "incorrect API key provided");
        }
    }

    private static void requireMethod(Request request, HttpMethod method) {
        if (!method.is(request.getMethod())) {
            throw new ApiError(405, "invalid_request_error", null, "method_not_allowed",
                    request.getMethod() + " is not allowed here; use " + method);
        }
    }

    private void send(Response response, Callback callback, int status, String contentType, byte[] body,
                      String endpoint) {
        metrics.request(endpoint, status);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private void sendError(Response response, Callback callback, ApiError e, String endpoint) {
        // A refused upload may still be arriving: close the connection rather than read it all.
        if (e.status == 413) response.getHeaders().put(HttpHeader.CONNECTION, "close");
        send(response, callback, e.status, "application/json", Responses.error(e), endpoint);
    }

    private static ApiError internal() {
        return new ApiError(500, "server_error", null, null, "the server had an error while processing the request");
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A temp file left behind is removed with the upload directory at shutdown.
        }
    }
}
