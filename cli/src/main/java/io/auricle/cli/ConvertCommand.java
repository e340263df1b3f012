package io.auricle.cli;

import io.auricle.AuricleException;
import io.auricle.model.Checkpoint;
import io.auricle.model.CheckpointLoader;
import io.auricle.model.Ct2Writer;
import io.auricle.model.GgmlWriter;
import io.auricle.model.ModelRegistry;
import io.auricle.model.SafetensorsWriter;
import io.auricle.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code auricle convert}: rewrites a checkpoint in another format (and type). */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a Whisper checkpoint (any format Auricle reads) to another format.")
final class ConvertCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "A model file or directory, or an official name (tiny, base.en, large-v3, turbo, ...).")
    String model;

    @Option(names = "--to", required = true, paramLabel = "FORMAT",
            description = "Output format: ggml (a whisper.cpp .bin file), safetensors (a Hugging Face directory) or ct2"
                    + " (a CTranslate2 / faster-whisper directory).")
    String format;

    @Option(names = "--type", defaultValue = "f16", paramLabel = "TYPE",
            description = "Weight type: f32, f16, q8_0, q5_0, q5_1, q4_0, q4_1 for ggml; f32, f16, bf16 for safetensors;"
                    + " float32, float16, int8, int8_float16 for ct2 (f32, f16 also accepted) (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "The file (ggml) or directory (safetensors, ct2) to write.")
    Path output;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String to = format.toLowerCase(Locale.ROOT);
        if (!to.equals("ggml") && !to.equals("safetensors") && !to.equals("ct2")) {
            throw new AuricleException("unknown output format '" + format + "': use ggml, safetensors or ct2");
        }
        GgmlWriter.Type ggmlType = to.equals("ggml") ? GgmlWriter.Type.parse(type) : null;
        DType safetensorsType = to.equals("safetensors") ? safetensorsType(type) : null;
        Ct2Writer.Type ct2Type = to.equals("ct2") ? ct2Type(type) : null;
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) throw new AuricleException(parent + ": no such directory");
        long start = System.nanoTime();
        Path source = ModelRegistry.resolve(model);
        Checkpoint checkpoint = CheckpointLoader.load(source);
        if (ggmlType != null) {
            GgmlWriter.write(checkpoint, output, ggmlType);
        } else if (ct2Type != null) {
            Ct2Writer.write(checkpoint, output, ct2Type, tokenizerDir(source));
        } else {
            SafetensorsWriter.write(checkpoint, output, safetensorsType, tokenizerDir(source));
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "%s -> %s (%s %s, %.1f MB) in %.1f s%n", checkpoint.source(),
                output, to, type.toLowerCase(Locale.ROOT), sizeMb(output), (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static DType safetensorsType(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "f32" -> DType.F32;
            case "f16" -> DType.F16;
            case "bf16" -> DType.BF16;
            default -> throw new AuricleException("unknown safetensors type '" + name + "': use one of f32, f16, bf16");
        };
    }

    /** Where a source's tokenizer.json would be: the model directory, or the directory holding a model file. */
    private static Path tokenizerDir(Path source) {
        return Files.isDirectory(source) ? source : source.toAbsolutePath().getParent();
    }

    private static Ct2Writer.Type ct2Type(String name) {
        return Ct2Writer.Type.parse(switch (name.toLowerCase(Locale.ROOT)) {
            case "f32" -> "float32";
            case "f16" -> "float16";
            default -> name;
        });
    }

    /** The size of a file, or of the files in a directory. */
    private static double sizeMb(Path p) {
        try (var files = Files.isDirectory(p) ? Files.list(p) : java.util.stream.Stream.of(p)) {
            return files.mapToLong(f -> f.toFile().length()).sum() / 1e6;
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
