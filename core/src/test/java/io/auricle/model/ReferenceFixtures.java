package io.auricle.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.GZIPInputStream;

/** Reads the gzip float32 fixtures written by tools/python/make_reference_tokens.py and encoder_reference.py. */
public final class ReferenceFixtures {
    private ReferenceFixtures() {}

    /** A gzip file of little-endian float32 values, from the test class path. */
    public static float[] floats(String resource) {
        try (InputStream in = ReferenceFixtures.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing test resource " + resource);
            byte[] bytes = new GZIPInputStream(in).readAllBytes();
            float[] out = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** faster-whisper's log-mel content frames of a clip, {@code [nMels][frames]}. */
    public static float[][] mel(String clipId, int nMels) {
        float[] flat = floats("/io/auricle/decoding/mel/" + clipId + ".f32.gz");
        int frames = flat.length / nMels;
        float[][] mel = new float[nMels][frames];
        for (int m = 0; m < nMels; m++) System.arraycopy(flat, m * frames, mel[m], 0, frames);
        return mel;
    }
}
