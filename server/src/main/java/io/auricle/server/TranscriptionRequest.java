package io.auricle.server;

import io.auricle.AuricleException;
import io.auricle.tokenizer.Languages;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;

/**
 * The fields of OpenAI's {@code /v1/audio/transcriptions} and {@code /v1/audio/translations} forms, checked.
 * The file part itself is taken by the caller; here only its presence and name matter.
 */
record TranscriptionRequest(
        String fileName,
        String model,
        JobOptions options,
        ResponseFormat format,
        Set<String> granularities,
        boolean stream) {

    static final Set<String> GRANULARITIES = Set.of("segment", "word");

    static TranscriptionRequest parse(MultiPartFormData.Parts parts, boolean translation) {
        MultiPart.Part file = parts.getFirst("file");
        if (file == null) throw ApiError.invalid("file", "you must provide a file (multipart field 'file')");
        String fileName = file.getFileName() == null || file.getFileName().isBlank() ? "file" : file.getFileName();
        String model = field(parts, "model");
        if (model == null || model.isBlank()) throw ApiError.invalid("model", "you must provide a model parameter");
        ResponseFormat format = ResponseFormat.parse(field(parts, "response_format"));
        String language = translation ? null : language(field(parts, "language"));
        String prompt = field(parts, "prompt");
        double temperature = temperature(field(parts, "temperature"));
        Set<String> granularities = new LinkedHashSet<>();
        if (!translation) {
            for (String name : List.of("timestamp_granularities[]", "timestamp_granularities")) {
                for (MultiPart.Part p : parts.getAll(name)) {
                    String g = p.getContentAsString(StandardCharsets.UTF_8).strip();
                    if (!GRANULARITIES.contains(g)) {
                        throw ApiError.invalid("timestamp_granularities", "timestamp_granularities must be"
                                + " 'segment' or 'word', got '" + g + "'");
                    }
                    granularities.add(g);
                }
            }
        }
        boolean stream = bool(field(parts, "stream"), "stream");
        boolean vadFilter = bool(field(parts, "vad_filter"), "vad_filter");
        if (stream && format != ResponseFormat.JSON && format != ResponseFormat.TEXT
                && format != ResponseFormat.VERBOSE_JSON) {
            throw ApiError.invalid("stream", "stream=true sends JSON events; response_format must be json, text"
                    + " or verbose_json, got '" + format.wire + "'");
        }
        boolean words = granularities.contains("word") && format == ResponseFormat.VERBOSE_JSON;
        JobOptions options = new JobOptions(translation ? "translate" : "transcribe", language,
                prompt == null || prompt.isBlank() ? null : prompt, temperature, words, vadFilter);
        return new TranscriptionRequest(fileName, model.strip(), options, format, granularities, stream);
    }

    private static String field(MultiPartFormData.Parts parts, String name) {
        MultiPart.Part p = parts.getFirst(name);
        return p == null ? null : p.getContentAsString(StandardCharsets.UTF_8);
    }

    /** An ISO-639-1 code (or a language's English name) Whisper knows, as its code; null when not given. */
    static String language(String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return Languages.code(value.strip());
        } catch (AuricleException e) {
            throw ApiError.invalid("language", "unsupported_language", "language '" + value.strip()
                    + "' is not one Whisper knows; give an ISO-639-1 code such as en, de or ja");
        }
    }

    static double temperature(String value) {
        if (value == null || value.isBlank()) return 0;
        double t;
        try {
            t = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            t = Double.NaN;
        }
        if (!(t >= 0 && t <= 1)) {
            throw ApiError.invalid("temperature", "temperature must be a number from 0 to 1, got '" + value.strip() + "'");
        }
        return t;
    }

    static boolean bool(String value, String param) {
        if (value == null || value.isBlank()) return false;
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiError.invalid(param, param + " must be true or false, got '" + value.strip() + "'");
        };
    }
}
