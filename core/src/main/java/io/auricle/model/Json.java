package io.auricle.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.AuricleException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** JSON files of model directories, with errors that name the file. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (NoSuchFileException e) {
            throw new AuricleException(file + ": no such file");
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new AuricleException(file + ": not valid JSON: " + reason, e);
        }
    }

    /** An int array from a JSON list of ints; empty when the node is missing. */
    static int[] ints(Path file, JsonNode node, String what) {
        if (node == null || node.isMissingNode() || node.isNull()) return new int[0];
        if (!node.isArray()) throw new AuricleException(file + ": " + what + " is not a list");
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) {
            if (!node.get(i).canConvertToInt()) throw new AuricleException(file + ": " + what + " holds a non-integer");
            out[i] = node.get(i).asInt();
        }
        return out;
    }

    /** A list of [layer, head] pairs, or null when the node is missing. */
    static int[][] pairs(Path file, JsonNode node, String what) {
        if (node == null || node.isMissingNode() || node.isNull()) return null;
        if (!node.isArray()) throw new AuricleException(file + ": " + what + " is not a list");
        int[][] out = new int[node.size()][];
        for (int i = 0; i < out.length; i++) {
            int[] pair = ints(file, node.get(i), what);
            if (pair.length != 2) throw new AuricleException(file + ": " + what + " entry " + i + " is not a pair");
            out[i] = pair;
        }
        return out;
    }
}
