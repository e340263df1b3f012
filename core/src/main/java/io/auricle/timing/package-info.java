/**
 * Word timestamps as openai-whisper's timing.py: {@link io.auricle.timing.MedianFilter},
 * {@link io.auricle.timing.Dtw}, {@link io.auricle.timing.Punctuation} merging, and
 * {@link io.auricle.timing.WordAligner} (find_alignment and add_word_timestamps) over the cross-attention of
 * the alignment heads.
 */
package io.auricle.timing;
