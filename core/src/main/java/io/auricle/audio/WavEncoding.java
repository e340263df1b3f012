package io.auricle.audio;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_DBL;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S32;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_U8;

/**
 * The sample encodings a WAV file may hold that we decode in Java. Each one converts little-endian file
 * bytes to the sample format FFmpeg's own decoder would produce for it (24-bit becomes s32, G.711 becomes s16),
 * so the resampler sees exactly what it sees under PyAV, and to s16 with FFmpeg's conversion rules.
 */
enum WavEncoding {
    U8("pcm_u8", 1, 1, AV_SAMPLE_FMT_U8),
    S16("pcm_s16le", 2, 2, AV_SAMPLE_FMT_S16),
    S24("pcm_s24le", 3, 4, AV_SAMPLE_FMT_S32),
    S32("pcm_s32le", 4, 4, AV_SAMPLE_FMT_S32),
    F32("pcm_f32le", 4, 4, AV_SAMPLE_FMT_FLT),
    F64("pcm_f64le", 8, 8, AV_SAMPLE_FMT_DBL),
    MULAW("pcm_mulaw", 1, 2, AV_SAMPLE_FMT_S16),
    ALAW("pcm_alaw", 1, 2, AV_SAMPLE_FMT_S16);

    static final int TAG_PCM = 1, TAG_FLOAT = 3, TAG_ALAW = 6, TAG_MULAW = 7, TAG_EXTENSIBLE = 0xFFFE;

    final String codecName;
    final int bytesInFile;
    /** Bytes per sample in {@link #ffmpegFormat}. */
    final int bytesDecoded;
    final int ffmpegFormat;

    WavEncoding(String codecName, int bytesInFile, int bytesDecoded, int ffmpegFormat) {
        this.codecName = codecName;
        this.bytesInFile = bytesInFile;
        this.bytesDecoded = bytesDecoded;
        this.ffmpegFormat = ffmpegFormat;
    }

    /** The encoding for a format tag and bytes per sample, or null when we leave the file to FFmpeg. */
    static WavEncoding of(int tag, int bytesPerSample) {
        return switch (tag) {
            case TAG_PCM -> switch (bytesPerSample) {
                case 1 -> U8;
                case 2 -> S16;
                case 3 -> S24;
                case 4 -> S32;
                default -> null;
            };
            case TAG_FLOAT -> bytesPerSample == 4 ? F32 : bytesPerSample == 8 ? F64 : null;
            case TAG_MULAW -> bytesPerSample == 1 ? MULAW : null;
            case TAG_ALAW -> bytesPerSample == 1 ? ALAW : null;
            default -> null;
        };
    }

    /** Rewrites {@code count} file samples from {@code src} as {@link #ffmpegFormat} samples into {@code dst}. */
    void toFfmpegFormat(byte[] src, int count, byte[] dst) {
        switch (this) {
            case S24 -> {
                for (int i = 0, s = 0, d = 0; i < count; i++, s += 3, d += 4) {
                    dst[d] = 0;
                    dst[d + 1] = src[s];
                    dst[d + 2] = src[s + 1];
                    dst[d + 3] = src[s + 2];
                }
            }
            case MULAW, ALAW -> {
                for (int i = 0; i < count; i++) {
                    int v = this == MULAW ? ulawToLinear(src[i] & 0xFF) : alawToLinear(src[i] & 0xFF);
                    dst[2 * i] = (byte) v;
                    dst[2 * i + 1] = (byte) (v >> 8);
                }
            }
            default -> System.arraycopy(src, 0, dst, 0, count * bytesInFile);
        }
    }

    /** One file sample at {@code pos} as s16, rounding and clipping as swresample's format conversion does. */
    short toS16(byte[] src, int pos) {
        return switch (this) {
            case U8 -> (short) (((src[pos] & 0xFF) - 0x80) << 8);
            case S16 -> (short) ((src[pos] & 0xFF) | (src[pos + 1] << 8));
            // FFmpeg decodes 24-bit as s32 (value << 8), then keeps the top 16 bits.
            case S24 -> (short) ((src[pos + 1] & 0xFF) | (src[pos + 2] << 8));
            case S32 -> (short) ((src[pos + 2] & 0xFF) | (src[pos + 3] << 8));
            case F32 -> clip(Math.rint(Float.intBitsToFloat(le32(src, pos)) * 32768.0f));
            case F64 -> clip(Math.rint(Double.longBitsToDouble(
                    (le32(src, pos) & 0xFFFFFFFFL) | ((long) le32(src, pos + 4) << 32)) * 32768.0));
            case MULAW -> (short) ulawToLinear(src[pos] & 0xFF);
            case ALAW -> (short) alawToLinear(src[pos] & 0xFF);
        };
    }

    private static int le32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | b[p + 3] << 24;
    }

    private static short clip(double v) {
        return (short) Math.max(-32768, Math.min(32767, v));
    }

    /** G.711 mu-law to 16-bit linear (ITU-T G.711, as FFmpeg's g711.h). */
    static int ulawToLinear(int u) {
        u = ~u & 0xFF;
        int t = ((u & 0x0F) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
    }

    /** G.711 A-law to 16-bit linear (ITU-T G.711, as FFmpeg's g711.h). */
    static int alawToLinear(int a) {
        a ^= 0x55;
        int t = a & 0x0F;
        int seg = (a & 0x70) >> 4;
        t = seg != 0 ? (t + t + 1 + 32) << (seg + 2) : (t + t + 1) << 3;
        return (a & 0x80) != 0 ? t : -t;
    }
}
