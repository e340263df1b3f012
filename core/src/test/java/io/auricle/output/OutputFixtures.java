package io.auricle.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.transcribe.Segment;
import io.auricle.transcribe.Transcription;
import io.auricle.transcribe.Word;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the fixtures of tools/python/make_output_fixtures.py. */
final class OutputFixtures {
    private OutputFixtures() {}

    static final ObjectMapper JSON = new ObjectMapper();

    record Case(String result, String variant, WriterOptions options) {
        Path goldenDir() {
            return root().resolve("golden").resolve(result).resolve(variant);
        }

        @Override
        public String toString() {
            return result + "/" + variant;
        }
    }

    static Path root() {
        try {
            return Path.of(OutputFixtures.class.getResource("/output/cases.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode casesFile() throws IOException {
        return JSON.readTree(root().resolve("cases.json").toFile());
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : casesFile().get("cases")) {
            JsonNode o = c.get("options");
            WriterOptions options = new WriterOptions(o.path("max_line_width").asInt(0),
                    o.path("max_line_count").asInt(0), o.path("highlight_words").asBoolean(false),
                    o.path("max_words_per_line").asInt(0));
            cases.add(new Case(c.get("result").asText(), c.get("variant").asText(), options));
        }
        return cases;
    }

    /** A result dict as transcribe() returns it, as our record. */
    static Transcription result(String name) throws IOException {
        JsonNode r = JSON.readTree(root().resolve("results").resolve(name + ".json").toFile());
        List<Segment> segments = new ArrayList<>();
        for (JsonNode s : r.get("segments")) {
            int[] tokens = new int[s.get("tokens").size()];
            for (int i = 0; i < tokens.length; i++) tokens[i] = s.get("tokens").get(i).asInt();
            List<Word> words = new ArrayList<>();
            for (JsonNode w : s.path("words")) {
                words.add(new Word(w.get("start").asDouble(), w.get("end").asDouble(), w.get("word").asText(),
                        w.get("probability").asDouble()));
            }
            segments.add(new Segment(s.get("id").asInt(), s.get("seek").asInt(), s.get("start").asDouble(),
                    s.get("end").asDouble(), s.get("text").asText(), tokens, s.get("temperature").asDouble(),
                    s.get("avg_logprob").asDouble(), s.get("compression_ratio").asDouble(),
                    s.get("no_speech_prob").asDouble(), words));
        }
        return new Transcription(r.get("language").asText(), Double.NaN, 0, segments);
    }

    static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
