package io.auricle.transcribe;

import static io.auricle.audio.AudioConstants.FRAMES_PER_SECOND;

import io.auricle.audio.LogMel;
import io.auricle.decoding.DecodingOptions;
import io.auricle.decoding.DecodingResult;
import io.auricle.decoding.DecodingTask;
import io.auricle.decoding.Mt19937;
import io.auricle.model.KvCache;
import io.auricle.model.WhisperModel;
import io.auricle.timing.AlignmentCapture;
import io.auricle.timing.AlignmentPass;
import io.auricle.timing.WordAligner;
import io.auricle.tokenizer.Tokenizer;
import io.auricle.vad.SileroVad;
import io.auricle.vad.SpeechChunk;
import io.auricle.vad.SpeechTimestamps;
import io.auricle.vad.TimestampMap;
import io.auricle.vad.VadFilter;
import io.auricle.vad.VadOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * faster-whisper's {@code BatchedInferencePipeline}: the speech chunks Silero VAD finds (at most 30 s each) are
 * laid end to end and packed, in order, into windows of at most 30 s; each window is one segment, decoded
 * without timestamps and without the previous text, with the first temperature only; {@code batchSize} windows
 * are encoded one after the other and decoded as one batch ({@link BatchDecoder}; with beams,
 * {@link DecodingTask#runBeams}). A segment spans its window,
 * mapped back to the original timeline through the {@link TimestampMap} (so it ends where its last speech
 * chunk ends); word timestamps, on request, come from one alignment pass per window.
 *
 * <p>Unlike faster-whisper, each window's spectrogram is the one the sequential path makes of the same audio
 * (faster-whisper pads the features of a short window with zeros after the log, not with the log of silence),
 * and the words are aligned over the window's audio only, not up to the next whole second.
 */
final class BatchedPipeline implements SegmentSource {
    static final int SAMPLE_RATE = SileroVad.SAMPLE_RATE;
    /** The longest window: the model's 30 s. */
    static final int WINDOW_SAMPLES = 30 * SAMPLE_RATE;
    private static final int WINDOW_FRAMES = 3000;

    private final WhisperModel model;
    private final Tokenizer tokenizer;
    private final TranscribeOptions options;
    private final String language;
    private final VadFilter speech;
    private final List<int[]> windows; // [from, to) samples of the concatenated speech
    private final DecodingOptions decoding;
    private final BatchDecoder batchDecoder; // null when the options ask for beams or sampling
    private final AlignmentCapture passCapture; // the alignment pass's rows, window after window (beams, samples)
    private final Mt19937 sampler; // one stream through the transcription, as SeekLoop's
    private final WordAligner aligner;
    private final int threads;
    /**
     * A batch's encoder outputs and decoder caches, one per slot, overwritten by the next batch: kept per batch
     * they lived through several young collections, were promoted, and a 21-minute file grew the heap to 1.5 GB.
     */
    private final float[][] slotFeatures;
    private final KvCache[] slotCaches;
    private int nextWindow;
    private double lastSpeechTimestamp;

    private BatchedPipeline(WhisperModel model, Tokenizer tokenizer, TranscribeOptions options, String language,
                            VadFilter speech, int threads) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.options = options;
        this.language = language;
        this.speech = speech;
        this.threads = threads;
        this.windows = pack(speech.map());
        this.slotFeatures = new float[Math.max(1, options.batchSize())][];
        this.slotCaches = new KvCache[slotFeatures.length];
        DecodingOptions d = options.decoding().withLanguage(language, options.decoding().task())
                .withTemperature(options.temperatures()[0]).withoutTimestamps(true);
        if (options.initialPrompt() != null) d = d.withPrompt(tokenizer.encode(" " + options.initialPrompt().strip()));
        this.decoding = d;
        this.sampler = new Mt19937(d.seed());
        this.batchDecoder = d.temperature() == 0 && d.beamSize() <= 1 ? new BatchDecoder(model, tokenizer, d) : null;
        this.aligner = WordAligner.of(tokenizer, language,
                new WordAligner.Options(7, 1.0, options.prependPunctuations(), options.appendPunctuations()));
        this.passCapture = new AlignmentCapture(model.checkpoint().alignmentHeads());
    }

    /**
     * The speech of {@code samples} as faster-whisper's batched pipeline finds it, before the language is known:
     * the VAD's chunks, or the clip timestamps as given (unpadded).
     */
    static VadFilter findSpeech(SileroVad vad, float[] samples, int length, TranscribeOptions options) {
        double[] clips = options.clipTimestamps();
        boolean wholeAudio = clips.length == 0 || clips.length == 1 && clips[0] == 0; // openai's default "0"
        if (!wholeAudio) {
            return VadFilter.ofChunks(clips(options.clipTimestamps(), length), samples, length, 0);
        }
        return VadFilter.apply(vad, samples, length, vadOptions(options.vadOptions()));
    }

    static BatchedPipeline start(WhisperModel model, Tokenizer tokenizer, TranscribeOptions options, String language,
                                 VadFilter speech, int threads) {
        return new BatchedPipeline(model, tokenizer, options, language, speech, threads);
    }

    /**
     * faster-whisper's batched VAD: with the default options, speech chunks end after 160 ms of silence (not
     * 2 s); chunks never exceed the 30 s window.
     */
    static VadOptions vadOptions(VadOptions given) {
        VadOptions v = given.equals(VadOptions.defaults())
                ? new VadOptions(given.threshold(), given.negThreshold(), given.minSpeechDurationMs(), 30, 160,
                given.speechPadMs())
                : given;
        return new VadOptions(v.threshold(), v.negThreshold(), v.minSpeechDurationMs(), 30,
                v.minSilenceDurationMs(), v.speechPadMs());
    }

    /** collect_chunks: consecutive chunks on the concatenated timeline, packed while they fit in 30 s. */
    static List<int[]> pack(TimestampMap map) {
        List<int[]> windows = new ArrayList<>();
        int from = 0, at = 0;
        for (SpeechChunk c : map.chunks()) {
            if (at > from && at + c.length() - from > WINDOW_SAMPLES) {
                windows.add(new int[] {from, at});
                from = at;
            }
            at += c.length();
        }
        if (at > from) windows.add(new int[] {from, at});
        return windows;
    }

    /** The first window's spectrogram (for language detection). */
    static float[][] firstWindow(VadFilter speech, int nMels, int threads) {
        List<int[]> w = pack(speech.map());
        return w.isEmpty() ? null : mel(speech.speech(w.getFirst()[0], w.getFirst()[1]), nMels, threads);
    }

    @Override
    public boolean hasNext() {
        return nextWindow < windows.size();
    }

    @Override
    public int position() {
        if (nextWindow == 0) return 0;
        double end = windows.get(nextWindow - 1)[1] / (double) SAMPLE_RATE;
        TimestampMap map = speech.map();
        return (int) Math.round(map.toOriginal(end, map.chunkOfEnd(end)) * FRAMES_PER_SECOND);
    }

    /** Encodes and decodes the next {@code batchSize} windows; their segments on the original timeline. */
    @Override
    public List<Segment> next() {
        int first = nextWindow, last = Math.min(windows.size(), first + options.batchSize());
        nextWindow = last;
        List<float[]> features = new ArrayList<>(last - first);
        int audioCtx = options.audioCtx() > 0 ? Math.min(options.audioCtx(), model.dims().nAudioCtx())
                : model.dims().nAudioCtx();
        for (int w = first; w < last; w++) {
            int slot = w - first;
            slotFeatures[slot] = model.embedAudio(mel(windowAudio(w), model.dims().nMels(), threads), audioCtx,
                    slotFeatures[slot]);
            features.add(slotFeatures[slot]);
        }
        List<BatchDecoder.Decoded> results = decode(features);
        List<Segment> segments = new ArrayList<>();
        for (int k = 0; k < results.size(); k++) {
            DecodingResult r = results.get(k).result();
            if (r.text().isBlank()) continue;
            int[] window = windows.get(first + k);
            double offset = window[0] / (double) SAMPLE_RATE, duration = (window[1] - window[0]) / (double) SAMPLE_RATE;
            Segment local = new Segment(0, 0, 0, duration, tokenizer.decode(textTokens(r.tokens())), r.tokens(),
                    r.temperature(), r.avgLogProb(), r.compressionRatio(), r.noSpeechProb(), List.of());
            if (options.wordTimestamps()) {
                local = withWords(local, slotCaches[k], results.get(k).alignment(), duration, offset);
            }
            segments.add(toMilliseconds(speech.restore(shift(local, offset))));
        }
        return segments;
    }

    private List<BatchDecoder.Decoded> decode(List<float[]> features) {
        if (batchDecoder != null) return batchDecoder.decode(features, options.wordTimestamps(), slotCaches);
        List<BatchDecoder.Decoded> results = new ArrayList<>(features.size());
        DecodingTask task = new DecodingTask(model, tokenizer, decoding);
        for (int k = 0; k < features.size(); k++) slotCaches[k] = model.newCache(features.get(k), slotCaches[k]);
        if (decoding.temperature() == 0 && decoding.beamSize() > 1) { // the batch's beams step together
            for (DecodingResult r : task.runBeams(Arrays.copyOf(slotCaches, features.size()))) {
                results.add(new BatchDecoder.Decoded(r, null));
            }
            return results;
        }
        for (int k = 0; k < features.size(); k++) { // samples (best_of): window by window, from one random stream
            results.add(new BatchDecoder.Decoded(task.run(slotCaches[k], null, sampler), null));
        }
        return results;
    }

    private float[] windowAudio(int w) {
        int[] window = windows.get(w);
        return speech.speech(window[0], Math.min(window[1], window[0] + WINDOW_SAMPLES));
    }

    /** The window's spectrogram as the sequential path makes it: the audio's log-mel, padded with silence. */
    private static float[][] mel(float[] audio, int nMels, int threads) {
        return LogMel.window(LogMel.padded(audio, nMels, threads), 0, WINDOW_FRAMES);
    }

    /**
     * add_word_timestamps on the window's own timeline; the end of speech before it is its start. {@code gathered}:
     * the alignment the decoder gathered, or null to run the pass over {@code cache} (the window's).
     */
    private Segment withWords(Segment local, KvCache cache, AlignmentPass.Result gathered, double duration,
                              double offset) {
        int[] text = textTokens(local.tokens());
        if (text.length == 0) return local;
        AlignmentPass.Result pass = gathered != null ? gathered : AlignmentPass.run(model, cache,
                tokenizer.sotSequence(language, decoding.task()), tokenizer.noTimestamps(), tokenizer.eot(), text,
                passCapture);
        int numFrames = Math.min(WINDOW_FRAMES, (int) Math.ceil(duration * FRAMES_PER_SECOND));
        Segment timed = aligner.addWordTimestamps(List.of(local), pass.attention(), WordAligner.Attention.PROBABILITIES,
                pass.textTokenProbs(), numFrames, Math.max(0, lastSpeechTimestamp - offset)).getFirst();
        if (!timed.words().isEmpty()) lastSpeechTimestamp = offset + timed.words().getLast().end();
        return timed;
    }

    /** The segment moved from its window's timeline to the concatenated speech's. */
    private static Segment shift(Segment s, double offset) {
        List<Word> words = s.words().stream()
                .map(w -> new Word(w.start() + offset, w.end() + offset, w.word(), w.probability())).toList();
        return new Segment(s.id(), (int) Math.round(offset * FRAMES_PER_SECOND), s.start() + offset, s.end() + offset,
                s.text(), s.tokens(), s.temperature(), s.avgLogprob(), s.compressionRatio(), s.noSpeechProb(), words);
    }

    /** Times rounded to the millisecond (the map works in samples; 42.768 rather than 42.767999999999994). */
    private static Segment toMilliseconds(Segment s) {
        List<Word> words = s.words().stream().map(w -> new Word(ms(w.start()), ms(w.end()), w.word(), w.probability()))
                .toList();
        return new Segment(s.id(), s.seek(), ms(s.start()), ms(s.end()), s.text(), s.tokens(), s.temperature(),
                s.avgLogprob(), s.compressionRatio(), s.noSpeechProb(), words);
    }

    private static double ms(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    private int[] textTokens(int[] tokens) {
        return Arrays.stream(tokens).filter(t -> t < tokenizer.eot()).toArray();
    }

    /** clip_timestamps (start,end,... seconds; an odd count runs to the end) as chunks of samples. */
    static List<SpeechChunk> clips(double[] seconds, int samples) {
        List<SpeechChunk> chunks = new ArrayList<>();
        for (int i = 0; i < seconds.length; i += 2) {
            int start = (int) Math.min(samples, Math.round(seconds[i] * SAMPLE_RATE));
            int end = i + 1 < seconds.length ? (int) Math.min(samples, Math.round(seconds[i + 1] * SAMPLE_RATE)) : samples;
            if (end > start && (chunks.isEmpty() || start >= chunks.getLast().end())) {
                chunks.add(new SpeechChunk(start, end));
            }
        }
        return chunks;
    }
}
