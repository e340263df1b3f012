package io.auricle.output;

import io.auricle.transcribe.Transcription;

import java.io.IOException;
import java.io.Writer;

/** SubRip: numbered cues from 1 with {@code hh:mm:ss,mmm} times. */
public final class SrtWriter extends SubtitlesWriter {

    public SrtWriter() {
        super(true, ',');
    }

    @Override
    public String extension() {
        return "srt";
    }

    @Override
    public void write(Transcription result, Writer out, WriterOptions options) throws IOException {
        int index = 1;
        for (Cue cue : cues(result, options)) {
            out.write(index++ + "\n" + cue.start() + " --> " + cue.end() + "\n" + cue.text() + "\n\n");
        }
        out.flush();
    }
}
