package io.auricle.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class JitDirectivesTest {
    /** The JDK the build runs on has the diagnostic command, and it accepted the directives' syntax. */
    @Test
    void directivesAreInForce() {
        assertTrue(JitDirectives.ensureInstalled());
    }

    /** The launcher's compile commands (bin/jvm-flags) force the same inlining as the directives file. */
    @Test
    void launcherInlinesTheSameMethods() throws IOException {
        String json;
        try (InputStream in = JitDirectives.class.getResourceAsStream(JitDirectives.RESOURCE)) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> fromJson = new ArrayList<>();
        Matcher m = Pattern.compile("\"\\+io/auricle/tensor/(\\w+)\\.([\\w*]+)\"").matcher(json);
        while (m.find()) fromJson.add(m.group(1) + "::" + m.group(2));
        List<String> fromLauncher = new ArrayList<>();
        m = Pattern.compile("CompileCommand=inline,io\\.auricle\\.tensor\\.(\\w+::[\\w*]+)")
                .matcher(Files.readString(Path.of("..", "bin", "jvm-flags")));
        while (m.find()) fromLauncher.add(m.group(1));
        assertEquals(5, fromJson.size());
        assertEquals(fromJson, fromLauncher);
    }

    /** The launcher's C2 node limits cover the same drivers as the directives file's {@code c2: { Exclude: true }}. */
    @Test
    void launcherKeepsTheSameDriversInC1() throws IOException {
        String json;
        try (InputStream in = JitDirectives.class.getResourceAsStream(JitDirectives.RESOURCE)) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String excluded = json.substring(json.lastIndexOf("match:"), json.indexOf("c2: { Exclude: true }"));
        List<String> fromJson = new ArrayList<>();
        Matcher m = Pattern.compile("\"(io/auricle/[\\w/*]+)\\.([\\w*]+)\"").matcher(excluded);
        while (m.find()) fromJson.add(m.group(1).replace('/', '.') + "::" + m.group(2));
        String flags = Files.readString(Path.of("..", "bin", "jvm-flags"));
        String list = flags.substring(flags.indexOf("auricle_c1_only=("), flags.indexOf(")\n", flags.indexOf("auricle_c1_only=(")));
        List<String> fromLauncher = new ArrayList<>();
        m = Pattern.compile("'([^']+)'").matcher(list);
        while (m.find()) fromLauncher.add(m.group(1));
        assertEquals(9, fromJson.size());
        assertEquals(fromJson, fromLauncher);
        assertTrue(flags.contains("\"-XX:CompileCommand=MaxNodeLimit,$m,100\""));
    }
}
