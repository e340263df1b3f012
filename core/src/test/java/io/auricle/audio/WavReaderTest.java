package io.auricle.audio;

import static io.auricle.audio.AudioTestSupport.fixture;
import static io.auricle.audio.AudioTestSupport.resource;
import static io.auricle.audio.AudioTestSupport.sha256OfS16;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java WAV reader on every encoding and header oddity, against faster-whisper's decode_audio of the same
 * files (fixtures and reference.tsv made by tools/python/audio_make_wav_fixtures.py).
 */
class WavReaderTest {

    static Stream<String[]> references() {
        return fixture("wav/reference.tsv").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("references")
    void decodesLikeTheReference(String name, String samples, String sha256) {
        float[] decoded = AudioFile.readAll(resource("wav/" + name), w -> { });
        assertEquals(Integer.parseInt(samples), decoded.length, "sample count");
        assertEquals(sha256, sha256OfS16(decoded), "samples vs faster-whisper decode_audio");
    }

    @Test
    void describesEncodingsAndLayouts() {
        assertEquals(new AudioInfo("wav", "pcm_u8", 16000, 1, 0.25), AudioFile.probe(resource("wav/u8_16k_mono.wav")));
        assertEquals(new AudioInfo("wav", "pcm_alaw", 8000, 1, 0.25), AudioFile.probe(resource("wav/alaw_8k_mono.wav")));
        assertEquals(new AudioInfo("wav", "pcm_f64le", 22050, 1, 5512 / 22050.0), AudioFile.probe(resource("wav/f64_22k_mono.wav")));
        assertEquals(new AudioInfo("wav", "pcm_s24le", 48000, 2, 0.25), AudioFile.probe(resource("wav/s24_48k_stereo_ext.wav")));
        assertEquals(new AudioInfo("wav", "pcm_s16le", 44100, 6, 0.25), AudioFile.probe(resource("wav/s16_44k_5p1_ext.wav")));
        assertEquals(new AudioInfo("rf64", "pcm_s16le", 16000, 1, 0.25), AudioFile.probe(resource("wav/s16_16k_rf64.wav")));
        assertEquals(new AudioInfo("wav", "pcm_s16le", 16000, 1, 0.0), AudioFile.probe(resource("wav/s16_16k_empty.wav")));
    }

    @Test
    void dataChunkLongerThanTheFileIsReadAsFarAsItGoesWithAWarning() {
        Path file = resource("wav/s16_16k_short_data.wav");
        List<String> warnings = new ArrayList<>();
        assertEquals(4000, AudioFile.readAll(file, warnings::add).length);
        assertEquals(List.of(file + ": truncated WAV: the data chunk declares 0.750 s but the file ends after"
                + " 0.250 s; decoding the 0.250 s present"), warnings);
    }

    @Test
    void unknownDataSizeMeansUpToTheEndWithoutAWarning() {
        List<String> warnings = new ArrayList<>();
        assertEquals(4000, AudioFile.readAll(resource("wav/s16_16k_unknown_size.wav"), warnings::add).length);
        assertEquals(List.of(), warnings);
    }

    @Test
    void emptyDataGivesNoSamples() {
        try (AudioStream stream = AudioFile.open(resource("wav/s16_16k_empty.wav"))) {
            assertEquals(-1, stream.read(new float[10], 0, 10));
        }
    }

    @Test
    void g711TablesMatchTheStandard() {
        // ITU-T G.711 reference points: mu-law 0x00 and 0x80 are the extremes, 0xFF/0x7F are zero.
        assertEquals(-32124, WavEncoding.ulawToLinear(0x00));
        assertEquals(32124, WavEncoding.ulawToLinear(0x80));
        assertEquals(0, WavEncoding.ulawToLinear(0xFF));
        assertEquals(0, WavEncoding.ulawToLinear(0x7F));
        // A-law: 0xD5 and 0x55 are the smallest magnitudes (+/-8), 0xAA and 0x2A the largest (+/-32256).
        assertEquals(8, WavEncoding.alawToLinear(0xD5));
        assertEquals(-8, WavEncoding.alawToLinear(0x55));
        assertEquals(32256, WavEncoding.alawToLinear(0xAA));
        assertEquals(-32256, WavEncoding.alawToLinear(0x2A));
    }
}
