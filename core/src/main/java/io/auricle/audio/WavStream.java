package io.auricle.audio;

import io.auricle.AuricleException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Streams a PCM, float or G.711 WAV file. 16 kHz mono is converted to s16 in Java; anything else goes through
 * {@link Resampler} in the sample format FFmpeg's decoder would have produced, to match the reference exactly.
 */
final class WavStream extends BufferedAudioStream {
    private static final int FRAMES_PER_READ = 16384;

    private final String file;
    private final FileChannel channel;
    private final WavHeader header;
    private final AudioInfo info;
    private final byte[] raw;
    private final Resampler resampler; // null when the file is already 16 kHz mono
    private final byte[] decoded;
    private final BytePointer nativeIn;
    private short[] s16 = new short[FRAMES_PER_READ];
    private long framesLeft;
    private long position;
    private boolean flushed;

    WavStream(String file, FileChannel channel, WavHeader header) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        this.info = new AudioInfo(header.container(), header.codecName(), header.sampleRate(), header.channels(),
                header.durationSeconds());
        this.framesLeft = header.frames();
        this.position = header.dataOffset();
        this.raw = new byte[FRAMES_PER_READ * header.blockAlign()];
        WavEncoding enc = header.encoding();
        boolean direct = header.channels() == 1 && header.sampleRate() == AudioConstants.SAMPLE_RATE;
        if (direct) {
            resampler = null;
            decoded = null;
            nativeIn = null;
        } else {
            resampler = Resampler.forChannels(enc.ffmpegFormat, header.channels(), header.channelMask(),
                    header.sampleRate(), file);
            decoded = new byte[FRAMES_PER_READ * header.channels() * enc.bytesDecoded];
            nativeIn = new BytePointer(decoded.length);
        }
    }

    @Override
    public AudioInfo info() {
        return info;
    }

    @Override
    protected boolean decodeMore() {
        if (framesLeft == 0) return resampler != null && flush();
        int frames = (int) Math.min(FRAMES_PER_READ, framesLeft);
        int bytes = frames * header.blockAlign();
        readFully(bytes);
        framesLeft -= frames;
        position += bytes;
        WavEncoding enc = header.encoding();
        if (resampler == null) {
            for (int i = 0; i < frames; i++) s16[i] = enc.toS16(raw, i * enc.bytesInFile);
            push(s16, frames);
            return true;
        }
        int samples = frames * header.channels();
        enc.toFfmpegFormat(raw, samples, decoded);
        nativeIn.position(0).put(decoded, 0, samples * enc.bytesDecoded);
        // (new PointerPointer(p) would cast p, not wrap it.)
        try (PointerPointer<BytePointer> in = new PointerPointer<BytePointer>(1).put(0, nativeIn)) {
            int n = resampler.convert(in, frames);
            push(resampler.output(), n);
        }
        return true;
    }

    private boolean flush() {
        if (flushed) return false;
        flushed = true;
        int n = resampler.convert(null, 0);
        push(resampler.output(), n);
        return true;
    }

    private void readFully(int bytes) {
        ByteBuffer buf = ByteBuffer.wrap(raw, 0, bytes);
        try {
            while (buf.hasRemaining()) {
                if (channel.read(buf, position + buf.position()) < 0) {
                    throw new AuricleException(file + ": the file got shorter while being read");
                }
            }
        } catch (IOException e) {
            throw new AuricleException(file + ": read failed (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to do: we only read.
        }
        if (resampler != null) {
            resampler.close();
            nativeIn.close();
        }
    }
}
