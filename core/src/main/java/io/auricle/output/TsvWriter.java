package io.auricle.output;

import io.auricle.transcribe.Segment;
import io.auricle.transcribe.Transcription;

import java.io.IOException;
import java.io.Writer;

/**
 * Tab-separated {@code start end text} with times in integer milliseconds, so no locale can turn a decimal
 * point into a comma.
 */
public final class TsvWriter implements ResultWriter {

    @Override
    public String extension() {
        return "tsv";
    }

    @Override
    public void write(Transcription result, Writer out, WriterOptions options) throws IOException {
        out.write("start\tend\ttext\n");
        for (Segment s : result.segments()) {
            out.write(milliseconds(s.start()) + "\t" + milliseconds(s.end()) + "\t"
                    + PythonText.strip(s.text()).replace("\t", " ") + "\n");
        }
        out.flush();
    }

    /** Python's round(1000 * seconds): half to even. */
    static long milliseconds(double seconds) {
        return (long) Math.rint(1000 * seconds);
    }
}
