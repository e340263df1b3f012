/**
 * Result writers: txt, vtt, srt, tsv and json exactly as openai-whisper's utils.py writes them (its golden
 * files are the tests), chosen by {@link io.auricle.output.ResultWriter#forFormat}, laid out by
 * {@link io.auricle.output.WriterOptions}.
 */
package io.auricle.output;
