package io.auricle.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Shared helpers: the speech sets beside the project, their manifests, and a fingerprint of decoded audio. */
final class AudioTestSupport {
    private AudioTestSupport() {}

    record ManifestRow(String set, String id, Path file, double seconds, String text) {}

    static Path speechDir() {
        return Path.of(System.getProperty("auricle.speech.dir", "../../shared/data/speech"));
    }

    static List<ManifestRow> manifest(String set) {
        Path dir = speechDir().resolve(set);
        try {
            return Files.readAllLines(dir.resolve("manifest.tsv")).stream().skip(1).map(line -> {
                String[] f = line.split("\t", -1);
                return new ManifestRow(set, f[0], dir.resolve(f[1]), Double.parseDouble(f[2]), f[4]);
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows of a tab-separated fixture under src/test/resources/audio, header skipped. */
    static List<String[]> fixture(String name) {
        try (var in = AudioTestSupport.class.getResourceAsStream("/audio/" + name)) {
            return new String(in.readAllBytes()).lines().skip(1).map(l -> l.split("\t")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(AudioTestSupport.class.getResource("/audio/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** sha256 of the samples as little-endian int16, the way the Python fixture scripts hash the reference. */
    static String sha256OfS16(float[] samples) {
        byte[] bytes = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            int s = Math.round(samples[i] * 32768f);
            bytes[2 * i] = (byte) s;
            bytes[2 * i + 1] = (byte) (s >> 8);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signal-to-noise ratio of {@code test} against {@code ref} in dB, over their common length. */
    static double snrDb(float[] ref, float[] test) {
        int n = Math.min(ref.length, test.length);
        double signal = 0, noise = 0;
        for (int i = 0; i < n; i++) {
            signal += (double) ref[i] * ref[i];
            double d = (double) ref[i] - test[i];
            noise += d * d;
        }
        return noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
    }
}
