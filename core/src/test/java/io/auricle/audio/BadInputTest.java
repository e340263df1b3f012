package io.auricle.audio;

import static io.auricle.audio.AudioTestSupport.speechDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.auricle.AuricleException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that cannot be decoded fail with one line naming the file and the reason; damaged ones warn. */
class BadInputTest {
    private static final Path EDGE = speechDir().resolve("edge_cases");

    @TempDir
    Path tmp;

    /** Both entry points must give the same message. */
    private static void assertFails(Path file, String message) {
        assertEquals(message, assertThrows(AuricleException.class, () -> AudioFile.readAll(file)).getMessage());
        assertEquals(message, assertThrows(AuricleException.class, () -> AudioFile.probe(file)).getMessage());
    }

    @Test
    void emptyFile() {
        Path f = EDGE.resolve("corrupt_empty.wav");
        assertFails(f, f + ": the file is empty (0 bytes)");
    }

    @Test
    void randomBytes() {
        Path f = EDGE.resolve("corrupt_random_bytes.wav");
        assertFails(f, f + ": not a recognised audio or video file (Invalid data found when processing input)");
    }

    @Test
    void chunkSizeBeyondTheFileIsNeitherAllocatedNorFollowed() {
        Path f = EDGE.resolve("corrupt_huge_chunk.wav");
        assertFails(f, f + ": broken WAV file: chunk 'LIST' at byte 36 claims 4294967280 bytes but only 353194"
                + " follow, and no 'data' chunk comes before it");
    }

    @Test
    void truncatedWavDecodesTheSecondThatIsThere() {
        Path f = EDGE.resolve("corrupt_truncated_data.wav");
        List<String> warnings = new ArrayList<>();
        assertEquals(16000, AudioFile.readAll(f, warnings::add).length);
        assertEquals(List.of(f + ": truncated WAV: the data chunk declares 8.009 s but the file ends after 1.000 s;"
                + " decoding the 1.000 s present"), warnings);
    }

    @Test
    void truncatedMp3DecodesTheFirstHalfWithAWarning() {
        Path f = EDGE.resolve("corrupt_truncated_mid.mp3");
        List<String> warnings = new ArrayList<>();
        assertEquals(63982, AudioFile.readAll(f, warnings::add).length);
        assertEquals(List.of(f + ": truncated or damaged mp3 audio: decoded 3.999 s of the 8.072 s the header declares"),
                warnings);
    }

    @Test
    void missingFile() {
        Path f = tmp.resolve("nothing-here.wav");
        assertFails(f, f + ": no such file");
    }

    @Test
    void directory() {
        assertFails(tmp, tmp + ": is a directory, not an audio file");
    }

    @Test
    void unreadableFile() throws IOException {
        Path f = Files.writeString(tmp.resolve("secret.wav"), "RIFF");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(f), "running as root: permissions do not stop reads");
        assertFails(f, f + ": permission denied");
    }

    @Test
    void textFile() throws IOException {
        Path f = Files.writeString(tmp.resolve("notes.txt"), "And so, my fellow Americans, ask not.\n".repeat(50));
        assertFails(f, f + ": no audio stream (the file is tty)");
        Path tsv = EDGE.resolve("manifest.tsv");
        assertFails(tsv, tsv + ": not a recognised audio or video file (Invalid data found when processing input)");
    }

    @Test
    void image() throws IOException {
        Path f = tmp.resolve("picture.png");
        ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "png", f.toFile());
        assertFails(f, f + ": no audio stream (the file is png_pipe)");
    }

    @Test
    void wavWithoutDataChunk() throws IOException {
        byte[] header = java.util.HexFormat.of().parseHex(
                "52494646" + "1c000000" + "57415645" + "666d7420" + "10000000" + "01000100803e0000007d000002001000");
        Path f = Files.write(tmp.resolve("nodata.wav"), header);
        assertFails(f, f + ": broken WAV file: it has no 'data' chunk");
    }

    @Test
    void absurdSampleRatesAreRefusedBeforeAnyResamplerIsBuilt() throws IOException {
        // 0x20000040 Hz = 536870976 Hz: swresample would spend seconds and gigabytes on its filter.
        Path f = Files.write(tmp.resolve("rate.wav"), wav("01000100" + "40000020" + "80bb0000" + "02001000", 8));
        assertFails(f, f + ": unsupported sample rate 536870976 Hz (expected 1000 to 1000000)");
        Path low = Files.write(tmp.resolve("low.wav"), wav("01000100" + "01000000" + "02000000" + "02001000", 8));
        assertFails(low, low + ": unsupported sample rate 1 Hz (expected 1000 to 1000000)");
    }

    @Test
    void invalidFmtChunks() throws IOException {
        Path zero = Files.write(tmp.resolve("zero.wav"), wav("01000000" + "803e0000" + "007d0000" + "02001000", 8));
        assertFails(zero, zero + ": broken WAV file: its 'fmt ' chunk is invalid (0 channels, 16000 Hz, block size 2)");
        Path block = Files.write(tmp.resolve("block.wav"), wav("01000200" + "803e0000" + "007d0000" + "03001000", 8));
        assertFails(block, block + ": broken WAV file: its block size 3 does not fit 2 channels of pcm_s16le");
    }

    /** A RIFF/WAVE file with the given 16-byte fmt body (hex) and {@code dataBytes} zero bytes of data. */
    private static byte[] wav(String fmtHex, int dataBytes) {
        byte[] fmt = java.util.HexFormat.of().parseHex(fmtHex);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).put(fmt);
        b.put("data".getBytes()).putInt(dataBytes);
        return b.array();
    }

    @Test
    void warningsGoToTheSystemLoggerByDefault() {
        // The default listener must not throw and must not need the caller to do anything.
        assertEquals(16000, AudioFile.readAll(EDGE.resolve("corrupt_truncated_data.wav")).length);
    }
}
