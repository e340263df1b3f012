package io.auricle.server;

/**
 * A request that fails in a way the client can act on, answered as OpenAI's error JSON:
 * {@code {"error": {"message", "type", "param", "code"}}} with {@link #status}.
 */
final class ApiError extends RuntimeException {
    final int status;
    final String type;
    final String param;
    final String code;

    ApiError(int status, String type, String param, String code, String message) {
        super(message, null, false, false); // no stack trace: it is an answer, not a bug
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    static ApiError invalid(String param, String message) {
        return new ApiError(400, "invalid_request_error", param, null, message);
    }

    static ApiError invalid(String param, String code, String message) {
        return new ApiError(400, "invalid_request_error", param, code, message);
    }
}
