package io.auricle.audio;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_from_mask;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import io.auricle.AuricleException;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * FFmpeg's libswresample with default options, converting to 16 kHz mono signed 16-bit: the same conversion
 * openai-whisper ({@code ffmpeg -ac 1 -ar 16000 -f s16le}) and faster-whisper (PyAV's {@code AudioResampler}
 * with format s16, layout mono) run, so our samples match theirs. The s16 target matters beyond rounding:
 * swresample normalises the downmix matrix only for integer outputs, giving (L + R) / 2 for stereo.
 */
final class Resampler implements AutoCloseable {
    /**
     * Source rates we accept. Far above, swresample builds a filter as long as the ratio (seconds and
     * gigabytes for a damaged header's 500 MHz); far below, the output grows by the ratio.
     */
    static final int MIN_INPUT_RATE = 1000, MAX_INPUT_RATE = 1_000_000;

    private final SwrContext swr;
    private final int inputRate;
    private ShortPointer nativeOut = new ShortPointer(0L);
    private short[] out = new short[0];

    /**
     * @param inputFormat an FFmpeg AVSampleFormat
     * @param inputLayout the input channel layout (copied; the caller keeps ownership)
     */
    Resampler(int inputFormat, AVChannelLayout inputLayout, int inputRate, String file) {
        checkRate(inputRate, file);
        Ffmpeg.init();
        this.inputRate = inputRate;
        AVChannelLayout mono = new AVChannelLayout();
        av_channel_layout_default(mono, 1);
        SwrContext ctx = new SwrContext(null);
        int err = swr_alloc_set_opts2(ctx, mono, AV_SAMPLE_FMT_S16, AudioConstants.SAMPLE_RATE,
                inputLayout, inputFormat, inputRate, 0, null);
        if (err >= 0) err = swr_init(ctx);
        av_channel_layout_uninit(mono);
        if (err < 0) {
            swr_free(ctx);
            throw new AuricleException(file + ": cannot convert " + inputLayout.nb_channels() + " channels at "
                    + inputRate + " Hz to 16 kHz mono (" + Ffmpeg.describe(err) + ")");
        }
        this.swr = ctx;
    }

    /** Creates a resampler for {@code channels} channels: the WAV channel mask if it fits, else FFmpeg's default layout. */
    static Resampler forChannels(int inputFormat, int channels, long channelMask, int inputRate, String file) {
        AVChannelLayout layout = new AVChannelLayout();
        if (channelMask != 0 && Long.bitCount(channelMask) == channels) {
            av_channel_layout_from_mask(layout, channelMask);
        } else {
            av_channel_layout_default(layout, channels);
        }
        try {
            return new Resampler(inputFormat, layout, inputRate, file);
        } finally {
            av_channel_layout_uninit(layout);
        }
    }

    static void checkRate(int rate, String file) {
        if (rate < MIN_INPUT_RATE || rate > MAX_INPUT_RATE) {
            throw new AuricleException(file + ": unsupported sample rate " + rate + " Hz (expected "
                    + MIN_INPUT_RATE + " to " + MAX_INPUT_RATE + ")");
        }
    }

    int inputRate() {
        return inputRate;
    }

    /**
     * Converts {@code count} input samples per channel (null input flushes the resampler's tail).
     * The result is in {@link #output()}.
     *
     * @return the number of 16 kHz samples produced
     */
    int convert(PointerPointer<?> input, int count) {
        int capacity = Math.max(swr_get_out_samples(swr, count), 0) + 32;
        if (nativeOut.capacity() < capacity) {
            nativeOut.close();
            nativeOut = new ShortPointer(capacity);
        }
        int total = 0;
        try (PointerPointer<ShortPointer> outPlanes = new PointerPointer<ShortPointer>(1).put(0, nativeOut)) {
            int n = swr_convert(swr, outPlanes, capacity, input, input == null ? 0 : count);
            if (n < 0) throw new AuricleException("resampling failed: " + Ffmpeg.describe(n));
            total = copyOut(n, 0);
            // A flush may leave more than one buffer's worth; drain it.
            while (input == null && n == capacity) {
                n = swr_convert(swr, outPlanes, capacity, (PointerPointer<?>) null, 0);
                if (n <= 0) break;
                total = copyOut(n, total);
            }
        }
        return total;
    }

    private int copyOut(int n, int already) {
        if (out.length < already + n) out = Arrays.copyOf(out, Math.max(already + n, out.length * 2));
        nativeOut.position(0).get(out, already, n);
        return already + n;
    }

    /** The samples of the last {@link #convert} call. */
    short[] output() {
        return out;
    }

    @Override
    public void close() {
        swr_free(swr);
        nativeOut.close();
    }
}
