package io.auricle.timing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

/** Reads the fixtures of tools/python/make_timing_fixtures.py (openai-whisper's timing.py outputs). */
final class TimingFixtures {
    private TimingFixtures() {}

    static JsonNode load(String name) throws IOException {
        try (InputStream in = new GZIPInputStream(TimingFixtures.class.getResourceAsStream("/timing/" + name))) {
            return new ObjectMapper().readTree(in);
        }
    }

    static int[] shape(JsonNode array) {
        int[] shape = new int[array.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = array.get("shape").get(i).asInt();
        return shape;
    }

    /** The values, row-major. */
    static float[] values(JsonNode array) {
        if (array.has("f32")) {
            ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(array.get("f32").asText())).order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[b.remaining() / 4];
            b.asFloatBuffer().get(v);
            return v;
        }
        JsonNode x64 = array.get("x64");
        float[] v = new float[x64.size()];
        for (int i = 0; i < v.length; i++) v[i] = x64.get(i).asInt() / 64f;
        return v;
    }

    /** A [rows][cols] view of an array whose last dimension is cols. */
    static float[][] rows(JsonNode array) {
        int[] shape = shape(array);
        int cols = shape[shape.length - 1];
        float[] v = values(array);
        float[][] rows = new float[v.length / cols][];
        for (int r = 0; r < rows.length; r++) rows[r] = java.util.Arrays.copyOfRange(v, r * cols, (r + 1) * cols);
        return rows;
    }

    static float[][][] cube(JsonNode array) {
        int[] shape = shape(array);
        float[][] rows = rows(array);
        float[][][] cube = new float[shape[0]][shape[1]][];
        for (int i = 0; i < shape[0]; i++) for (int j = 0; j < shape[1]; j++) cube[i][j] = rows[i * shape[1] + j];
        return cube;
    }

    static int[] ints(JsonNode list) {
        int[] v = new int[list.size()];
        for (int i = 0; i < v.length; i++) v[i] = list.get(i).asInt();
        return v;
    }
}
