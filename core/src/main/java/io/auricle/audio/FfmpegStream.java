package io.auricle.audio;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16P;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

import io.auricle.AuricleException;
import java.util.Locale;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * Decodes any container and codec FFmpeg knows (MP3, FLAC, Ogg Vorbis/Opus, M4A/AAC, WebM, MP4/MKV/MOV audio)
 * from the first audio stream, as faster-whisper's {@code decode_audio} does: damaged packets are skipped,
 * every frame goes through {@link Resampler}, and the resampler's tail is flushed at the end.
 */
final class FfmpegStream extends BufferedAudioStream {
    /** AVFMT_DURATION_FROM_BITRATE: a guess from the first frames, too rough to call a file truncated. */
    private static final int DURATION_FROM_BITRATE = 2;

    private final String file;
    private final Consumer<String> warnings;
    private final AVFormatContext format;
    private final int streamIndex;
    private final AudioInfo info;
    private AVCodecContext decoder;
    private AVPacket packet;
    private AVFrame frame;
    private Resampler resampler;
    private int resamplerFormat = -1;
    private short[] s16 = new short[0];
    private long inputSamples;
    private int damagedPackets;
    private String readError;
    private boolean demuxerDone;
    private boolean flushSent;
    private int errorsAfterFlush;
    private boolean closed;
    private boolean finished;

    private FfmpegStream(String file, Consumer<String> warnings, AVFormatContext format, int streamIndex,
                         AudioInfo info) {
        this.file = file;
        this.warnings = warnings;
        this.format = format;
        this.streamIndex = streamIndex;
        this.info = info;
    }

    /** Reads the container header and stream parameters without decoding. */
    static AudioInfo probe(String path, String file) {
        AVFormatContext format = openContainer(path, file);
        try {
            return describe(format, firstAudioStream(format, file));
        } finally {
            avformat_close_input(format);
        }
    }

    static FfmpegStream open(String path, String file, Consumer<String> warnings) {
        AVFormatContext format = openContainer(path, file);
        FfmpegStream stream = null;
        try {
            int index = firstAudioStream(format, file);
            stream = new FfmpegStream(file, warnings, format, index, describe(format, index));
            stream.openDecoder();
            return stream;
        } catch (RuntimeException e) {
            if (stream != null) stream.close();
            else avformat_close_input(format);
            throw e;
        }
    }

    private static AVFormatContext openContainer(String path, String file) {
        Ffmpeg.init();
        AVFormatContext format = new AVFormatContext(null);
        int err = avformat_open_input(format, path, null, null);
        if (err < 0) {
            throw new AuricleException(file + ": not a recognised audio or video file (" + Ffmpeg.describe(err) + ")");
        }
        err = avformat_find_stream_info(format, (PointerPointer<?>) null);
        if (err < 0) {
            avformat_close_input(format);
            throw new AuricleException(file + ": cannot read the stream layout (" + Ffmpeg.describe(err) + ")");
        }
        return format;
    }

    private static int firstAudioStream(AVFormatContext format, String file) {
        for (int i = 0; i < format.nb_streams(); i++) {
            if (format.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_AUDIO) return i;
        }
        throw new AuricleException(file + ": no audio stream (the file is " + containerName(format) + ")");
    }

    private static String containerName(AVFormatContext format) {
        return format.iformat() == null ? "unknown" : format.iformat().name().getString();
    }

    private static AudioInfo describe(AVFormatContext format, int index) {
        AVStream stream = format.streams(index);
        AVCodecParameters par = stream.codecpar();
        double seconds = Double.NaN;
        if (stream.duration() != AV_NOPTS_VALUE && stream.duration() > 0) {
            seconds = stream.duration() * av_q2d(stream.time_base());
        } else if (format.duration() != AV_NOPTS_VALUE && format.duration() > 0) {
            seconds = (double) format.duration() / AV_TIME_BASE;
        }
        return new AudioInfo(containerName(format), avcodec_get_name(par.codec_id()).getString(),
                par.sample_rate(), par.ch_layout().nb_channels(), seconds);
    }

    private void openDecoder() {
        AVCodecParameters par = format.streams(streamIndex).codecpar();
        AVCodec codec = avcodec_find_decoder(par.codec_id());
        if (codec == null || codec.isNull()) {
            throw new AuricleException(file + ": no decoder for audio codec '" + info.codec() + "'");
        }
        decoder = avcodec_alloc_context3(codec);
        int err = avcodec_parameters_to_context(decoder, par);
        if (err >= 0) err = avcodec_open2(decoder, codec, (PointerPointer<?>) null);
        if (err < 0) {
            throw new AuricleException(file + ": cannot open the " + info.codec() + " decoder (" + Ffmpeg.describe(err) + ")");
        }
        packet = av_packet_alloc();
        frame = av_frame_alloc();
    }

    @Override
    public AudioInfo info() {
        return info;
    }

    @Override
    protected boolean decodeMore() {
        if (finished) return false;
        while (true) {
            int got = avcodec_receive_frame(decoder, frame);
            if (got >= 0) {
                convert(frame);
                av_frame_unref(frame);
                return true;
            }
            if (got == AVERROR_EOF) break;
            if (got != Ffmpeg.EAGAIN) {
                // A bad frame: count it and move on to the next packet, as faster-whisper skips invalid frames.
                damagedPackets++;
            }
            if (flushSent) {
                if (got == Ffmpeg.EAGAIN || ++errorsAfterFlush > 64) break; // a decoder that will not finish
                continue;
            }
            feedDecoder();
        }
        finished = true;
        if (resampler != null) drain(null, 0);
        reportDamage();
        return true;
    }

    /** Sends the next packet of our stream to the decoder, or end-of-stream once the demuxer is exhausted. */
    private void feedDecoder() {
        while (!demuxerDone) {
            int err = av_read_frame(format, packet);
            if (err < 0) {
                if (err != AVERROR_EOF) readError = Ffmpeg.describe(err);
                demuxerDone = true;
                break;
            }
            try {
                if (packet.stream_index() != streamIndex) continue;
                int sent = avcodec_send_packet(decoder, packet);
                if (sent < 0 && sent != Ffmpeg.EAGAIN) damagedPackets++;
                return;
            } finally {
                av_packet_unref(packet);
            }
        }
        avcodec_send_packet(decoder, null);
        flushSent = true;
    }

    private void convert(AVFrame f) {
        int n = f.nb_samples();
        inputSamples += n;
        int fmt = f.format();
        boolean direct = f.sample_rate() == AudioConstants.SAMPLE_RATE && f.ch_layout().nb_channels() == 1
                && (fmt == AV_SAMPLE_FMT_S16 || fmt == AV_SAMPLE_FMT_S16P) && resampler == null;
        if (direct) {
            if (s16.length < n) s16 = new short[n];
            new ShortPointer(f.extended_data().get(0)).get(s16, 0, n);
            push(s16, n);
            return;
        }
        if (resampler == null || fmt != resamplerFormat || f.sample_rate() != resampler.inputRate()) {
            // A stream that changes format mid-way: finish the old conversion, start a new one.
            if (resampler != null) {
                drain(null, 0);
                resampler.close();
            }
            resampler = new Resampler(fmt, f.ch_layout(), f.sample_rate(), file);
            resamplerFormat = fmt;
        }
        drain(f.extended_data(), n);
    }

    /** Converts through the resampler (null input flushes it) and queues the result. */
    private void drain(PointerPointer<?> input, int count) {
        int produced = resampler.convert(input, count); // before output(): convert may grow the array
        push(resampler.output(), produced);
    }

    private void reportDamage() {
        double decoded = inputSamples / (double) Math.max(1, info.sampleRate());
        boolean shortOfHeader = !Double.isNaN(info.durationSeconds())
                && format.duration_estimation_method() != DURATION_FROM_BITRATE
                && decoded < info.durationSeconds() - 0.1;
        if (inputSamples == 0 && (damagedPackets > 0 || readError != null)) {
            throw new AuricleException(file + ": no decodable audio (" + problems() + ")");
        }
        if (damagedPackets > 0 || readError != null || shortOfHeader) {
            String how = shortOfHeader
                    ? String.format(Locale.ROOT, "decoded %.3f s of the %.3f s the header declares", decoded, info.durationSeconds())
                    : String.format(Locale.ROOT, "decoded %.3f s", decoded);
            String why = damagedPackets > 0 || readError != null ? " (" + problems() + ")" : "";
            warnings.accept(file + ": truncated or damaged " + info.codec() + " audio: " + how + why);
        }
    }

    private String problems() {
        StringBuilder sb = new StringBuilder();
        if (damagedPackets > 0) sb.append(damagedPackets).append(damagedPackets == 1 ? " damaged packet skipped" : " damaged packets skipped");
        if (readError != null) sb.append(sb.isEmpty() ? "" : "; ").append("read error: ").append(readError);
        return sb.toString();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (resampler != null) resampler.close();
        if (frame != null) av_frame_free(frame);
        if (packet != null) av_packet_free(packet);
        if (decoder != null) avcodec_free_context(decoder);
        avformat_close_input(format);
        resampler = null;
        frame = null;
        packet = null;
        decoder = null;
    }
}
