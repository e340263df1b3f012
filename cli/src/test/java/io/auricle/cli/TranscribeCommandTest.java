package io.auricle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TranscribeCommandTest {
    static final Path SPEECH = Path.of(System.getProperty("auricle.speech.dir"));

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** The segments faster-whisper prints for jfk with tiny.en (see core's TranscriberTest). */
    @Test
    void transcribesJfkWithTimestamps() {
        Run r = run("transcribe", SPEECH.resolve("jfk/jfk.flac").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                [00:00.000 --> 00:07.740]  And so my fellow Americans ask not what your country can do for you
                [00:07.740 --> 00:10.740]  ask what you can do for your country
                """, r.out());
    }

    @Test
    void missingFileIsOneClearLine() {
        Run r = run("transcribe", "/no/such.wav");
        assertEquals(2, r.code());
        assertEquals("auricle: /no/such.wav: no such file\n", r.err());
    }

    @Test
    void unknownModelListsTheValidNames() {
        Run r = run("transcribe", SPEECH.resolve("jfk/jfk.wav").toString(), "--model", "no-such-model");
        assertEquals(2, r.code());
        assertEquals("auricle: unknown model 'no-such-model': give a model file or directory, or one of tiny.en, tiny,"
                + " base.en, base, small.en, small, medium.en, medium, large-v1, large-v2, large-v3, turbo\n", r.err());
    }

    @Test
    void audioContextOutOfRange() {
        Run r = run("transcribe", SPEECH.resolve("jfk/jfk.wav").toString(), "--audio-ctx", "2000");
        assertEquals(2, r.code());
        assertEquals("auricle: --audio-ctx must be 0..1500, got 2000\n", r.err());
    }

    @Test
    void formatsTimestampsAsWhisper() {
        assertEquals("00:07.740", TranscribeCommand.timestamp(7.74));
        assertEquals("01:01:01.001", TranscribeCommand.timestamp(3661.001));
    }
}
