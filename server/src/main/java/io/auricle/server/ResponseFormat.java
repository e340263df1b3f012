package io.auricle.server;

/** OpenAI's {@code response_format} values for audio, with their content types. */
enum ResponseFormat {
    JSON("json", "application/json"),
    TEXT("text", "text/plain; charset=utf-8"),
    SRT("srt", "application/x-subrip; charset=utf-8"),
    VERBOSE_JSON("verbose_json", "application/json"),
    VTT("vtt", "text/vtt; charset=utf-8");

    final String wire;
    final String contentType;

    ResponseFormat(String wire, String contentType) {
        this.wire = wire;
        this.contentType = contentType;
    }

    static ResponseFormat parse(String value) {
        if (value == null || value.isBlank()) return JSON;
        for (ResponseFormat f : values()) if (f.wire.equals(value.strip())) return f;
        throw ApiError.invalid("response_format", "response_format must be one of json, text, srt, verbose_json,"
                + " vtt; got '" + value.strip() + "'");
    }
}
