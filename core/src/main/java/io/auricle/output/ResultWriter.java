package io.auricle.output;

import io.auricle.AuricleException;
import io.auricle.transcribe.Transcription;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a transcription in one output format, as openai-whisper's writers in utils.py: the file for
 * {@code audio.wav} is {@code <outputDir>/audio.<extension>}, UTF-8, with {@code \n} line ends.
 */
public interface ResultWriter {

    /** The formats by name, in the reference's order; {@code all} means every one of them. */
    List<String> FORMATS = List.of("txt", "vtt", "srt", "tsv", "json");

    String extension();

    void write(Transcription result, Writer out, WriterOptions options) throws IOException;

    /** Writes {@code <outputDir>/<audio base name>.<extension>} (creating the directory) and returns its path. */
    default Path write(Transcription result, Path audioPath, Path outputDir, WriterOptions options) {
        Path file = outputDir.resolve(baseName(audioPath) + "." + extension());
        try {
            Files.createDirectories(outputDir);
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                write(result, out, options);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new AuricleException("cannot write " + file + ": " + reason(e), e);
        }
        return file;
    }

    /** The writers for a format name ({@code txt}, {@code vtt}, {@code srt}, {@code tsv}, {@code json}, {@code all}). */
    static List<ResultWriter> forFormat(String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "txt" -> List.of(new TxtWriter());
            case "vtt" -> List.of(new VttWriter());
            case "srt" -> List.of(new SrtWriter());
            case "tsv" -> List.of(new TsvWriter());
            case "json" -> List.of(new JsonWriter());
            case "all" -> List.of(new TxtWriter(), new VttWriter(), new SrtWriter(), new TsvWriter(), new JsonWriter());
            default -> throw new AuricleException(
                    "unknown output format '" + format + "' (choose txt, vtt, srt, tsv, json or all)");
        };
    }

    /** The file name without its last extension, as Python's os.path.splitext (leading dots are not one). */
    static String baseName(Path audioPath) {
        Path name = audioPath.getFileName();
        String s = name == null ? "" : name.toString();
        int dot = s.lastIndexOf('.');
        int firstNonDot = 0;
        while (firstNonDot < s.length() && s.charAt(firstNonDot) == '.') firstNonDot++;
        return dot > firstNonDot ? s.substring(0, dot) : s;
    }

    private static String reason(Exception e) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        String m = t.getMessage();
        if (t instanceof java.nio.file.NoSuchFileException) return "no such directory";
        if (t instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (t instanceof java.nio.file.FileAlreadyExistsException) return "a file is in the way";
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
