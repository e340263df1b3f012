package io.auricle.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.auricle.model.ReferenceFixtures;
import io.auricle.model.TinyEn;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Segments against faster-whisper 1.2.1's transcribe (tiny.en, float32, beam_size=1, defaults otherwise),
 * on faster-whisper's mel of the clip:
 * jfk (0.0, 7.74, ' And so my fellow Americans ask not what your country can do for you'),
 * (7.74, 10.74, ' ask what you can do for your country'); goforward (0.0, 2.0, ' Go forward 10 meters.').
 */
class TranscriberTest {

    static List<Segment> transcribe(String clip) {
        float[][] mel = ReferenceFixtures.mel(clip, 80);
        return new Transcriber(TinyEn.model(), TinyEn.tokenizer())
                .transcribe(mel, mel[0].length, TranscribeOptions.defaults()).segments();
    }

    @Test
    void jfkSplitsAtTheTimestampPair() {
        List<Segment> segments = transcribe("jfk");
        assertEquals(2, segments.size());
        assertSegment(segments.get(0), 0.0, 7.74, " And so my fellow Americans ask not what your country can do for you");
        assertSegment(segments.get(1), 7.74, 10.74, " ask what you can do for your country");
        assertEquals(0, segments.get(1).seek());
    }

    @Test
    void shortCommandIsOneSegment() {
        List<Segment> segments = transcribe("goforward");
        assertEquals(1, segments.size());
        assertSegment(segments.get(0), 0.0, 2.0, " Go forward 10 meters.");
    }

    static void assertSegment(Segment s, double start, double end, String text) {
        assertEquals(start, s.start(), 1e-9);
        assertEquals(end, s.end(), 1e-9);
        assertEquals(text, s.text());
        assertEquals(0.0, s.temperature());
    }
}
