package io.auricle.audio;

import static io.auricle.audio.AudioTestSupport.fixture;
import static io.auricle.audio.AudioTestSupport.manifest;
import static io.auricle.audio.AudioTestSupport.sha256OfS16;
import static io.auricle.audio.AudioTestSupport.snrDb;
import static io.auricle.audio.AudioTestSupport.speechDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.auricle.audio.AudioTestSupport.ManifestRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every jfk variant and every readable edge case against faster-whisper's decode_audio and against jfk.wav. */
class AudioFileTest {
    /** reference_decode.tsv from tools/python/audio_compare_reference.py: "set/file" -> {samples, sha256}. */
    private static final Map<String, String[]> REFERENCE = fixture("reference_decode.tsv").stream()
            .collect(Collectors.toMap(r -> r[0], r -> r));

    /**
     * Minimum SNR (dB) of each variant against jfk.wav, from faster-whisper's decode of the same files
     * (measured: resampled PCM 71.6-73.9, 8 kHz 38.9, u-law 35.2, AAC 46.4, source MP3 40.9, 64k MP3 25.9,
     * Opus 24.8, Vorbis 22.1), each floor a little under the measurement. Lossless variants must be identical.
     */
    private static final Map<String, Double> MIN_SNR_DB = Map.ofEntries(
            Map.entry("jfk_22k.wav", 70.0), Map.entry("jfk_44k_stereo.wav", 70.0),
            Map.entry("jfk_48k_f32.wav", 70.0), Map.entry("jfk_48k_f32_ext.wav", 70.0),
            Map.entry("jfk_8k.wav", 37.0), Map.entry("jfk_ulaw_8k.wav", 33.0),
            Map.entry("jfk.m4a", 44.0), Map.entry("jfk_source.mp3", 39.0), Map.entry("jfk.mp3", 24.0),
            Map.entry("jfk.opus", 23.0), Map.entry("jfk.ogg", 20.0));

    private static float[] jfk;

    @BeforeAll
    static void decodeSource() {
        jfk = AudioFile.readAll(speechDir().resolve("jfk/jfk.wav"));
    }

    static Stream<ManifestRow> jfkVariants() {
        return manifest("jfk").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jfkVariants")
    void jfkVariantDecodesLikeTheReference(ManifestRow row) {
        AudioInfo info = AudioFile.probe(row.file());
        assertEquals(row.seconds(), info.durationSeconds(), 0.010, "declared duration of " + row.id());

        float[] samples = AudioFile.readAll(row.file());
        // The manifest's MP3 seconds include encoder padding that gapless decoding removes: the speech is 11.000 s.
        assertEquals(11.0, samples.length / 16000.0, 0.010, "decoded duration of " + row.id());
        String[] ref = REFERENCE.get("jfk/" + row.file().getFileName());
        assertEquals(Integer.parseInt(ref[1]), samples.length, "sample count vs faster-whisper");
        assertEquals(ref[2], sha256OfS16(samples), "samples vs faster-whisper decode_audio");

        String name = row.file().getFileName().toString();
        if (MIN_SNR_DB.containsKey(name)) {
            double snr = snrDb(jfk, samples);
            assertTrue(snr >= MIN_SNR_DB.get(name), name + ": SNR vs jfk.wav " + snr + " dB");
        } else {
            assertArrayEquals(jfk, samples, name + " is lossless and at 16 kHz");
        }
    }

    @Test
    void probeDescribesTheSource() {
        assertEquals(new AudioInfo("wav", "pcm_s16le", 44100, 2, 11.0), AudioFile.probe(speechDir().resolve("jfk/jfk_44k_stereo.wav")));
        assertEquals(new AudioInfo("wav", "pcm_mulaw", 8000, 1, 11.0), AudioFile.probe(speechDir().resolve("jfk/jfk_ulaw_8k.wav")));
        assertEquals(new AudioInfo("wav", "pcm_f32le", 48000, 1, 11.0), AudioFile.probe(speechDir().resolve("jfk/jfk_48k_f32_ext.wav")));
        AudioInfo opus = AudioFile.probe(speechDir().resolve("jfk/jfk.opus"));
        assertEquals(List.of("ogg", "opus", 48000, 1), List.of(opus.container(), opus.codec(), opus.sampleRate(), opus.channels()));
        AudioInfo m4a = AudioFile.probe(speechDir().resolve("jfk/jfk.m4a"));
        assertEquals(List.of("aac", 16000, 1), List.of(m4a.codec(), m4a.sampleRate(), m4a.channels()));
    }

    static Stream<ManifestRow> readableEdgeCases() {
        return manifest("edge_cases").stream().filter(r -> !r.text().equals("ERROR"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readableEdgeCases")
    void edgeCaseDecodesLikeTheReference(ManifestRow row) {
        List<String> warnings = new ArrayList<>();
        float[] samples = AudioFile.readAll(row.file(), warnings::add);
        assertEquals(List.of(), warnings);
        assertEquals(row.seconds(), samples.length / 16000.0, 0.001, "decoded duration");
        String[] ref = REFERENCE.get("edge_cases/" + row.file().getFileName());
        assertEquals(ref[2], sha256OfS16(samples), "samples vs faster-whisper decode_audio");
    }

    @Test
    void silenceIsAllZeroAndTheShortestClipKeepsItsSamples() {
        float[] silence = AudioFile.readAll(speechDir().resolve("edge_cases/silence_30s_16k.flac"));
        assertEquals(480000, silence.length);
        for (float v : silence) assertEquals(0f, v);
        assertEquals(320, AudioFile.readAll(speechDir().resolve("edge_cases/short_0p02s_16k.flac")).length);
    }

    @Test
    void constantsAreWhispers() {
        assertEquals(List.of(16000, 400, 160, 30, 480000, 3000, 320, 100, 50), List.of(
                AudioConstants.SAMPLE_RATE, AudioConstants.N_FFT, AudioConstants.HOP_LENGTH, AudioConstants.CHUNK_LENGTH,
                AudioConstants.N_SAMPLES, AudioConstants.N_FRAMES, AudioConstants.N_SAMPLES_PER_TOKEN,
                AudioConstants.FRAMES_PER_SECOND, AudioConstants.TOKENS_PER_SECOND));
    }

    /** What the CLI preloads FFmpeg for: anything but a 16 kHz mono WAV; a path it cannot read is left to the read. */
    @Test
    void ffmpegIsNeededForOtherContainersAndForResampling() {
        assertEquals(false, AudioFile.needsFfmpeg(speechDir().resolve("jfk/jfk.wav")));
        assertEquals(true, AudioFile.needsFfmpeg(speechDir().resolve("jfk/jfk.flac")));
        assertEquals(true, AudioFile.needsFfmpeg(speechDir().resolve("jfk/jfk_44k_stereo.wav")));
        assertEquals(true, AudioFile.needsFfmpeg(speechDir().resolve("jfk/jfk_8k.wav")));
        assertEquals(false, AudioFile.needsFfmpeg(speechDir().resolve("jfk/no-such-file.flac")));
        assertEquals(false, AudioFile.needsFfmpeg(speechDir().resolve("jfk")));
        AudioFile.preloadDecoders(List.of(speechDir().resolve("jfk/jfk.flac"))); // returns at once
    }
}
