package io.auricle.model;

import io.auricle.tokenizer.Tokenizer;
import java.nio.file.Path;

/** The tiny.en test model (tools/fetch-models tiny.en), loaded and prepared once per test JVM. */
public final class TinyEn {
    public static final Path DIR = Path.of(System.getProperty("user.home"), ".cache/auricle/models/tiny.en");
    private static WhisperModel model;
    private static Tokenizer tokenizer;

    private TinyEn() {}

    public static synchronized WhisperModel model() {
        if (model == null) model = new WhisperModel(CheckpointLoader.load(DIR));
        return model;
    }

    public static synchronized Tokenizer tokenizer() {
        if (tokenizer == null) tokenizer = Tokenizer.of(model().checkpoint());
        return tokenizer;
    }
}
