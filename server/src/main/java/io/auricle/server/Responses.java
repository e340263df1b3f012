package io.auricle.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auricle.output.SrtWriter;
import io.auricle.output.VttWriter;
import io.auricle.output.WriterOptions;
import io.auricle.tokenizer.Languages;
import io.auricle.transcribe.Segment;
import io.auricle.transcribe.Transcription;
import io.auricle.transcribe.Word;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Bodies in OpenAI's shapes: the five response formats, the stream's events, and errors. */
final class Responses {
    static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {}

    static byte[] render(Transcription t, ResponseFormat format, String task, Set<String> granularities) {
        String body = switch (format) {
            case JSON -> json(JSON.createObjectNode().put("text", text(t)));
            case TEXT -> text(t) + "\n";
            case SRT -> write(t, new SrtWriter());
            case VTT -> write(t, new VttWriter());
            case VERBOSE_JSON -> json(verbose(t, task, granularities));
        };
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** The transcript as OpenAI gives it: the segments' texts joined, without the leading space. */
    static String text(Transcription t) {
        return t.text().strip();
    }

    /** verbose_json: segments unless only words were asked for, words when they were. */
    static ObjectNode verbose(Transcription t, String task, Set<String> granularities) {
        ObjectNode root = JSON.createObjectNode();
        root.put("task", task);
        root.put("language", languageName(t.language()));
        root.put("duration", round(t.duration()));
        root.put("text", text(t));
        if (granularities.isEmpty() || granularities.contains("segment")) {
            ArrayNode segments = root.putArray("segments");
            for (Segment s : t.segments()) segments.add(segment(s));
        }
        if (granularities.contains("word")) {
            ArrayNode words = root.putArray("words");
            for (Segment s : t.segments()) for (Word w : s.words()) words.add(word(w));
        }
        return root;
    }

    static ObjectNode segment(Segment s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", s.id());
        o.put("seek", s.seek());
        o.put("start", round(s.start()));
        o.put("end", round(s.end()));
        o.put("text", s.text());
        ArrayNode tokens = o.putArray("tokens");
        for (int token : s.tokens()) tokens.add(token);
        o.put("temperature", s.temperature());
        o.put("avg_logprob", s.avgLogprob());
        o.put("compression_ratio", s.compressionRatio());
        o.put("no_speech_prob", s.noSpeechProb());
        return o;
    }

    static ObjectNode word(Word w) {
        ObjectNode o = JSON.createObjectNode();
        o.put("word", w.word().strip());
        o.put("start", round(w.start()));
        o.put("end", round(w.end()));
        return o;
    }

    /** A stream event per segment: OpenAI's {@code transcript.text.delta}, with the segment (and words) added. */
    static String deltaEvent(Segment s, boolean words) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "transcript.text.delta");
        o.put("delta", s.text());
        ObjectNode segment = segment(s);
        segment.remove("tokens");
        if (words) {
            ArrayNode ws = segment.putArray("words");
            for (Word w : s.words()) ws.add(word(w));
        }
        o.set("segment", segment);
        return json(o);
    }

    /** The stream's last event: OpenAI's {@code transcript.text.done}, with language and duration. */
    static String doneEvent(Transcription t, String task) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "transcript.text.done");
        o.put("text", text(t));
        o.put("task", task);
        o.put("language", languageName(t.language()));
        o.put("duration", round(t.duration()));
        return json(o);
    }

    static byte[] error(ApiError e) {
        ObjectNode error = JSON.createObjectNode();
        error.put("message", e.getMessage());
        error.put("type", e.type);
        error.put("param", e.param);
        error.put("code", e.code);
        ObjectNode root = JSON.createObjectNode();
        root.set("error", error);
        return json(root).getBytes(StandardCharsets.UTF_8);
    }

    /** An error inside an event stream that has already answered 200. */
    static String errorEvent(ApiError e) {
        return new String(error(e), StandardCharsets.UTF_8).replaceFirst("^\\{", "{\"type\":\"error\",");
    }

    static String json(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(Transcription t, io.auricle.output.ResultWriter writer) {
        StringWriter out = new StringWriter();
        try {
            writer.write(t, out, WriterOptions.DEFAULTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String languageName(String code) {
        try {
            return Languages.name(code);
        } catch (RuntimeException e) {
            return code;
        }
    }

    /** Seconds to the millisecond: 7.74, not 7.740000000000001. */
    static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
