package io.auricle.transcribe;

import java.util.List;

/** Where a {@link LazyTranscription} gets its segments: a window (or a batch of windows) per {@link #next()}. */
interface SegmentSource {

    /** Whether there is more audio to transcribe. */
    boolean hasNext();

    /** The segments of the next window or batch, on the original timeline (possibly none). */
    List<Segment> next();

    /** Mel frames of the original audio transcribed so far (for progress). */
    int position();
}
