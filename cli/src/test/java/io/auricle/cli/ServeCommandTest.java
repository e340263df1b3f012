package io.auricle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code auricle serve}'s safe defaults and its one-line refusals (none of these loads a model). */
class ServeCommandTest {

    @Test
    void defaultsAreLoopbackNoKeyAndNoModelPaths() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--model", "tiny.en");
        assertEquals("127.0.0.1", serve.host);
        assertEquals(8000, serve.port);
        assertNull(serve.apiKeyEnv);
        assertFalse(serve.allowModelPaths);
        assertEquals(25, serve.maxUploadMb);
    }

    @Test
    void badValuesAreOneLine() {
        CliRun port = CliRun.of("serve", "--model", "tiny.en", "--port", "70000");
        assertEquals(2, port.exit());
        assertEquals("auricle: --port must be 0..65535, got 70000\n", port.err());
        CliRun key = CliRun.of("serve", "--model", "tiny.en", "--api-key-env", "AURICLE_TEST_NO_SUCH_VARIABLE");
        assertEquals(2, key.exit());
        assertEquals("auricle: --api-key-env: $AURICLE_TEST_NO_SUCH_VARIABLE is not set\n", key.err());
    }
}
