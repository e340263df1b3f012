package io.auricle.model;

import io.auricle.AuricleException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Downloads a CTranslate2 model repository's files from a Hugging Face endpoint (faster-whisper's file set),
 * resuming partial files with HTTP ranges, checking each LFS file against the sha256 the hub sends as its ETag,
 * and printing progress. Files land in a temporary directory that is renamed into place when complete.
 */
final class HubDownloader {
    /** faster-whisper's allow_patterns, in the order we fetch them; the vocabulary has two possible names. */
    private static final List<String> REQUIRED = List.of("config.json", "model.bin");
    private static final List<String> OPTIONAL = List.of("tokenizer.json", "vocabulary.txt", "vocabulary.json",
            "preprocessor_config.json");

    private final URI endpoint;
    private final HttpClient http;
    private final PrintStream progress;

    HubDownloader(URI endpoint, PrintStream progress) {
        this.endpoint = endpoint;
        this.progress = progress;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Fetches {@code repository} (owner/name) into {@code target}; a partial earlier attempt is resumed. */
    Path download(String repository, Path target) {
        Path partial = target.resolveSibling(target.getFileName() + ".download");
        try {
            Files.createDirectories(partial);
            for (String file : REQUIRED) fetch(repository, file, partial, true);
            boolean vocabulary = false;
            for (String file : OPTIONAL) vocabulary |= fetch(repository, file, partial, false) && !file.startsWith("pre");
            if (!vocabulary) throw new AuricleException(url(repository, "") + ": the repository has no vocabulary file");
            if (Files.exists(target)) throw new AuricleException(target + ": already exists");
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new AuricleException(url(repository, "") + ": download failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuricleException("interrupted while downloading " + repository, e);
        }
    }

    private URI url(String repository, String file) {
        String base = endpoint.toString().replaceAll("/+$", "");
        return URI.create(base + "/" + repository + "/resolve/main/" + file);
    }

    /** One file; false when it is optional and the repository does not have it. */
    private boolean fetch(String repository, String file, Path dir, boolean required) throws IOException, InterruptedException {
        Path done = dir.resolve(file), part = dir.resolve(file + ".part");
        if (Files.exists(done)) return true;
        long have = Files.exists(part) ? Files.size(part) : 0;
        URI uri = url(repository, file);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).GET();
        if (have > 0) request.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            if (status == 404 && !required) return false;
            if (status == 416 && have > 0) { // the part is already whole: nothing left to send
                finish(uri, part, done, response);
                return true;
            }
            if (status != 200 && status != 206) throw new AuricleException(uri + ": HTTP " + status);
            boolean append = status == 206;
            if (!append) have = 0; // the server ignored the range: start over
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1) + (append ? have : 0);
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                copy(body, out, have, total, file);
            }
        }
        finish(uri, part, done, response);
        return true;
    }

    private void copy(InputStream in, OutputStream out, long have, long total, String file) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long written = have;
        int lastPercent = -1;
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
            written += n;
            int percent = total > 0 ? (int) (100 * written / total) : -1;
            if (percent >= 0 && percent / 10 != lastPercent / 10) {
                progress.printf(Locale.ROOT, "auricle: %s %d%% (%.1f of %.1f MB)%n", file, percent, written / 1e6, total / 1e6);
                lastPercent = percent;
            }
        }
    }

    /** Checks the sha256 the hub gives LFS files as ETag (X-Linked-Etag behind redirects), then keeps the file. */
    private static void finish(URI uri, Path part, Path done, HttpResponse<?> response) throws IOException {
        Optional<String> etag = response.headers().firstValue("X-Linked-Etag").or(() -> response.headers().firstValue("ETag"));
        String want = etag.map(e -> e.replace("\"", "").replaceFirst("^W/", "").toLowerCase(Locale.ROOT)).orElse("");
        if (want.matches("[0-9a-f]{64}")) {
            String got = sha256(part);
            if (!got.equals(want)) {
                Files.delete(part);
                throw new AuricleException(uri + ": sha256 " + got + " differs from the hub's " + want + "; removed");
            }
        }
        Files.move(part, done, StandardCopyOption.REPLACE_EXISTING);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
