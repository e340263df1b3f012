package io.auricle.cli;

import io.auricle.AuricleException;
import io.auricle.audio.AudioConstants;
import io.auricle.audio.AudioFile;
import io.auricle.audio.AudioInfo;
import io.auricle.audio.AudioStream;
import io.auricle.audio.LogMel;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code auricle inspect}: what a file holds and what Whisper will hear from it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show each file's format, codec, sample rate, channels and duration, decode it to 16 kHz mono"
                + " and report damage. Exit code 2 if any file cannot be read.")
final class InspectCommand implements Callable<Integer> {
    /** Longest stretch drawn in a PNG: one pixel per 10 ms frame, so 10 minutes is 60000 pixels wide. */
    private static final int MAX_PNG_SECONDS = 600;
    private static final int PIXELS_PER_MEL = 3;
    private static final int N_MELS = 80;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Audio or video files.")
    List<Path> files;

    @Option(names = "--png", paramLabel = "OUT.png",
            description = "Write the 80-bin log-mel spectrogram (first " + MAX_PNG_SECONDS / 60 + " minutes) as a PNG;"
                    + " with several files, OUT-<file name>.png for each.")
    Path png;

    @Option(names = "--dump-samples", paramLabel = "DIR",
            description = "Write each file's decoded 16 kHz mono samples to DIR/<file name>.f32 (float32 little-endian).")
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
        List<String> warnings = new ArrayList<>();
        Decoded decoded = decode(file, warnings);
        AudioInfo info = decoded.info;
        out.println(file);
        out.printf(Locale.ROOT, "  format:    %s%n", info.container());
        out.printf(Locale.ROOT, "  codec:     %s%n", info.codec());
        out.printf(Locale.ROOT, "  rate:      %d Hz%n", info.sampleRate());
        out.printf(Locale.ROOT, "  channels:  %d%n", info.channels());
        out.printf(Locale.ROOT, "  duration:  %s%n", Double.isNaN(info.durationSeconds())
                ? "unknown" : String.format(Locale.ROOT, "%.3f s", info.durationSeconds()));
        out.printf(Locale.ROOT, "  decoded:   %.3f s (%d samples at %d Hz mono), peak %.4f, rms %s%n",
                decoded.count / (double) AudioConstants.SAMPLE_RATE, decoded.count, AudioConstants.SAMPLE_RATE,
                decoded.peak, decoded.rmsText());
        for (String w : warnings) err.println("auricle: warning: " + w);
        if (png != null) {
            Path target = files.size() == 1 ? png : siblingFor(png, file);
            if (writeSpectrogram(decoded.head, target)) out.println("  png:       " + target);
            else out.println("  png:       none (too short for one mel frame)");
        }
    }

    /** Streams the file once: statistics, the optional sample dump, and the head kept for the PNG. */
    private Decoded decode(Path file, List<String> warnings) throws IOException {
        Decoded d = new Decoded();
        int keep = png == null ? 0 : MAX_PNG_SECONDS * AudioConstants.SAMPLE_RATE;
        float[] head = new float[Math.min(keep, 1 << 20)];
        OutputStream dump = null;
        try (AudioStream stream = AudioFile.open(file, warnings::add)) {
            d.info = stream.info();
            if (dumpDir != null) {
                Files.createDirectories(dumpDir);
                dump = new BufferedOutputStream(Files.newOutputStream(dumpDir.resolve(file.getFileName() + ".f32")));
            }
            float[] buf = new float[8192];
            ByteBuffer bytes = ByteBuffer.allocate(buf.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int n; (n = stream.read(buf, 0, buf.length)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    d.peak = Math.max(d.peak, Math.abs(buf[i]));
                    d.sumSquares += (double) buf[i] * buf[i];
                }
                int room = (int) Math.min(n, keep - d.count);
                if (room > 0) {
                    if (d.count + room > head.length) head = Arrays.copyOf(head, Math.min(keep, 2 * head.length + room));
                    System.arraycopy(buf, 0, head, (int) d.count, room);
                }
                d.count += n;
                if (dump != null) {
                    bytes.clear();
                    bytes.asFloatBuffer().put(buf, 0, n);
                    dump.write(bytes.array(), 0, n * 4);
                }
            }
        } finally {
            if (dump != null) dump.close();
        }
        d.head = Arrays.copyOf(head, (int) Math.min(d.count, keep));
        return d;
    }

    private static final class Decoded {
        AudioInfo info;
        long count;
        double peak;
        double sumSquares;
        float[] head;

        String rmsText() {
            double rms = count == 0 ? 0 : Math.sqrt(sumSquares / count);
            return rms == 0 ? "silent (all zero)" : String.format(Locale.ROOT, "%.1f dBFS", 20 * Math.log10(rms));
        }
    }

    private static Path siblingFor(Path png, Path file) {
        String name = png.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        return png.resolveSibling(stem + "-" + file.getFileName() + ".png");
    }

    /** Draws the log-mel spectrogram, low frequencies at the bottom; false when there is no frame to draw. */
    static boolean writeSpectrogram(float[] samples, Path target) throws IOException {
        float[][] mel = LogMel.compute(samples, N_MELS);
        int frames = mel[0].length;
        if (frames == 0) return false;
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float[] row : mel) {
            for (float v : row) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        float range = hi > lo ? hi - lo : 1;
        BufferedImage image = new BufferedImage(frames, N_MELS * PIXELS_PER_MEL, BufferedImage.TYPE_INT_RGB);
        for (int m = 0; m < N_MELS; m++) {
            for (int t = 0; t < frames; t++) {
                int rgb = Colormap.viridis((mel[m][t] - lo) / range);
                for (int k = 0; k < PIXELS_PER_MEL; k++) image.setRGB(t, (N_MELS - 1 - m) * PIXELS_PER_MEL + k, rgb);
            }
        }
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(image, "png", target.toFile())) throw new IOException("no PNG writer");
        return true;
    }
}
