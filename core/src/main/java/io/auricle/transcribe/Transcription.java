package io.auricle.transcribe;

import java.util.List;

/** A finished transcription: what the output writers and the server serialize. */
public record Transcription(String language, double languageProbability, double duration, List<Segment> segments) {

    /** The full text, as openai-whisper's result["text"]: the segments' texts joined. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) sb.append(s.text());
        return sb.toString();
    }
}
