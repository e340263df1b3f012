package io.auricle.audio;

import io.auricle.AuricleException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed RIFF/RF64 WAVE header. Chunks are walked by their declared sizes (odd sizes padded to even) without
 * ever allocating or seeking by a size the file cannot back. A data chunk larger than the file, or marked
 * unknown (0 or 0xFFFFFFFF), is read up to the end of the file.
 *
 * @param encoding    null when the format is one we hand to FFmpeg (ADPCM, GSM, MP3 in WAV, ...)
 * @param dataOffset  the file offset of the first sample frame
 * @param frames      the complete sample frames present in the file
 * @param warnings    what was odd but still readable (a truncated data chunk)
 */
record WavHeader(String container, int formatTag, WavEncoding encoding, int channels, long channelMask,
                 int sampleRate, int blockAlign, long dataOffset, long frames, List<String> warnings) {

    private static final long UNKNOWN_SIZE = 0xFFFFFFFFL;

    double durationSeconds() {
        return (double) frames / sampleRate;
    }

    /** True when the first 12 bytes say RIFF/RF64 ... WAVE. */
    static boolean sniff(byte[] head, int n) {
        return n >= 12 && (tag(head, 0).equals("RIFF") || tag(head, 0).equals("RF64")) && tag(head, 8).equals("WAVE");
    }

    static WavHeader parse(FileChannel ch, String file) throws IOException {
        long fileSize = ch.size();
        ByteBuffer head = read(ch, 0, 12);
        String riff = tag(head.array(), 0);
        boolean rf64 = riff.equals("RF64");
        long ds64DataSize = -1;

        int formatTag = -1, channels = 0, sampleRate = 0, blockAlign = 0, bitsPerSample = 0;
        long channelMask = 0;
        long dataOffset = -1, dataSize = -1;
        long pos = 12;
        while (pos + 8 <= fileSize) {
            ByteBuffer chunkHead = read(ch, pos, 8);
            String id = tag(chunkHead.array(), 0);
            long size = chunkHead.getInt(4) & 0xFFFFFFFFL;
            long body = pos + 8;
            long remaining = fileSize - body;
            switch (id) {
                case "ds64" -> {
                    ByteBuffer ds = read(ch, body, (int) Math.min(size, 28));
                    if (ds.limit() >= 16) ds64DataSize = ds.getLong(8);
                }
                case "fmt " -> {
                    if (size < 16 || size > remaining) {
                        throw bad(file, "its 'fmt ' chunk is " + (size < 16 ? "too short" : "cut off") + " (" + size + " bytes)");
                    }
                    ByteBuffer fmt = read(ch, body, (int) Math.min(size, 40));
                    formatTag = fmt.getShort(0) & 0xFFFF;
                    channels = fmt.getShort(2) & 0xFFFF;
                    sampleRate = fmt.getInt(4);
                    blockAlign = fmt.getShort(12) & 0xFFFF;
                    bitsPerSample = fmt.getShort(14) & 0xFFFF;
                    if (formatTag == WavEncoding.TAG_EXTENSIBLE && fmt.limit() >= 40) {
                        channelMask = fmt.getInt(20) & 0xFFFFFFFFL;
                        formatTag = fmt.getShort(24) & 0xFFFF; // the sub-format GUID starts with the plain tag
                    }
                }
                case "data" -> {
                    dataOffset = body;
                    boolean unknown = size == UNKNOWN_SIZE || size == 0 && remaining > 0;
                    if (rf64 && ds64DataSize >= 0 && size == UNKNOWN_SIZE) {
                        size = ds64DataSize;
                        unknown = false;
                    }
                    dataSize = unknown ? remaining : size;
                }
                default -> {
                    if (size > remaining && dataOffset < 0) {
                        throw bad(file, "chunk '" + printable(id) + "' at byte " + pos + " claims " + size
                                + " bytes but only " + remaining + " follow, and no 'data' chunk comes before it");
                    }
                }
            }
            if (dataOffset >= 0 && formatTag >= 0) break;
            pos = body + size + (size & 1);
        }
        if (formatTag < 0) throw bad(file, "it has no 'fmt ' chunk");
        if (dataOffset < 0) throw bad(file, "it has no 'data' chunk");
        if (channels == 0 || sampleRate <= 0 || blockAlign == 0) {
            throw bad(file, "its 'fmt ' chunk is invalid (" + channels + " channels, " + sampleRate
                    + " Hz, block size " + blockAlign + ")");
        }
        if (channels > 64) throw bad(file, "it has " + channels + " channels; at most 64 are supported");
        Resampler.checkRate(sampleRate, file);

        int bytesPerSample = blockAlign % channels == 0 ? blockAlign / channels : (bitsPerSample + 7) / 8;
        WavEncoding encoding = WavEncoding.of(formatTag, bytesPerSample);
        if (encoding != null && encoding.bytesInFile * channels != blockAlign) {
            throw bad(file, "its block size " + blockAlign + " does not fit " + channels + " channels of "
                    + encoding.codecName);
        }
        List<String> warnings = new ArrayList<>();
        long present = Math.max(0, fileSize - dataOffset);
        long usable = Math.min(dataSize, present);
        long frames = usable / blockAlign;
        if (dataSize > present) {
            warnings.add(file + ": truncated WAV: the data chunk declares " + seconds(dataSize / blockAlign, sampleRate)
                    + " s but the file ends after " + seconds(frames, sampleRate) + " s; decoding the "
                    + seconds(frames, sampleRate) + " s present");
        }
        return new WavHeader(rf64 ? "rf64" : "wav", formatTag, encoding, channels, channelMask, sampleRate,
                blockAlign, dataOffset, frames, List.copyOf(warnings));
    }

    String codecName() {
        return encoding != null ? encoding.codecName : String.format("wav format 0x%04x", formatTag);
    }

    private static String seconds(long frames, int rate) {
        return String.format(java.util.Locale.ROOT, "%.3f", (double) frames / rate);
    }

    private static AuricleException bad(String file, String reason) {
        return new AuricleException(file + ": broken WAV file: " + reason);
    }

    private static ByteBuffer read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) break;
        }
        buf.flip();
        return buf;
    }

    private static String tag(byte[] b, int off) {
        return new String(b, off, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String printable(String id) {
        return id.chars().allMatch(c -> c >= 0x20 && c < 0x7F) ? id : "?";
    }
}
