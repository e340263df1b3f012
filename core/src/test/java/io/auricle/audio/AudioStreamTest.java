package io.auricle.audio;

import static io.auricle.audio.AudioTestSupport.resource;
import static io.auricle.audio.AudioTestSupport.speechDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The pull API gives exactly readAll's samples whatever the buffer size. */
class AudioStreamTest {

    static Stream<Path> files() {
        Path jfk = speechDir().resolve("jfk");
        return Stream.of(jfk.resolve("jfk.wav"), jfk.resolve("jfk_44k_stereo.wav"), jfk.resolve("jfk_ulaw_8k.wav"),
                jfk.resolve("jfk.opus"), jfk.resolve("jfk.flac"), resource("wav/s16_44k_5p1_ext.wav"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void streamingEqualsReadAll(Path file) {
        float[] all = AudioFile.readAll(file);
        for (int bufferSize : new int[] {1, 7, 4096, 1 << 20}) {
            assertArrayEquals(all, readInPieces(file, bufferSize), "buffer size " + bufferSize);
        }
    }

    private static float[] readInPieces(Path file, int bufferSize) {
        float[] out = new float[0];
        int n = 0;
        try (AudioStream stream = AudioFile.open(file)) {
            float[] buf = new float[bufferSize + 3];
            int got;
            while ((got = stream.read(buf, 3, bufferSize)) != -1) {
                if (got <= 0 || got > bufferSize) throw new AssertionError("read returned " + got);
                if (n + got > out.length) out = Arrays.copyOf(out, Math.max(2 * out.length, n + got));
                System.arraycopy(buf, 3, out, n, got);
                n += got;
            }
            assertEquals(-1, stream.read(buf, 0, 1), "stays at end");
        }
        return Arrays.copyOf(out, n);
    }

    @Test
    void zeroLengthReadAndBadRange() {
        try (AudioStream stream = AudioFile.open(speechDir().resolve("jfk/jfk.wav"))) {
            assertEquals(0, stream.read(new float[4], 0, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> stream.read(new float[4], 2, 3));
            assertEquals(new AudioInfo("wav", "pcm_s16le", 16000, 1, 11.0), stream.info());
        }
    }
}
