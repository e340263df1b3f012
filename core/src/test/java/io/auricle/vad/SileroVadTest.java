package io.auricle.vad;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auricle.AuricleException;
import io.auricle.audio.AudioFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Silero VAD against faster-whisper's (onnxruntime) fixtures from tools/python/make_vad_fixtures.py. */
class SileroVadTest {

    static final Path SPEECH = Path.of(System.getProperty("auricle.speech.dir", "../shared/data/speech"));
    static SileroVad vad;
    static JsonNode reference;

    @BeforeAll
    static void load() throws IOException {
        vad = SileroVad.load();
        try (InputStream in = SileroVadTest.class.getResourceAsStream("speech_timestamps.json")) {
            reference = new ObjectMapper().readTree(in);
        }
    }

    static float[] referenceProbabilities(String name) throws IOException {
        try (InputStream in = SileroVadTest.class.getResourceAsStream(name + ".probs.txt")) {
            String[] lines = new String(in.readAllBytes()).strip().split("\n");
            float[] p = new float[lines.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = Float.parseFloat(lines[i]);
            }
            return p;
        }
    }

    static List<SpeechChunk> chunks(JsonNode list) {
        List<SpeechChunk> out = new ArrayList<>();
        list.forEach(c -> out.add(new SpeechChunk(c.get(0).asInt(), c.get(1).asInt())));
        return out;
    }

    static VadOptions otherOptions() {
        JsonNode o = reference.get("other_options");
        return new VadOptions(o.get("threshold").asDouble(), Double.NaN, o.get("min_speech_duration_ms").asInt(),
                o.get("max_speech_duration_s").asDouble(), o.get("min_silence_duration_ms").asInt(),
                o.get("speech_pad_ms").asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jfk", "declaration_sil20start_sil20mid", "numbers_dates_spoken", "pink_noise_5s",
            "short_0p2s_no"})
    void probabilitiesAndTimestampsMatchFasterWhisper(String name) throws IOException {
        JsonNode ref = reference.get("files").get(name);
        float[] audio = AudioFile.readAll(SPEECH.resolve(ref.get("file").asText()));
        assertEquals(ref.get("samples").asInt(), audio.length, "decoded length");
        float[] expected = referenceProbabilities(name);
        long t0 = System.nanoTime();
        float[] actual = vad.speechProbabilities(audio);
        double ms = (System.nanoTime() - t0) / 1e6;
        assertEquals(expected.length, actual.length, "frames");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        System.out.printf("%s: %d frames in %.0f ms, max |p - reference| = %.2e%n", name, actual.length, ms, worst);
        assertTrue(worst < 0.01, name + ": max probability difference " + worst);
        assertEquals(chunks(ref.get("default")), SpeechTimestamps.fromProbabilities(actual, audio.length,
                VadOptions.defaults()), name + " default options");
        assertEquals(chunks(ref.get("other")), SpeechTimestamps.fromProbabilities(actual, audio.length,
                otherOptions()), name + " other options");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jfk", "declaration_sil20start_sil20mid", "numbers_dates_spoken", "pink_noise_5s",
            "short_0p2s_no"})
    void timestampsFromReferenceProbabilitiesAreExact(String name) throws IOException {
        JsonNode ref = reference.get("files").get(name);
        float[] p = referenceProbabilities(name);
        int samples = ref.get("samples").asInt();
        assertEquals(chunks(ref.get("default")), SpeechTimestamps.fromProbabilities(p, samples, VadOptions.defaults()));
        assertEquals(chunks(ref.get("other")), SpeechTimestamps.fromProbabilities(p, samples, otherOptions()));
    }

    @Test
    void layersMatchTheReferenceGraph() throws IOException {
        JsonNode layers;
        try (InputStream in = getClass().getResourceAsStream("jfk.layers.json")) {
            layers = new ObjectMapper().readTree(in);
        }
        float[] audio = AudioFile.readAll(SPEECH.resolve("jfk/jfk.wav"));
        String[] names = {"magnitude", "conv0", "conv1", "conv2", "conv3"};
        for (var frame : List.of("0", "40", "100")) {
            float[][] mine = vad.layers(audio, Integer.parseInt(frame));
            for (int l = 0; l < names.length; l++) {
                JsonNode ref = layers.get(frame).get(names[l]);   // [channels][time]; ours is [time][channels]
                int channels = ref.size();
                int time = ref.get(0).size();
                assertEquals(channels * time, mine[l].length, names[l]);
                double scale = 1e-6;
                for (int c = 0; c < channels; c++) {
                    for (int t = 0; t < time; t++) {
                        scale = Math.max(scale, Math.abs(ref.get(c).get(t).asDouble()));
                    }
                }
                for (int c = 0; c < channels; c++) {
                    for (int t = 0; t < time; t++) {
                        double want = ref.get(c).get(t).asDouble();
                        double got = mine[l][t * channels + c];
                        assertEquals(want, got, 1e-4 * scale, "frame " + frame + " " + names[l] + "[" + c + "][" + t + "]");
                    }
                }
            }
        }
    }

    @Test
    void aWholeMultipleOfTheFrameGainsASilentFrame() {
        assertEquals(3, vad.speechProbabilities(new float[1024]).length);
        assertEquals(1, vad.speechProbabilities(new float[0]).length);
        assertEquals(List.of(), SpeechTimestamps.detect(vad, new float[16000], VadOptions.defaults()));
    }

    @Test
    void badModelFilesFailInOneLine(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path missing = dir.resolve("none.onnx");
        assertEquals(missing + ": VAD model not found (run tools/fetch-vad-model)",
                assertThrows(AuricleException.class, () -> SileroVad.load(missing)).getMessage());
        Path junk = Files.write(dir.resolve("junk.onnx"), new byte[] {(byte) 0x3a, (byte) 0xff, 1, 2});
        assertEquals(junk + ": not a readable ONNX model (a field runs past its message)",
                assertThrows(AuricleException.class, () -> SileroVad.load(junk)).getMessage());
        Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        assertEquals(empty + ": not a Silero VAD v6 model (no weight encoder.feature_extractor.forward_basis_buffer)",
                assertThrows(AuricleException.class, () -> SileroVad.load(empty)).getMessage());
    }
}
