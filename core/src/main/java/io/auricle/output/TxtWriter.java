package io.auricle.output;

import io.auricle.transcribe.Segment;
import io.auricle.transcribe.Transcription;

import java.io.IOException;
import java.io.Writer;

/** Plain text: each segment's stripped text on its own line. */
public final class TxtWriter implements ResultWriter {

    @Override
    public String extension() {
        return "txt";
    }

    @Override
    public void write(Transcription result, Writer out, WriterOptions options) throws IOException {
        for (Segment s : result.segments()) out.write(PythonText.strip(s.text()) + "\n");
        out.flush();
    }
}
