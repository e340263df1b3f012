package io.auricle.audio;

import io.auricle.AuricleException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns any audio or video file into what Whisper hears: 16 kHz mono float samples in [-1, 1].
 *
 * <p>WAV (PCM 8/16/24/32-bit, float 32/64, G.711 u-law/A-law, extensible headers, RF64) is parsed in Java;
 * every other container and codec is decoded by FFmpeg's libraries. Downmixing and resampling use
 * libswresample to 16-bit, exactly as openai-whisper and faster-whisper do, so the samples match theirs.
 *
 * <p>Problems the user can fix (missing file, not audio, broken header) throw {@link AuricleException} with one
 * line naming the file. Damage that still leaves audio (a truncated file) is decoded as far as it goes and
 * reported to the warning listener; by default that is the {@code io.auricle.audio} {@link System.Logger}.
 */
public final class AudioFile {
    /** Sends warnings to the {@code io.auricle.audio} System.Logger at WARNING level. */
    public static final Consumer<String> LOG_WARNINGS =
            message -> System.getLogger("io.auricle.audio").log(System.Logger.Level.WARNING, message);

    private AudioFile() {}

    /** Describes the file (container, codec, source rate, channels, declared duration) without decoding it. */
    public static AudioInfo probe(Path path) {
        String file = path.toString();
        try (FileChannel channel = openChannel(path)) {
            WavHeader wav = wavHeader(channel, file);
            if (wav != null && wav.encoding() != null) {
                return new AudioInfo(wav.container(), wav.codecName(), wav.sampleRate(), wav.channels(),
                        wav.durationSeconds());
            }
        } catch (IOException e) {
            throw readFailed(file, e);
        }
        return FfmpegStream.probe(path.toAbsolutePath().toString(), file);
    }

    /**
     * Starts loading FFmpeg's native libraries on a background thread when any of {@code paths} will need them
     * (anything but a 16 kHz mono WAV, which is read in Java), so that the half second or more the loading takes
     * overlaps the model's load instead of following it. Unreadable paths are skipped: the real read reports them.
     */
    public static void preloadDecoders(List<Path> paths) {
        boolean needed = false;
        for (Path path : paths) {
            if (needsFfmpeg(path)) {
                needed = true;
                break;
            }
        }
        if (!needed) return;
        Thread.ofPlatform().daemon().name("auricle-ffmpeg-preload").start(() -> {
            try {
                Ffmpeg.init();
            } catch (Throwable ignored) {
                // the first real use of FFmpeg fails and reports it
            }
        });
    }

    /** Whether reading {@code path} will call on FFmpeg: to decode it, or to resample or downmix a WAV. */
    static boolean needsFfmpeg(Path path) {
        if (!Files.isRegularFile(path)) return false;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            WavHeader wav = wavHeader(channel, path.toString());
            return wav == null || wav.encoding() == null || wav.sampleRate() != AudioConstants.SAMPLE_RATE
                    || wav.channels() != 1;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Decodes the whole file to 16 kHz mono; warnings go to {@link #LOG_WARNINGS}. */
    public static float[] readAll(Path path) {
        return readAll(path, LOG_WARNINGS);
    }

    /** Decodes the whole file to 16 kHz mono, reporting recoverable damage to {@code warnings}. */
    public static float[] readAll(Path path, Consumer<String> warnings) {
        try (AudioStream stream = open(path, warnings)) {
            return readRemaining(stream, path.toString());
        }
    }

    /**
     * A file's samples, the first {@code length} of {@code samples} (the rest zeros): the array as it was read, sized
     * from the declared duration, so that a long file is not copied once more to trim it (81 MB at 21 minutes, whose
     * pages a serial collector's old generation keeps).
     */
    public record Decoded(float[] samples, int length) {}

    /** As {@link #readAll}, the array untrimmed. */
    public static Decoded readAllUntrimmed(Path path) {
        return readAllUntrimmed(path, LOG_WARNINGS);
    }

    /** As {@link #readAll(Path, Consumer)}, the array untrimmed. */
    public static Decoded readAllUntrimmed(Path path, Consumer<String> warnings) {
        try (AudioStream stream = open(path, warnings)) {
            return ((BufferedAudioStream) stream).readRemainingUntrimmed(path.toString());
        }
    }

    /** The rest of a stream from {@link #open} as one array, as {@link #readAll} reads a file ({@code file}: its name). */
    public static float[] readRemaining(AudioStream stream, String file) {
        return ((BufferedAudioStream) stream).readRemaining(file);
    }

    /** Opens a 16 kHz mono pull stream; warnings go to {@link #LOG_WARNINGS}. */
    public static AudioStream open(Path path) {
        return open(path, LOG_WARNINGS);
    }

    /** Opens a 16 kHz mono pull stream, reporting recoverable damage to {@code warnings}. */
    public static AudioStream open(Path path, Consumer<String> warnings) {
        String file = path.toString();
        FileChannel channel = openChannel(path);
        try {
            WavHeader wav = wavHeader(channel, file);
            if (wav != null && wav.encoding() != null) {
                wav.warnings().forEach(warnings);
                return new WavStream(file, channel, wav);
            }
            channel.close();
        } catch (IOException e) {
            closeQuietly(channel);
            throw readFailed(file, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
        return FfmpegStream.open(path.toAbsolutePath().toString(), file, warnings);
    }

    /** The WAV header when the file starts as a WAV, else null (FFmpeg takes it). Rejects empty files. */
    private static WavHeader wavHeader(FileChannel channel, String file) throws IOException {
        if (channel.size() == 0) throw new AuricleException(file + ": the file is empty (0 bytes)");
        ByteBuffer head = ByteBuffer.allocate(12);
        while (head.hasRemaining() && channel.read(head, head.position()) >= 0) { }
        if (!WavHeader.sniff(head.array(), head.position())) return null;
        return WavHeader.parse(channel, file);
    }

    private static FileChannel openChannel(Path path) {
        String file = path.toString();
        if (Files.isDirectory(path)) throw new AuricleException(file + ": is a directory, not an audio file");
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new AuricleException(file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new AuricleException(file + ": permission denied", e);
        } catch (IOException e) {
            throw readFailed(file, e);
        }
    }

    private static AuricleException readFailed(String file, IOException e) {
        return new AuricleException(file + ": cannot read the file (" + e.getMessage() + ")", e);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already failing; the first error is the one to report.
        }
    }
}
