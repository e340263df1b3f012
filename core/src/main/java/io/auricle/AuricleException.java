package io.auricle;

/**
 * An error a user can act on: a bad file, a wrong model, a bad option. Its message is one clear line
 * (naming the file and the reason); the CLI prints it without a stack trace and exits with {@link #exitCode}.
 */
public class AuricleException extends RuntimeException {
    private final int exitCode;

    public AuricleException(String message) {
        this(message, null);
    }

    public AuricleException(String message, Throwable cause) {
        this(message, cause, 2);
    }

    public AuricleException(String message, Throwable cause, int exitCode) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
