package io.auricle.audio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the golden .npy files made by tools/python/make_mel_fixtures.py, and the jfk WAV they were made from. */
final class MelFixtures {
    private static final Pattern SHAPE = Pattern.compile("'shape': \\(([0-9, ]*)\\)");

    private MelFixtures() {
    }

    /** A little-endian float32 .npy of one dimension. */
    static float[] vector(String name) {
        Npy npy = read(name);
        if (npy.shape.length != 1) throw new IllegalStateException(name + " is not 1-D");
        return npy.data;
    }

    /** A little-endian float32, C-order .npy of two dimensions. */
    static float[][] matrix(String name) {
        Npy npy = read(name);
        if (npy.shape.length != 2) throw new IllegalStateException(name + " is not 2-D");
        float[][] out = new float[npy.shape[0]][npy.shape[1]];
        for (int r = 0; r < out.length; r++) System.arraycopy(npy.data, r * npy.shape[1], out[r], 0, npy.shape[1]);
        return out;
    }

    /** jfk.wav (16 kHz mono PCM16) as soundfile reads it: sample / 32768. */
    static float[] jfk() {
        Path wav = Path.of(System.getProperty("auricle.speech.dir", "../../shared/data/speech"), "jfk", "jfk.wav");
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
            int at = 12;
            while (at + 8 <= b.limit()) {
                String id = new String(b.array(), at, 4, StandardCharsets.US_ASCII);
                int size = b.getInt(at + 4);
                if (id.equals("fmt ")) {
                    if (b.getShort(at + 8) != 1 || b.getShort(at + 10) != 1 || b.getInt(at + 12) != 16000
                            || b.getShort(at + 22) != 16) throw new IllegalStateException(wav + ": not 16 kHz mono PCM16");
                } else if (id.equals("data")) {
                    float[] out = new float[size / 2];
                    for (int i = 0; i < out.length; i++) out[i] = b.getShort(at + 8 + 2 * i) / 32768f;
                    return out;
                }
                at += 8 + size + (size & 1);
            }
            throw new IllegalStateException(wav + ": no data chunk");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double maxAbsDiff(float[][] expected, float[][] actual) {
        if (expected.length != actual.length || expected[0].length != actual[0].length) {
            throw new AssertionError("shape " + actual.length + "x" + actual[0].length + ", expected "
                    + expected.length + "x" + expected[0].length);
        }
        double max = 0;
        for (int r = 0; r < expected.length; r++) {
            for (int c = 0; c < expected[r].length; c++) max = Math.max(max, Math.abs(expected[r][c] - actual[r][c]));
        }
        return max;
    }

    private record Npy(int[] shape, float[] data) {
    }

    private static Npy read(String name) {
        try (InputStream in = MelFixtures.class.getResourceAsStream("/mel/" + name + ".npy")) {
            if (in == null) throw new IllegalStateException("missing fixture mel/" + name + ".npy");
            ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            int major = b.get(6);
            int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
            int dataStart = (major == 1 ? 10 : 12) + headerLength;
            String header = new String(b.array(), major == 1 ? 10 : 12, headerLength, StandardCharsets.US_ASCII);
            if (!header.contains("'descr': '<f4'") || !header.contains("'fortran_order': False")) {
                throw new IllegalStateException(name + ": not C-order float32: " + header);
            }
            Matcher shape = SHAPE.matcher(header);
            if (!shape.find()) throw new IllegalStateException(name + ": no shape in " + header);
            int[] dims = java.util.Arrays.stream(shape.group(1).split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
            int count = 1;
            for (int d : dims) count *= d;
            float[] data = new float[count];
            b.position(dataStart);
            b.asFloatBuffer().get(data);
            return new Npy(dims, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
