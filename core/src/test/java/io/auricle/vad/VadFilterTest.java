package io.auricle.vad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.audio.AudioFile;
import io.auricle.audio.LogMel;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VadFilterTest {

    /**
     * The spectrogram of the speech, fed chunk by chunk from the file's samples, is exactly the one of the
     * concatenated speech (what the window-by-window --vad_filter path used to make and hold); with no speech, the
     * spectrogram of nothing.
     */
    /**
     * A file's samples in the array they were read into (sized from the declared duration, not trimmed) give the VAD,
     * the chunks and the speech of the trimmed samples, whatever lies past their length (resampled FLAC and WAV).
     */
    @Test
    void untrimmedSamplesGiveWhatTheTrimmedOnesGive() {
        SileroVad vad = SileroVad.load();
        VadOptions options = VadOptions.defaults();
        for (String file : new String[] {"jfk/jfk_22k.wav", "jfk/jfk.flac"}) {
            java.nio.file.Path path = SileroVadTest.SPEECH.resolve(file);
            float[] trimmed = AudioFile.readAll(path);
            AudioFile.Decoded read = AudioFile.readAllUntrimmed(path);
            assertEquals(trimmed.length, read.length(), file);
            assertTrue(read.samples().length > read.length(), file + ": room left past the samples");
            assertArrayEquals(trimmed, Arrays.copyOf(read.samples(), read.length()), file);
            float[] noisyTail = read.samples().clone();
            Arrays.fill(noisyTail, read.length(), noisyTail.length, 0.5f);
            assertArrayEquals(vad.speechProbabilities(trimmed), vad.speechProbabilities(noisyTail, read.length()), file);
            VadFilter expected = VadFilter.apply(vad, trimmed, options);
            VadFilter actual = VadFilter.apply(vad, noisyTail, read.length(), options);
            assertEquals(expected.map().chunks(), actual.map().chunks(), file);
            assertEquals(expected.originalDuration(), actual.originalDuration(), file);
            assertArrayEquals(expected.speech(), actual.speech(), file);
        }
    }

    @Test
    void paddedSpectrogramIsTheConcatenatedSpeechs() {
        Random random = new Random(3);
        float[] audio = new float[16000 * 50];
        for (int i = 0; i < audio.length; i++) audio[i] = (float) (Math.sin(i * 0.01 * (1 + i / 200000)) * 0.3 + random.nextGaussian() * 0.01);
        for (List<SpeechChunk> chunks : List.of(
                List.of(new SpeechChunk(16000, 48000), new SpeechChunk(160000, 192123), new SpeechChunk(192123, 700000)),
                List.of(new SpeechChunk(5, 6)), List.<SpeechChunk>of())) {
            VadFilter filter = VadFilter.ofChunks(chunks, audio, 0);
            float[][] expected = LogMel.padded(filter.speech(), 80);
            float[][] actual = VadFilter.ofChunks(chunks, audio, 0).paddedSpectrogram(80, 2);
            assertEquals(expected.length, actual.length);
            for (int m = 0; m < expected.length; m++) assertArrayEquals(expected[m], actual[m], chunks + ", mel " + m);
        }
    }
}
