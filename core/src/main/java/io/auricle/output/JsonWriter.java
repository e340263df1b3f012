package io.auricle.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import io.auricle.transcribe.Segment;
import io.auricle.transcribe.Transcription;
import io.auricle.transcribe.Word;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * openai-whisper's JSON: {@code {"text", "segments": [{id, seek, start, end, text, tokens, temperature,
 * avg_logprob, compression_ratio, no_speech_prob[, words: [{word, start, end, probability}]]}], "language"}},
 * byte for byte as Python's json.dump writes it: {@code ", "} and {@code ": "} separators, non-ASCII escaped
 * as lower-case {@code \\uXXXX}, floats in Python's repr. {@code words} appears when any segment has words.
 */
public final class JsonWriter implements ResultWriter {

    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .characterEscapes(new PythonEscapes())
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    @Override
    public String extension() {
        return "json";
    }

    @Override
    public void write(Transcription result, Writer out, WriterOptions options) throws IOException {
        boolean withWords = result.segments().stream().anyMatch(s -> !s.words().isEmpty());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(new PythonSeparators());
            g.writeStartObject();
            g.writeStringField("text", result.text());
            g.writeArrayFieldStart("segments");
            for (Segment s : result.segments()) {
                g.writeStartObject();
                g.writeNumberField("id", s.id());
                g.writeNumberField("seek", s.seek());
                writeFloat(g, "start", s.start());
                writeFloat(g, "end", s.end());
                g.writeStringField("text", s.text());
                g.writeArrayFieldStart("tokens");
                for (int t : s.tokens()) g.writeNumber(t);
                g.writeEndArray();
                writeFloat(g, "temperature", s.temperature());
                writeFloat(g, "avg_logprob", s.avgLogprob());
                writeFloat(g, "compression_ratio", s.compressionRatio());
                writeFloat(g, "no_speech_prob", s.noSpeechProb());
                if (withWords) {
                    g.writeArrayFieldStart("words");
                    for (Word w : s.words()) {
                        g.writeStartObject();
                        g.writeStringField("word", w.word());
                        writeFloat(g, "start", w.start());
                        writeFloat(g, "end", w.end());
                        writeFloat(g, "probability", w.probability());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("language", result.language());
            g.writeEndObject();
        }
        out.flush();
    }

    private static void writeFloat(JsonGenerator g, String name, double value) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(pythonRepr(value));
    }

    /**
     * Python's repr of a float: the shortest digits that round-trip (as Java's Double.toString, but
     * down to one digit), positional
     * for decimal exponents -4 < e <= 16 (with at least one fractional digit), else {@code d.ddde±XX}.
     */
    static String pythonRepr(double value) {
        if (Double.isNaN(value)) return "NaN";
        if (Double.isInfinite(value)) return value > 0 ? "Infinity" : "-Infinity";
        if (value == 0) return (1 / value < 0) ? "-0.0" : "0.0";
        double abs = Math.abs(value);
        BigDecimal shortest = new BigDecimal(Double.toString(abs)).stripTrailingZeros();
        if (shortest.precision() == 2) {
            // Java never prints fewer than two digits; Python does when one round-trips (5e-324, not 4.9e-324)
            BigDecimal one = new BigDecimal(abs).round(new MathContext(1, RoundingMode.HALF_EVEN));
            if (one.doubleValue() == abs) shortest = one.stripTrailingZeros();
        }
        String digits = shortest.unscaledValue().toString();
        int decimalPoint = digits.length() - shortest.scale(); // value = 0.digits * 10^decimalPoint
        StringBuilder sb = new StringBuilder(value < 0 ? "-" : "");
        if (decimalPoint <= -4 || decimalPoint > 16) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
            int exponent = decimalPoint - 1;
            sb.append('e').append(exponent < 0 ? '-' : '+');
            if (Math.abs(exponent) < 10) sb.append('0');
            sb.append(Math.abs(exponent));
        } else if (decimalPoint <= 0) {
            sb.append("0.").append("0".repeat(-decimalPoint)).append(digits);
        } else if (decimalPoint >= digits.length()) {
            sb.append(digits).append("0".repeat(decimalPoint - digits.length())).append(".0");
        } else {
            sb.append(digits, 0, decimalPoint).append('.').append(digits, decimalPoint, digits.length());
        }
        return sb.toString();
    }

    /** json.dump's default separators. */
    private static final class PythonSeparators extends MinimalPrettyPrinter {
        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    }

    /** Python's ensure_ascii also escapes DEL, which JSON itself does not require. */
    private static final class PythonEscapes extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        PythonEscapes() {
            ascii[0x7F] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
            return ch == 0x7F ? new SerializedString("\\u007f") : null;
        }
    }
}
