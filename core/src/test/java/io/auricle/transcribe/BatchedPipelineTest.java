package io.auricle.transcribe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.audio.AudioFile;
import io.auricle.audio.LogMel;
import io.auricle.decoding.DecodingOptions;
import io.auricle.decoding.DecodingResult;
import io.auricle.decoding.DecodingTask;
import io.auricle.model.KvCache;
import io.auricle.timing.AlignmentPass;
import io.auricle.vad.SpeechChunk;
import io.auricle.vad.TimestampMap;
import io.auricle.vad.VadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The batched pipeline's parts (tiny.en): decoding windows as one batch gives each window's tokens as decoding it
 * alone does; windows packed and VAD options chosen as faster-whisper's BatchedInferencePipeline does.
 */
class BatchedPipelineTest {
    static final Path SPEECH = Path.of(System.getProperty("auricle.speech.dir", "../shared/data/speech"));
    static WhisperEngine engine;

    @BeforeAll
    static void load() {
        engine = WhisperEngine.load("tiny.en");
    }

    @Test
    void batchDecodingGivesEachWindowsTokensAsDecodingItAlone() {
        List<float[]> features = new ArrayList<>();
        for (String file : new String[] {"jfk/jfk.flac", "ljspeech_lj001/LJ001-0002.flac", "ljspeech_lj001/LJ001-0001.flac"}) {
            float[] audio = AudioFile.readAll(SPEECH.resolve(file));
            features.add(engine.model().embedAudio(LogMel.window(LogMel.padded(audio, 80), 0, 3000)));
        }
        DecodingOptions options = DecodingOptions.defaults().withLanguage("en", "transcribe").withoutTimestamps(true);
        List<BatchDecoder.Decoded> decoded = new BatchDecoder(engine.model(), engine.tokenizer(), options)
                .decode(features, true);
        List<DecodingResult> batch = decoded.stream().map(BatchDecoder.Decoded::result).toList();
        assertEquals(3, batch.size());
        // the windows end at different steps: the 1.9 s one first, so the batch shrinks as it goes
        assertTrue(batch.get(1).tokens().length < batch.get(0).tokens().length);
        for (int i = 0; i < features.size(); i++) {
            DecodingResult alone = new DecodingTask(engine.model(), engine.tokenizer(), options).run(features.get(i));
            assertArrayEquals(alone.tokens(), batch.get(i).tokens(), "window " + i + ": " + batch.get(i).text());
            // the same tokens; the log-probabilities to float rounding: the engine's products are not bit-for-bit
            // reproducible from run to run (two runs of DecodingTask alone differ by ~2e-6 here)
            assertEquals(alone.sumLogProb(), batch.get(i).sumLogProb(), 1e-4);
            assertEquals(alone.noSpeechProb(), batch.get(i).noSpeechProb(), 1e-5);
        }
        for (int i = 0; i < features.size(); i++) {
            // the alignment gathered while decoding is the one the separate pass computes
            int[] text = batch.get(i).tokens();
            AlignmentPass.Result pass = AlignmentPass.run(engine.model(), features.get(i),
                    engine.tokenizer().sotSequence("en", "transcribe"), engine.tokenizer().noTimestamps(),
                    engine.tokenizer().eot(), text);
            AlignmentPass.Result gathered = decoded.get(i).alignment();
            assertEquals(pass.attention().length, gathered.attention().length);
            for (int h = 0; h < pass.attention().length; h++) {
                assertEquals(pass.attention()[h].length, gathered.attention()[h].length, "rows of head " + h);
                for (int r = 0; r < pass.attention()[h].length; r++) {
                    assertArrayEquals(pass.attention()[h][r], gathered.attention()[h][r], 1e-5f, "head " + h + " row " + r);
                }
            }
            assertArrayEquals(pass.textTokenProbs(), gathered.textTokenProbs(), 1e-4f);
        }
        assertEquals("And so my fellow Americans ask not what your country can do for you, ask what you can do for"
                + " your country.", batch.get(0).text());
        assertEquals("in being comparatively modern.", batch.get(1).text());
    }

    /**
     * With beams, the windows of a batch step together (here 4 windows of 5 beams: 20 rows a step, which the
     * decoder's products still take row by row) and each gets the tokens beam search gives it alone.
     */
    @Test
    void beamsOfABatchStepTogetherAndGiveEachWindowsTokensAsAlone() {
        List<float[]> features = new ArrayList<>();
        for (String file : new String[] {"jfk/jfk.flac", "ljspeech_lj001/LJ001-0002.flac", "ljspeech_lj001/LJ001-0001.flac",
                "ljspeech_lj001/LJ001-0003.flac"}) {
            float[] audio = AudioFile.readAll(SPEECH.resolve(file));
            features.add(engine.model().embedAudio(LogMel.window(LogMel.padded(audio, 80), 0, 3000)));
        }
        DecodingOptions options = DecodingOptions.defaults().withLanguage("en", "transcribe").withoutTimestamps(true)
                .withBeamSearch(5, 1.0, null);
        DecodingTask task = new DecodingTask(engine.model(), engine.tokenizer(), options);
        KvCache[] caches = features.stream().map(f -> engine.model().newCache(f)).toArray(KvCache[]::new);
        List<DecodingResult> batch = task.runBeams(caches);
        assertEquals(4, batch.size());
        for (int i = 0; i < features.size(); i++) {
            DecodingResult alone = new DecodingTask(engine.model(), engine.tokenizer(), options).run(features.get(i));
            assertArrayEquals(alone.tokens(), batch.get(i).tokens(), "window " + i + ": " + batch.get(i).text());
            assertEquals(alone.sumLogProb(), batch.get(i).sumLogProb(), 1e-4);
            assertEquals(alone.avgLogProb(), batch.get(i).avgLogProb(), 1e-5);
            assertEquals(alone.noSpeechProb(), batch.get(i).noSpeechProb(), 1e-5);
        }
        assertEquals("in being comparatively modern.", batch.get(1).text());
        assertEquals("Printing, in the only sense with which we are at present concern, differs from most if not from all"
                + " the arts and crafts represented in the exhibition.", batch.get(2).text());
    }

    /** Both VAD modes through the engine's front door, on jfk (speech from 0.3 s to 10.6 s, Silero says). */
    @Test
    void engineDispatchesOnVadFilterAndBatchSize() {
        float[] audio = AudioFile.readAll(SPEECH.resolve("jfk/jfk.flac"));
        String jfk = " And so my fellow Americans ask not what your country can do for you, ask what you can do for"
                + " your country.";
        Transcription filtered = engine.transcribe(audio, TranscribeOptions.defaults().withVadFilter(true)).toTranscription();
        assertEquals(11.0, filtered.duration(), 1e-9);
        // with timestamps, on the VAD-cut audio, tiny.en leaves out the punctuation
        assertEquals(jfk.replace(",", "").replace(".", ""),
                filtered.segments().stream().map(Segment::text).reduce("", String::concat));

        Transcription batched = engine.transcribe(audio, TranscribeOptions.defaults().withBatchSize(4)).toTranscription();
        assertEquals(11.0, batched.duration(), 1e-9);
        assertEquals(1, batched.segments().size());
        Segment only = batched.segments().getFirst();
        assertEquals(jfk, only.text());
        // the segment is the speech chunk: its padding reaches back to 0 (nothing removed before it), and it ends
        // at the chunk's padded end
        assertEquals(0.0, only.start());
        assertTrue(only.end() > 10.4 && only.end() <= 11.0, "end " + only.end());
    }

    /** collect_chunks: chunks are laid end to end and a window closes before a chunk that would pass 30 s. */
    @Test
    void windowsPackConsecutiveChunksUpTo30Seconds() {
        int s = 16000;
        TimestampMap map = new TimestampMap(List.of(new SpeechChunk(0, 10 * s), new SpeechChunk(12 * s, 30 * s),
                new SpeechChunk(31 * s, 33 * s), new SpeechChunk(40 * s, 69 * s), new SpeechChunk(70 * s, 72 * s)), 400);
        List<int[]> windows = BatchedPipeline.pack(map);
        assertEquals(3, windows.size());
        assertArrayEquals(new int[] {0, 30 * s}, windows.get(0));       // 10 + 18 + 2 s
        assertArrayEquals(new int[] {30 * s, 59 * s}, windows.get(1));  // 29 s
        assertArrayEquals(new int[] {59 * s, 61 * s}, windows.get(2)); // 29 + 2 s would pass 30
        assertEquals(0, BatchedPipeline.pack(new TimestampMap(List.of(), 400)).size());
    }

    /** faster-whisper's batched defaults: 160 ms of silence ends a chunk; chunks never pass 30 s. */
    @Test
    void batchedVadOptionsAreFasterWhispers() {
        VadOptions defaults = BatchedPipeline.vadOptions(VadOptions.defaults());
        assertEquals(160, defaults.minSilenceDurationMs());
        assertEquals(30, defaults.maxSpeechDurationS());
        assertEquals(400, defaults.speechPadMs());
        VadOptions given = BatchedPipeline.vadOptions(new VadOptions(0.6, Double.NaN, 0, Double.POSITIVE_INFINITY, 2000, 200));
        assertEquals(2000, given.minSilenceDurationMs());
        assertEquals(30, given.maxSpeechDurationS());
        assertEquals(0.6, given.threshold());
    }
}
