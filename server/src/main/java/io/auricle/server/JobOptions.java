package io.auricle.server;

/**
 * What a request asks of the pipeline.
 *
 * @param task           "transcribe", or "translate" (to English)
 * @param language       ISO-639-1 code, or null to detect
 * @param prompt         text to condition the first window on, or null
 * @param temperature    0: the reference's fallback from 0.0 to 1.0; above 0: that temperature only
 * @param wordTimestamps whether segments should carry words
 * @param vadFilter      transcribe only the speech Silero VAD finds (faster-whisper's vad_filter; our extension)
 */
record JobOptions(String task, String language, String prompt, double temperature, boolean wordTimestamps,
                  boolean vadFilter) {}
