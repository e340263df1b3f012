package io.auricle.transcribe;

import static io.auricle.audio.AudioConstants.FRAMES_PER_SECOND;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A transcription that runs as its segments are read, as faster-whisper's generator: the language and
 * duration are known at once; each window is decoded when the reader needs its segments. Read it once, from
 * one thread. Stopping early (not reading on) costs nothing more; {@link #toTranscription()} reads the rest.
 */
public final class LazyTranscription implements Iterable<Segment> {
    private final String language;
    private final double languageProbability;
    private final double duration;
    private final SegmentSource loop;
    private final ProgressListener progress;
    private final BooleanSupplier cancelled;
    private final ArrayDeque<Segment> pending = new ArrayDeque<>();
    private final List<Segment> emitted = new ArrayList<>();
    private Iterator<Segment> reader;

    LazyTranscription(String language, double languageProbability, double duration, SegmentSource loop,
                      ProgressListener progress, BooleanSupplier cancelled) {
        this.language = language;
        this.languageProbability = languageProbability;
        this.duration = duration;
        this.loop = loop;
        this.progress = progress;
        this.cancelled = cancelled;
    }

    /** The language code decoded with (given, the English-only model's "en", or detected). */
    public String language() {
        return language;
    }

    /** The detected language's probability; 1 when the language was given or the model is English-only. */
    public double languageProbability() {
        return languageProbability;
    }

    /** Seconds of audio. */
    public double duration() {
        return duration;
    }

    /** The segments, decoded window by window as the stream is consumed; only once per transcription. */
    public Stream<Segment> segments() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * The segments in order. Throws {@link CancellationException} from {@code hasNext} once the cancellation
     * check says so (it is asked before each window).
     */
    @Override
    public Iterator<Segment> iterator() {
        if (reader != null) throw new IllegalStateException("the segments of a transcription can be read only once");
        return reader = new Iterator<>() {
            @Override
            public boolean hasNext() {
                while (pending.isEmpty() && loop.hasNext()) {
                    if (cancelled.getAsBoolean()) throw new CancellationException("transcription cancelled");
                    List<Segment> window = loop.next();
                    for (Segment s : window) pending.add(withId(s, emitted.size() + pending.size()));
                    progress.progress((double) loop.position() / FRAMES_PER_SECOND, duration);
                }
                return !pending.isEmpty();
            }

            @Override
            public Segment next() {
                if (!hasNext()) throw new NoSuchElementException();
                Segment s = pending.poll();
                emitted.add(s);
                return s;
            }
        };
    }

    /** Reads every segment not read yet and returns the whole result (segments read before included). */
    public Transcription toTranscription() {
        Iterator<Segment> it = reader != null ? reader : iterator();
        while (it.hasNext()) it.next();
        return new Transcription(language, languageProbability, duration, List.copyOf(emitted));
    }

    private static Segment withId(Segment s, int id) {
        return new Segment(id, s.seek(), s.start(), s.end(), s.text(), s.tokens(), s.temperature(), s.avgLogprob(),
                s.compressionRatio(), s.noSpeechProb(), s.words());
    }
}
