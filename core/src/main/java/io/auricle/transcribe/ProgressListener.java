package io.auricle.transcribe;

/** Told after each 30 s window how far the transcription has come; called on the thread reading segments. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    /** {@code doneSeconds} of {@code totalSeconds} of audio are transcribed. */
    void progress(double doneSeconds, double totalSeconds);
}
