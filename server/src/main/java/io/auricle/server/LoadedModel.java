package io.auricle.server;

import io.auricle.model.Checkpoint;
import io.auricle.model.WhisperModel;
import io.auricle.tokenizer.Tokenizer;
import java.nio.file.Path;

/** A model loaded once at start (or on first use) and shared by every request. */
record LoadedModel(String name, Path path, Checkpoint checkpoint, WhisperModel model, Tokenizer tokenizer) {

    boolean multilingual() {
        return model.dims().isMultilingual();
    }
}
