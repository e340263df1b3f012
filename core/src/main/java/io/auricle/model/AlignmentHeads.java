package io.auricle.model;

import io.auricle.AuricleException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Cross-attention heads used for word timestamps, as (layer, head) pairs. A checkpoint's own list wins (CT2
 * config.json, HF generation_config.json); otherwise the official table when the hyperparameters (and, for the
 * twins large-v1/large-v2, the file name) identify the model; otherwise openai-whisper's default: every head of
 * the upper half of the decoder layers.
 */
public final class AlignmentHeads {
    private static final String BASE85 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";

    private AlignmentHeads() {}

    /** The heads for a checkpoint that stores none. {@code nameHint} is the file or directory name, may be null. */
    public static int[][] forCheckpoint(ModelDimensions dims, String nameHint) {
        List<OfficialModel> matches = OfficialModel.withDims(dims);
        if (matches.size() == 1) return matches.getFirst().alignmentHeads();
        if (nameHint != null) {
            String hint = nameHint.toLowerCase(Locale.ROOT);
            for (OfficialModel m : matches) if (hint.contains(m.id)) return m.alignmentHeads();
        }
        return upperHalf(dims);
    }

    /** openai-whisper's default: all heads of layers n/2 .. n-1. */
    public static int[][] upperHalf(ModelDimensions dims) {
        List<int[]> heads = new ArrayList<>();
        for (int layer = dims.nTextLayer() / 2; layer < dims.nTextLayer(); layer++) {
            for (int head = 0; head < dims.nTextHead(); head++) heads.add(new int[] {layer, head});
        }
        return heads.toArray(int[][]::new);
    }

    /** Checks that every pair names a real decoder layer and head. */
    static void check(int[][] heads, ModelDimensions dims, String source) {
        for (int[] h : heads) {
            if (h[0] < 0 || h[0] >= dims.nTextLayer() || h[1] < 0 || h[1] >= dims.nTextHead()) {
                throw new AuricleException(source + ": alignment head (" + h[0] + ", " + h[1] + ") is outside the "
                        + dims.nTextLayer() + " decoder layers x " + dims.nTextHead() + " heads");
            }
        }
    }

    /** Unpacks one openai-whisper blob: base85 (Python's b85 alphabet), then gzip, then a bool per head. */
    static int[][] decode(String blob, int layers, int heads) {
        byte[] mask;
        try (var in = new GZIPInputStream(new ByteArrayInputStream(base85(blob)))) {
            mask = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("corrupt alignment-head blob", e);
        }
        if (mask.length != layers * heads) {
            throw new IllegalStateException("alignment-head blob has " + mask.length + " entries, want " + layers * heads);
        }
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) if (mask[i] != 0) out.add(new int[] {i / heads, i % heads});
        return out.toArray(int[][]::new);
    }

    /** RFC 1924-style base85 as Python's base64.b85decode: 5 chars to 4 big-endian bytes, short tail padded. */
    static byte[] base85(String s) {
        int padding = (5 - s.length() % 5) % 5;
        String padded = s + "~".repeat(padding);
        byte[] out = new byte[padded.length() / 5 * 4];
        for (int group = 0; group < padded.length() / 5; group++) {
            long value = 0;
            for (int k = 0; k < 5; k++) {
                int digit = BASE85.indexOf(padded.charAt(group * 5 + k));
                if (digit < 0) throw new IllegalArgumentException("not base85: " + padded.charAt(group * 5 + k));
                value = value * 85 + digit;
            }
            for (int k = 0; k < 4; k++) out[group * 4 + k] = (byte) (value >>> (24 - 8 * k));
        }
        return java.util.Arrays.copyOf(out, out.length - padding);
    }
}
