package io.auricle.audio;

import static io.auricle.audio.AudioTestSupport.fixture;
import static io.auricle.audio.AudioTestSupport.resource;
import static io.auricle.audio.AudioTestSupport.sha256OfS16;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * WebM, Matroska, MP4 (including audio behind a video track) and ADPCM WAV, against faster-whisper's decode_audio
 * (fixtures made by tools/python/audio_make_container_fixtures.py).
 */
class ContainerTest {

    static Stream<String[]> references() {
        return fixture("containers/reference.tsv").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("references")
    void decodesLikeTheReference(String name, String samples, String sha256) {
        float[] decoded = AudioFile.readAll(resource("containers/" + name));
        assertEquals(Integer.parseInt(samples), decoded.length, "sample count");
        assertEquals(sha256, sha256OfS16(decoded), "samples vs faster-whisper decode_audio");
    }

    @Test
    void theAudioTrackIsFoundBehindTheVideo() {
        AudioInfo info = AudioFile.probe(resource("containers/video_then_aac_44k_stereo.mp4"));
        assertEquals(List.of("mov,mp4,m4a,3gp,3g2,mj2", "aac", 44100, 2),
                List.of(info.container(), info.codec(), info.sampleRate(), info.channels()));
        AudioInfo mkv = AudioFile.probe(resource("containers/video_then_flac_22k.mkv"));
        assertEquals(List.of("matroska,webm", "flac", 22050, 1), List.of(mkv.container(), mkv.codec(), mkv.sampleRate(), mkv.channels()));
    }

    @Test
    void wavCodecsWeDoNotParseGoToFfmpeg() {
        AudioInfo info = AudioFile.probe(resource("containers/adpcm_ms_22k.wav"));
        assertEquals(List.of("wav", "adpcm_ms", 22050, 1), List.of(info.container(), info.codec(), info.sampleRate(), info.channels()));
    }
}
