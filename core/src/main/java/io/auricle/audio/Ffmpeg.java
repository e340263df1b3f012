package io.auricle.audio;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;

/** Shared FFmpeg set-up: loads the native libraries once and keeps FFmpeg's own log off the user's terminal. */
final class Ffmpeg {
    /** AVERROR(EAGAIN) on Linux: the decoder wants more input before it can give a frame. */
    static final int EAGAIN = -11;

    static {
        av_log_set_level(AV_LOG_QUIET);
    }

    private Ffmpeg() {}

    /** Touching this class loads the libraries and silences the log; call before any other FFmpeg function. */
    static void init() {}

    static String describe(int errorCode) {
        byte[] buf = new byte[256];
        if (av_strerror(errorCode, buf, buf.length) < 0) return "FFmpeg error " + errorCode;
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }
}
