package io.auricle.model;

import io.auricle.AuricleException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a Whisper checkpoint from a path, whatever its format, recognised by content and layout:
 * a directory with model.bin (CTranslate2) or model.safetensors / its shard index (Hugging Face), a file
 * starting with ggml's magic (whisper.cpp), a zip (openai-whisper's .pt), a .safetensors file.
 */
public final class CheckpointLoader {
    private CheckpointLoader() {}

    public static Checkpoint load(Path path) {
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve("model.bin"))) return Ct2Reader.read(path);
            if (Files.isRegularFile(path.resolve(SafetensorsReader.SINGLE))
                    || Files.isRegularFile(path.resolve(SafetensorsReader.INDEX))) {
                return SafetensorsReader.read(path);
            }
            throw new AuricleException(path + ": not a model directory (no model.bin, " + SafetensorsReader.SINGLE + " or "
                    + SafetensorsReader.INDEX + ")");
        }
        if (!Files.isRegularFile(path)) throw new AuricleException(path + ": no such file or directory");
        byte[] head = head(path);
        if (head.length >= 4 && ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == GgmlReader.MAGIC) {
            return GgmlReader.read(path);
        }
        if (head.length >= 4 && ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == 0x04034b50) {
            return TorchReader.read(path); // torch.save's zip
        }
        if (path.getFileName().toString().endsWith(".safetensors")) return SafetensorsReader.read(path);
        Path parent = path.toAbsolutePath().getParent();
        if (path.getFileName().toString().equals("model.bin") && Files.isRegularFile(parent.resolve("config.json"))) {
            return Ct2Reader.read(parent);
        }
        throw new AuricleException(path + ": unrecognised model format");
    }

    /**
     * The tokenizer places the special tokens right after the regular ones and derives them from n_vocab:
     * eot, sot, one per language, six task/control tokens and 1501 timestamps. A vocabulary that does not
     * leave exactly that room would shift every special id, so it is refused here.
     */
    static List<byte[]> checkVocabulary(List<byte[]> vocabulary, ModelDimensions dims, String source) {
        int expected = dims.nVocab() - 1509 - dims.numLanguages();
        if (vocabulary.size() != expected) {
            throw new AuricleException(source + ": the vocabulary has " + vocabulary.size() + " regular tokens but n_vocab "
                    + dims.nVocab() + " implies " + expected);
        }
        return vocabulary;
    }

    private static byte[] head(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(16);
        } catch (IOException e) {
            throw new AuricleException(path + ": cannot read: " + e.getMessage(), e);
        }
    }
}
