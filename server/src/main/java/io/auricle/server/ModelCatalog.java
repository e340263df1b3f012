package io.auricle.server;

import io.auricle.AuricleException;
import io.auricle.model.Checkpoint;
import io.auricle.model.CheckpointLoader;
import io.auricle.model.ModelRegistry;
import io.auricle.model.WhisperModel;
import io.auricle.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models a server answers with, each loaded once. A request names one of them ({@code whisper-1}, the
 * name OpenAI's clients send, means the first). Other names are refused unless the operator allowed model
 * paths, because a request's string would otherwise choose files on the server's disk.
 */
final class ModelCatalog {
    /** OpenAI's only speech-to-text name for Whisper; clients send it by default. */
    static final String OPENAI_ALIAS = "whisper-1";

    private final Map<String, LoadedModel> startup = new LinkedHashMap<>();
    private final Map<String, LoadedModel> onDemand = new ConcurrentHashMap<>();
    private final boolean allowModelPaths;

    private ModelCatalog(boolean allowModelPaths) {
        this.allowModelPaths = allowModelPaths;
    }

    /** Loads each of {@code names} (official names or paths, as {@code --model} takes them). */
    static ModelCatalog load(List<String> names, boolean allowModelPaths) {
        if (names.isEmpty()) throw new AuricleException("no model given: use --model NAME");
        ModelCatalog catalog = new ModelCatalog(allowModelPaths);
        for (String name : names) catalog.startup.put(name, loadModel(name));
        return catalog;
    }

    /** A catalog of models already loaded (tests share one model among servers). */
    static ModelCatalog of(List<LoadedModel> models, boolean allowModelPaths) {
        ModelCatalog catalog = new ModelCatalog(allowModelPaths);
        for (LoadedModel m : models) catalog.startup.put(m.name(), m);
        return catalog;
    }

    static LoadedModel loadModel(String nameOrPath) {
        Path path = ModelRegistry.resolve(nameOrPath);
        Checkpoint checkpoint = CheckpointLoader.load(path);
        return new LoadedModel(nameOrPath, path, checkpoint, new WhisperModel(checkpoint), Tokenizer.of(checkpoint));
    }

    /** The model a request names; an empty name is an error, as at OpenAI. */
    LoadedModel resolve(String name) {
        if (name == null || name.isBlank()) throw ApiError.invalid("model", "you must provide a model parameter");
        if (name.equals(OPENAI_ALIAS)) return startup.values().iterator().next();
        LoadedModel m = startup.get(name);
        if (m != null) return m;
        if (!allowModelPaths) {
            throw new ApiError(404, "invalid_request_error", "model", "model_not_found",
                    "the model '" + name + "' does not exist; this server has " + String.join(", ", names()));
        }
        try {
            return onDemand.computeIfAbsent(name, ModelCatalog::loadModel);
        } catch (AuricleException e) {
            throw new ApiError(404, "invalid_request_error", "model", "model_not_found", e.getMessage());
        }
    }

    /** The names a client may send: whisper-1 and every loaded model. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        names.add(OPENAI_ALIAS);
        names.addAll(startup.keySet());
        names.addAll(onDemand.keySet());
        return names;
    }

    LoadedModel defaultModel() {
        return startup.values().iterator().next();
    }
}
