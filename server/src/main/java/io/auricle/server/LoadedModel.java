package io.auricle.server;

import io.auricle.model.Checkpoint;
import io.auricle.model.WhisperModel;
import io.auricle.tokenizer.Tokenizer;
import io.auricle.transcribe.WhisperEngine;
import java.nio.file.Path;

/** A model loaded once at start (or on first use) and shared by every request. */
record LoadedModel(String name, Path path, Checkpoint checkpoint, WhisperModel model, Tokenizer tokenizer,
                   WhisperEngine engine) {

    LoadedModel(String name, Path path, Checkpoint checkpoint, WhisperModel model, Tokenizer tokenizer) {
        this(name, path, checkpoint, model, tokenizer, new WhisperEngine(model, tokenizer));
    }

    boolean multilingual() {
        return model.dims().isMultilingual();
    }
}
