package io.auricle.audio;

/**
 * What a file holds before any conversion.
 *
 * @param container       the container or file format, as FFmpeg names it ("wav", "ogg", "mp3", "mov,mp4,m4a,...")
 * @param codec           the audio codec, as FFmpeg names it ("pcm_s16le", "pcm_mulaw", "mp3", "opus", "aac")
 * @param sampleRate      the source sample rate in Hz
 * @param channels        the source channel count
 * @param durationSeconds the duration the file declares (for WAV: the samples actually present);
 *                        {@link Double#NaN} when the file does not say
 */
public record AudioInfo(String container, String codec, int sampleRate, int channels, double durationSeconds) {}
