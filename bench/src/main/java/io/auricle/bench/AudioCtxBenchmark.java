package io.auricle.bench;

import io.auricle.transcribe.Segment;
import io.auricle.transcribe.TranscribeOptions;
import io.auricle.transcribe.WhisperEngine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The effect of the encoder's audio context ({@code --audio-ctx}) on a speech set: transcribes every clip of the
 * manifest once per setting, with openai's default options otherwise, writes {@code OUT/ctx-SETTING.tsv}
 * (id, text) for {@code tools/python/audio_ctx_wer.py} to score, and prints the process CPU and wall time per
 * setting. "fit" gives each clip the positions its length needs ({@code ceil(seconds · 50)}, at most 1500).
 *
 * <pre>java ... io.auricle.bench.AudioCtxBenchmark MODEL SET_DIR OUT [clips] [settings, e.g. 1500,750,500,fit]</pre>
 */
public final class AudioCtxBenchmark {
    private AudioCtxBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        WhisperEngine engine = WhisperEngine.load(args[0]);
        Path set = Path.of(args[1]), out = Path.of(args[2]);
        int limit = args.length > 3 ? Integer.parseInt(args[3]) : Integer.MAX_VALUE;
        String[] settings = (args.length > 4 ? args[4] : "1500,750,500,fit").split(",");
        Files.createDirectories(out);
        List<String> lines = Files.readAllLines(set.resolve("manifest.tsv"));
        List<String[]> clips = new ArrayList<>();
        for (String line : lines.subList(1, (int) Math.min(lines.size(), limit + 1L))) clips.add(line.split("\t"));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // Warm the kernels so the first setting does not pay the JIT.
        transcribe(engine, set.resolve(clips.get(0)[1]), TranscribeOptions.defaults());
        for (String setting : settings) {
            StringBuilder tsv = new StringBuilder();
            long cpu0 = os.getProcessCpuTime(), wall0 = System.nanoTime();
            for (String[] clip : clips) {
                int ctx = setting.equals("fit")
                        ? Math.min(1500, (int) Math.ceil(Double.parseDouble(clip[2]) * 50))
                        : Integer.parseInt(setting);
                String text = transcribe(engine, set.resolve(clip[1]), TranscribeOptions.defaults().withAudioCtx(ctx));
                tsv.append(clip[0]).append('\t').append(text.replace('\t', ' ').replace('\n', ' ')).append('\n');
            }
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9, wall = (System.nanoTime() - wall0) / 1e9;
            Files.writeString(out.resolve("ctx-" + setting + ".tsv"), tsv);
            System.out.printf("audio ctx %s: %d clips, %.1f s process CPU, %.1f s wall (load %.1f)%n",
                    setting, clips.size(), cpu, wall, os.getSystemLoadAverage());
        }
    }

    private static String transcribe(WhisperEngine engine, Path file, TranscribeOptions options) {
        StringBuilder text = new StringBuilder();
        for (Segment s : engine.transcribe(file, options)) text.append(s.text());
        return text.toString().strip();
    }
}
