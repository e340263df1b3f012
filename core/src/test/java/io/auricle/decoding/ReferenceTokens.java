package io.auricle.decoding;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The fixture written by tools/python/make_reference_tokens.py: faster-whisper's first-window tokens per clip. */
public record ReferenceTokens(String set, String id, int[] prompt, int[] tokens, double avgLogProb,
                              double noSpeechProb, double compressionRatio, String text) {

    public static List<ReferenceTokens> load() {
        List<ReferenceTokens> rows = new ArrayList<>();
        for (String[] f : fixtureRows("/io/auricle/decoding/reference_tokens.tsv")) {
            rows.add(new ReferenceTokens(f[0], f[1], ints(f[2]), ints(f[3]), Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6]), f[7].replace("\\", "")));
        }
        return rows;
    }

    /** The tab-separated fields of each row of a fixture written by tools/python (a provenance line, a header, rows). */
    public static List<String[]> fixtureRows(String resource) {
        List<String[]> rows = new ArrayList<>();
        try (var in = ReferenceTokens.class.getResourceAsStream(resource);
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.readLine(); // provenance
            reader.readLine(); // header
            for (String line; (line = reader.readLine()) != null; ) rows.add(line.split("\t", -1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    static int[] ints(String s) {
        return s.isBlank() ? new int[0] : Arrays.stream(s.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    /** The first index where {@code ours} and the reference differ, or -1 if identical. */
    public int firstDifference(int[] ours) {
        int n = Math.min(ours.length, tokens.length);
        for (int i = 0; i < n; i++) if (ours[i] != tokens[i]) return i;
        return ours.length == tokens.length ? -1 : n;
    }
}
