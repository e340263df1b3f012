package io.auricle.output;

import io.auricle.AuricleException;
import io.auricle.transcribe.Segment;
import io.auricle.transcribe.Transcription;
import io.auricle.transcribe.Word;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every writer against the files openai-whisper's own writers made from the same results and options. */
class ResultWriterTest {

    static Stream<OutputFixtures.Case> cases() throws IOException {
        return OutputFixtures.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void writesTheReferenceBytes(OutputFixtures.Case c, @TempDir Path out) throws IOException {
        Path audio = Path.of(OutputFixtures.casesFile().get("audio").asText());
        Transcription result = OutputFixtures.result(c.result());
        for (ResultWriter writer : ResultWriter.forFormat("all")) writer.write(result, audio, out, c.options());

        List<String> expected;
        try (Stream<Path> files = Files.list(c.goldenDir())) {
            expected = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        List<String> written;
        try (Stream<Path> files = Files.list(out)) {
            written = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("interview.part1.json", "interview.part1.srt", "interview.part1.tsv",
                "interview.part1.txt", "interview.part1.vtt"), expected);
        assertEquals(expected, written);
        for (String name : expected) {
            assertEquals(OutputFixtures.read(c.goldenDir().resolve(name)), OutputFixtures.read(out.resolve(name)),
                    c + " " + name);
        }
    }

    @Test
    void floatsArePrintedAsPythonsRepr() throws IOException {
        List<String> reprs = Files.readAllLines(OutputFixtures.root().resolve("floats.txt"));
        assertEquals(1500, reprs.size());
        for (String repr : reprs) assertEquals(repr, JsonWriter.pythonRepr(Double.parseDouble(repr)));
        assertEquals("NaN", JsonWriter.pythonRepr(Double.NaN));
        assertEquals("-Infinity", JsonWriter.pythonRepr(Double.NEGATIVE_INFINITY));
    }

    @Test
    void timestampsRoundHalfToEvenAndShowHoursWhenNeeded() {
        assertEquals("00:00.000", Timestamps.format(0.0005, false, '.')); // 0.5 ms rounds to even 0
        assertEquals("00:00.002", Timestamps.format(0.0015, false, '.'));
        assertEquals("00:00:01,500", Timestamps.format(1.5, true, ','));
        assertEquals("01:02:05.457", Timestamps.format(3725.4567, false, '.'));
        assertEquals("100:00:00.000", Timestamps.format(360000, false, '.'));
        assertThrows(IllegalArgumentException.class, () -> Timestamps.format(-0.001, false, '.'));
    }

    @Test
    void formatLookup() {
        assertEquals(List.of("txt", "vtt", "srt", "tsv", "json"),
                ResultWriter.forFormat("all").stream().map(ResultWriter::extension).toList());
        assertEquals(ResultWriter.FORMATS, ResultWriter.forFormat("all").stream().map(ResultWriter::extension).toList());
        assertEquals("srt", ResultWriter.forFormat("SRT").getFirst().extension());
        AuricleException e = assertThrows(AuricleException.class, () -> ResultWriter.forFormat("docx"));
        assertEquals("unknown output format 'docx' (choose txt, vtt, srt, tsv, json or all)", e.getMessage());
    }

    @Test
    void baseNameDropsOnlyTheLastExtension() {
        assertEquals("a.b", ResultWriter.baseName(Path.of("/x/a.b.wav")));
        assertEquals("speech", ResultWriter.baseName(Path.of("speech")));
        assertEquals(".hidden", ResultWriter.baseName(Path.of("dir/.hidden")));
        assertEquals("..wav", ResultWriter.baseName(Path.of("..wav")));
        assertEquals("..a", ResultWriter.baseName(Path.of("..a.mp3")));
    }

    @Test
    void anUnwritableOutputIsOneClearError(@TempDir Path dir) throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        Transcription t = new Transcription("en", 1, 1, List.of());
        AuricleException e = assertThrows(AuricleException.class,
                () -> new TxtWriter().write(t, Path.of("a.wav"), notADirectory, WriterOptions.DEFAULTS));
        assertEquals("cannot write " + notADirectory.resolve("a.txt") + ": a file is in the way", e.getMessage());
    }

    @Test
    void negativeOptionsAreRejected() {
        AuricleException e = assertThrows(AuricleException.class, () -> new WriterOptions(0, 0, false, -1));
        assertEquals("max words per line must be positive, got -1", e.getMessage());
    }

    @Test
    void underlineKeepsLeadingWhitespaceAndLineBreaks() {
        assertEquals(" <u>word</u>", SubtitlesWriter.underline(" word"));
        assertEquals("\n<u>word</u>", SubtitlesWriter.underline("\nword"));
        assertEquals("<u>word</u>\n", SubtitlesWriter.underline("word\n"));
        assertEquals("a\nb", SubtitlesWriter.underline("a\nb"));
        assertEquals("\u00a0<u>x</u>", SubtitlesWriter.underline("\u00a0x"));
    }

    @Test
    void wordWidthCountsCodePointsAsPython() throws IOException {
        // an emoji is one character to Python's len() but two Java chars: the 5-wide line must fit it
        Segment s = new Segment(0, 0, 0, 2, " \uD83D\uDE00\uD83D\uDE00 ab", new int[0], 0, 0, 1, 0,
                List.of(new Word(0, 1, " \uD83D\uDE00\uD83D\uDE00", 0.9), new Word(1, 2, " ab", 0.9)));
        StringWriter out = new StringWriter();
        new VttWriter().write(new Transcription("en", 1, 2, List.of(s)), out, new WriterOptions(6, 2, false, 0));
        assertEquals("WEBVTT\n\n00:00.000 --> 00:02.000\n\uD83D\uDE00\uD83D\uDE00 ab\n\n", out.toString());
    }
}
