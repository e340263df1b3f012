package io.auricle.output;

import io.auricle.transcribe.Transcription;

import java.io.IOException;
import java.io.Writer;

/** WebVTT: a {@code WEBVTT} header, then cues with {@code mm:ss.mmm} times (hours only when needed). */
public final class VttWriter extends SubtitlesWriter {

    public VttWriter() {
        super(false, '.');
    }

    @Override
    public String extension() {
        return "vtt";
    }

    @Override
    public void write(Transcription result, Writer out, WriterOptions options) throws IOException {
        out.write("WEBVTT\n\n");
        for (Cue cue : cues(result, options)) out.write(cue.start() + " --> " + cue.end() + "\n" + cue.text() + "\n\n");
        out.flush();
    }
}
