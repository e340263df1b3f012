package io.auricle.server;

import static io.auricle.server.ServerTestSupport.Form;
import static io.auricle.server.ServerTestSupport.get;
import static io.auricle.server.ServerTestSupport.post;
import static io.auricle.server.ServerTestSupport.speech;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.auricle.audio.AudioFile;
import io.auricle.transcribe.TranscribeOptions;
import io.auricle.vad.SileroVad;
import io.auricle.vad.VadFilter;
import io.auricle.vad.VadOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API end to end over HTTP on tiny.en. Expected texts and times are faster-whisper 1.2.1's for the same
 * weights (greedy): jfk (0.00-7.74 " And so my fellow Americans ask not what your country can do for you",
 * 7.74-10.74 " ask what you can do for your country"); goforward (0.00-2.00 " Go forward 10 meters.").
 */
class ApiTest {
    static final String JFK_TEXT = "And so my fellow Americans ask not what your country can do for you"
            + " ask what you can do for your country";
    static AuricleServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerTestSupport.start(ServerTestSupport.options());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.stop();
    }

    static Form jfk() throws Exception {
        return new Form().file(speech("jfk", "jfk.wav"));
    }

    static Form goforward() throws Exception {
        return new Form().file(speech("pocketsphinx", "goforward.flac"));
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Responses.JSON.readTree(r.body());
    }

    @Test
    void jsonIsTheWholeText() throws Exception {
        HttpResponse<String> r = post(server, "/v1/audio/transcriptions", jfk().field("model", "whisper-1"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("{\"text\":\"" + JFK_TEXT + "\"}", r.body());
    }

    @Test
    void verboseJsonHasLanguageDurationSegmentsAndWords() throws Exception {
        HttpResponse<String> r = post(server, "/v1/audio/transcriptions", jfk().field("model", "tiny.en")
                .field("response_format", "verbose_json"));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode v = json(r);
        assertEquals("transcribe", v.get("task").asText());
        assertEquals("english", v.get("language").asText());
        assertEquals(11.0, v.get("duration").asDouble());
        assertEquals(JFK_TEXT, v.get("text").asText());
        JsonNode segments = v.get("segments");
        assertEquals(2, segments.size());
        assertSegment(segments.get(0), 0, 0.0, 7.74, " And so my fellow Americans ask not what your country can do for you");
        assertSegment(segments.get(1), 1, 7.74, 10.74, " ask what you can do for your country");
        assertEquals(50363, segments.get(0).get("tokens").get(0).asInt()); // <|0.00|> opens the window
        assertEquals(0.0, segments.get(0).get("temperature").asDouble());
        assertFalse(v.has("words"));

        // With words: each word once, in order, in time order; segments refined by them (as the reference does).
        JsonNode w = json(post(server, "/v1/audio/transcriptions", jfk().field("model", "tiny.en")
                .field("response_format", "verbose_json").field("timestamp_granularities[]", "segment")
                .field("timestamp_granularities[]", "word")));
        assertEquals(JFK_TEXT, w.get("text").asText());
        StringBuilder joined = new StringBuilder();
        double last = 0;
        for (JsonNode word : w.get("words")) {
            joined.append(' ').append(word.get("word").asText());
            assertTrue(word.get("start").asDouble() >= last - 1e-9 && word.get("end").asDouble() >= word.get("start").asDouble(),
                    word.toString());
            last = word.get("start").asDouble();
        }
        assertEquals(JFK_TEXT, joined.toString().strip());
        assertTrue(last < 11.0, "last word starts inside the clip");
        assertEquals(2, w.get("segments").size());
    }

    static void assertSegment(JsonNode s, int id, double start, double end, String text) {
        assertEquals(id, s.get("id").asInt());
        assertEquals(start, s.get("start").asDouble());
        assertEquals(end, s.get("end").asDouble());
        assertEquals(text, s.get("text").asText());
        for (String f : new String[] {"seek", "tokens", "avg_logprob", "compression_ratio", "no_speech_prob"}) {
            assertTrue(s.has(f), f);
        }
    }

    @Test
    void textSrtAndVtt() throws Exception {
        HttpResponse<String> text = post(server, "/v1/audio/transcriptions",
                goforward().field("model", "whisper-1").field("response_format", "text"));
        assertEquals(200, text.statusCode(), text.body());
        assertEquals("Go forward 10 meters.\n", text.body());
        assertTrue(text.headers().firstValue("content-type").orElseThrow().startsWith("text/plain"));

        HttpResponse<String> srt = post(server, "/v1/audio/transcriptions",
                goforward().field("model", "whisper-1").field("response_format", "srt"));
        assertEquals("1\n00:00:00,000 --> 00:00:02,000\nGo forward 10 meters.\n\n", srt.body());

        HttpResponse<String> vtt = post(server, "/v1/audio/translations",
                goforward().field("model", "whisper-1").field("response_format", "vtt"));
        assertEquals(400, vtt.statusCode()); // tiny.en cannot translate
        vtt = post(server, "/v1/audio/transcriptions", goforward().field("model", "whisper-1").field("response_format", "vtt"));
        assertEquals("WEBVTT\n\n00:00.000 --> 00:02.000\nGo forward 10 meters.\n\n", vtt.body());
    }

    @Test
    void streamSendsSegmentEventsThenDone() throws Exception {
        HttpResponse<String> r = post(server, "/v1/audio/transcriptions", jfk().field("model", "whisper-1")
                .field("stream", "true"));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        String[] events = Arrays.stream(r.body().split("\n\n")).filter(e -> e.startsWith("data: "))
                .map(e -> e.substring(6)).toArray(String[]::new);
        assertEquals(3, events.length, r.body());
        JsonNode first = Responses.JSON.readTree(events[0]);
        assertEquals("transcript.text.delta", first.get("type").asText());
        assertEquals(" And so my fellow Americans ask not what your country can do for you", first.get("delta").asText());
        assertEquals(7.74, first.get("segment").get("end").asDouble());
        JsonNode done = Responses.JSON.readTree(events[2]);
        assertEquals("transcript.text.done", done.get("type").asText());
        assertEquals(JFK_TEXT, done.get("text").asText());
        assertEquals(11.0, done.get("duration").asDouble());
    }

    /**
     * {@code vad_filter=true} (our extension, faster-whisper's option): 5 s of silence, then goforward. The answer
     * must be what the library gives for the same samples through {@link VadFilter} (as {@code auricle transcribe
     * --vad_filter True} does), on the upload's own timeline and with its whole duration.
     */
    @Test
    void vadFilterTranscribesTheSpeechOnTheOriginalTimeline() throws Exception {
        float[] speech = AudioFile.readAll(speech("pocketsphinx", "goforward.flac"));
        float[] padded = new float[5 * 16000 + speech.length];
        System.arraycopy(speech, 0, padded, 5 * 16000, speech.length);
        byte[] wav = wav(padded);
        HttpResponse<String> r = post(server, "/v1/audio/transcriptions", new Form().file("file", "padded.wav", wav)
                .field("model", "whisper-1").field("response_format", "verbose_json").field("vad_filter", "true"));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode v = json(r);
        assertEquals("Go forward 10 meters.", v.get("text").asText());
        assertEquals(padded.length / 16000.0, v.get("duration").asDouble(), 0.006);

        Path file = java.nio.file.Files.createTempFile("padded", ".wav");
        float[] decoded;
        try {
            java.nio.file.Files.write(file, wav);
            decoded = AudioFile.readAll(file); // the samples exactly as the server decodes the upload
        } finally {
            java.nio.file.Files.delete(file);
        }
        VadFilter vad = VadFilter.apply(SileroVad.load(), decoded, VadOptions.defaults());
        var expected = vad.restore(ServerTestSupport.tinyEn().engine().transcribe(vad.speech(),
                TranscribeOptions.defaults().withLanguage("en", "transcribe")).toTranscription());
        JsonNode segments = v.get("segments");
        assertEquals(expected.segments().size(), segments.size(), r.body());
        for (int i = 0; i < segments.size(); i++) {
            assertEquals(Responses.round(expected.segments().get(i).start()), segments.get(i).get("start").asDouble());
            assertEquals(Responses.round(expected.segments().get(i).end()), segments.get(i).get("end").asDouble());
        }
        assertTrue(segments.get(0).get("start").asDouble() >= 4.6, r.body()); // the VAD's chunk, 0.4 s padded

        assertError(post(server, "/v1/audio/transcriptions", jfk().field("model", "whisper-1").field("vad_filter", "yes")),
                400, "vad_filter", "vad_filter must be true or false, got 'yes'");
    }

    /**
     * {@code batch_size} (our extension) runs core's batched pipeline (VAD chunks, no timestamps), the same answer
     * as the library gives for those options; bad values are refused.
     */
    @Test
    void batchSize() throws Exception {
        HttpResponse<String> r = post(server, "/v1/audio/transcriptions", jfk().field("model", "whisper-1")
                .field("batch_size", "4"));
        assertEquals(200, r.statusCode(), r.body());
        var expected = ServerTestSupport.tinyEn().engine().transcribe(AudioFile.readAll(speech("jfk", "jfk.wav")),
                TranscribeOptions.defaults().withLanguage("en", "transcribe").withBatchSize(4)).toTranscription();
        assertEquals("{\"text\":\"" + Responses.text(expected) + "\"}", r.body());
        for (String bad : new String[] {"0", "33", "two"}) {
            assertError(post(server, "/v1/audio/transcriptions", jfk().field("model", "whisper-1").field("batch_size", bad)),
                    400, "batch_size", "batch_size must be a whole number from 1 to 32, got '" + bad + "'");
        }
    }

    /** 16-bit PCM mono 16 kHz WAV. */
    static byte[] wav(float[] samples) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * samples.length)
                .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(16000).putInt(32000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples.length);
        for (float x : samples) b.putShort((short) Math.round(Math.max(-1, Math.min(1, x)) * 32767));
        return b.array();
    }

    @Test
    void badRequestsGetOpenAiErrors() throws Exception {
        byte[] wav = java.nio.file.Files.readAllBytes(speech("jfk", "jfk.wav"));
        assertError(post(server, "/v1/audio/transcriptions", new Form().field("model", "whisper-1")),
                400, "file", "you must provide a file (multipart field 'file')");
        assertError(post(server, "/v1/audio/transcriptions", new Form().file("file", "a.wav", wav)),
                400, "model", "you must provide a model parameter");
        assertError(post(server, "/v1/audio/transcriptions", new Form().file("file", "a.wav", wav).field("model", "../../etc")),
                404, "model", "the model '../../etc' does not exist; this server has whisper-1, tiny.en");
        assertError(post(server, "/v1/audio/transcriptions", new Form().file("file", "a.wav", wav).field("model", "whisper-1")
                .field("response_format", "xml")), 400, "response_format",
                "response_format must be one of json, text, srt, verbose_json, vtt; got 'xml'");
        assertError(post(server, "/v1/audio/transcriptions", new Form().file("file", "a.wav", wav).field("model", "whisper-1")
                .field("language", "klingon")), 400, "language",
                "language 'klingon' is not one Whisper knows; give an ISO-639-1 code such as en, de or ja");
        assertError(post(server, "/v1/audio/transcriptions", new Form().file("file", "a.wav", wav).field("model", "whisper-1")
                .field("language", "de")), 400, "language",
                "model 'tiny.en' is English-only; language 'de' needs a multilingual model");
        assertError(post(server, "/v1/audio/transcriptions", new Form().file("file", "a.wav", wav).field("model", "whisper-1")
                .field("temperature", "hot")), 400, "temperature", "temperature must be a number from 0 to 1, got 'hot'");
        assertError(post(server, "/v1/audio/transcriptions", new Form().file("file", "a.wav", wav).field("model", "whisper-1")
                .field("timestamp_granularities[]", "char")), 400, "timestamp_granularities",
                "timestamp_granularities must be 'segment' or 'word', got 'char'");
        assertError(post(server, "/v1/audio/translations", new Form().file("file", "a.wav", wav).field("model", "whisper-1")),
                400, "model", "model 'tiny.en' is English-only and cannot translate");
        assertError(post(server, "/v1/audio/transcriptions", new Form().file("file", "notes.txt",
                "hello, not audio".getBytes(StandardCharsets.UTF_8)).field("model", "whisper-1")), 400, "file",
                "notes.txt: not a recognised audio or video file (Invalid data found when processing input)");
        assertError(post(server, "/v1/audio/transcriptions", new Form().file("file", "empty.wav", new byte[0])
                .field("model", "whisper-1")), 400, "file", "empty.wav: the file is empty (0 bytes)");
        byte[] truncatedHeader = Arrays.copyOf(wav, 30);
        HttpResponse<String> broken = post(server, "/v1/audio/transcriptions",
                new Form().file("file", "broken.wav", truncatedHeader).field("model", "whisper-1"));
        assertEquals(400, broken.statusCode(), broken.body());
        assertTrue(json(broken).get("error").get("message").asText().startsWith("broken.wav: "), broken.body());
        assertFalse(broken.body().contains("/tmp"), broken.body()); // never the server's own paths
    }

    @Test
    void wrongMethodPathAndContentType() throws Exception {
        assertError(get(server, "/v1/audio/transcriptions"), 405, null, "GET is not allowed here; use POST");
        assertError(get(server, "/v1/nothing"), 404, null, "no such endpoint: /v1/nothing");
        HttpResponse<String> r = ServerTestSupport.CLIENT.send(HttpRequest.newBuilder(
                URI.create(server.baseUrl() + "/v1/audio/transcriptions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertError(r, 400, null, "the body must be multipart/form-data with a 'file' field");
    }

    @Test
    void modelsHealthMetricsAndPage() throws Exception {
        JsonNode models = json(get(server, "/v1/models"));
        assertEquals("list", models.get("object").asText());
        assertEquals("whisper-1", models.get("data").get(0).get("id").asText());
        assertEquals("tiny.en", models.get("data").get(1).get("id").asText());
        assertEquals("model", json(get(server, "/v1/models/tiny.en")).get("object").asText());
        assertEquals(404, get(server, "/v1/models/large").statusCode());
        HttpResponse<String> health = get(server, "/health");
        assertEquals(200, health.statusCode());
        assertEquals("ok", json(health).get("status").asText());
        HttpResponse<String> metrics = get(server, "/metrics");
        assertTrue(metrics.headers().firstValue("content-type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        assertTrue(metrics.body().contains("# TYPE auricle_requests_total counter\n"), metrics.body());
        assertTrue(metrics.body().contains("\nauricle_queue_length 0\n"), metrics.body());
        HttpResponse<String> page = get(server, "/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Auricle"), page.body());
    }

    static void assertError(HttpResponse<String> r, int status, String param, String message) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = json(r).get("error");
        assertEquals(message, error.get("message").asText());
        assertEquals(param, error.get("param").isNull() ? null : error.get("param").asText());
        assertTrue(error.has("type") && error.has("code"), r.body());
    }

}
