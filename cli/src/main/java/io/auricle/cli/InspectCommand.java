package io.auricle.cli;

import io.auricle.AuricleException;
import io.auricle.audio.AudioConstants;
import io.auricle.audio.AudioFile;
import io.auricle.audio.AudioInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code auricle inspect}: what a file holds and what Whisper will hear from it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show each file's format, codec, sample rate, channels and duration, decode it to 16 kHz mono,"
                + " and report damage. Exit code 2 if any file cannot be read.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Audio or video files.")
    List<Path> files;

    @Option(names = "--png", paramLabel = "OUT.png",
            description = "Write the log-mel spectrogram of the (first) file as a PNG.")
    Path png;

    @Option(names = "--dump-samples", paramLabel = "DIR",
            description = "Write each file's decoded 16 kHz mono samples to DIR/<name>.f32 (float32 little-endian).")
    Path dumpDir;

    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int exit = 0;
        for (Path file : files) {
            try {
                inspect(file, out, err);
            } catch (AuricleException e) {
                if (files.size() == 1) throw e; // Main's handler prints it (with a stack trace under --verbose)
                if (verbose) e.printStackTrace(err);
                err.println("auricle: " + e.getMessage());
                exit = Math.max(exit, e.exitCode());
            }
            out.flush();
            err.flush();
        }
        return exit;
    }

    private void inspect(Path file, PrintWriter out, PrintWriter err) throws IOException {
        AudioInfo info = AudioFile.probe(file);
        List<String> warnings = new ArrayList<>();
        float[] samples = AudioFile.readAll(file, warnings::add);
        out.println(file);
        out.printf(Locale.ROOT, "  format:    %s%n", info.container());
        out.printf(Locale.ROOT, "  codec:     %s%n", info.codec());
        out.printf(Locale.ROOT, "  rate:      %d Hz%n", info.sampleRate());
        out.printf(Locale.ROOT, "  channels:  %d%n", info.channels());
        out.printf(Locale.ROOT, "  duration:  %s%n",
                Double.isNaN(info.durationSeconds()) ? "unknown" : String.format(Locale.ROOT, "%.3f s", info.durationSeconds()));
        out.printf(Locale.ROOT, "  decoded:   %.3f s (%d samples at %d Hz mono), peak %.4f, rms %s%n",
                samples.length / (double) AudioConstants.SAMPLE_RATE, samples.length, AudioConstants.SAMPLE_RATE,
                peak(samples), rmsText(samples));
        for (String w : warnings) err.println("auricle: warning: " + w);
        if (dumpDir != null) dump(file, samples);
    }

    private void dump(Path file, float[] samples) throws IOException {
        Files.createDirectories(dumpDir);
        ByteBuffer bytes = ByteBuffer.allocate(samples.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(samples);
        Files.write(dumpDir.resolve(file.getFileName() + ".f32"), bytes.array());
    }

    private static double peak(float[] x) {
        double p = 0;
        for (float v : x) p = Math.max(p, Math.abs(v));
        return p;
    }

    private static String rmsText(float[] x) {
        double sum = 0;
        for (float v : x) sum += (double) v * v;
        double rms = x.length == 0 ? 0 : Math.sqrt(sum / x.length);
        return rms == 0 ? "silent (all zero)" : String.format(Locale.ROOT, "%.1f dBFS", 20 * Math.log10(rms));
    }
}
