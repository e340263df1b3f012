package io.auricle.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** The web page's few files, read once from the class path ({@code web/}); nothing else is served. */
final class StaticFiles {
    record File(String contentType, byte[] bytes) {}

    private static final String[][] FILES = {
            {"/", "index.html", "text/html; charset=utf-8"},
            {"/app.js", "app.js", "text/javascript; charset=utf-8"},
            {"/style.css", "style.css", "text/css; charset=utf-8"},
    };

    private StaticFiles() {}

    static Map<String, File> load() {
        Map<String, File> files = new HashMap<>();
        for (String[] f : FILES) {
            try (InputStream in = StaticFiles.class.getResourceAsStream("/web/" + f[1])) {
                if (in != null) files.put(f[0], new File(f[2], in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }
}
