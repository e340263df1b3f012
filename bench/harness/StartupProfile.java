import com.sun.management.OperatingSystemMXBean;
import io.auricle.audio.AudioFile;
import io.auricle.audio.LogMel;
import io.auricle.model.Checkpoint;
import io.auricle.model.ModelRegistry;
import io.auricle.model.WhisperModel;
import io.auricle.tokenizer.Tokenizer;
import io.auricle.transcribe.TranscribeOptions;
import io.auricle.transcribe.WhisperEngine;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the CLI's time to first segment goes, phase by phase, in process CPU time (the machine is shared, so
 * wall time says little) and resident memory. Run by bench/harness/startup-profile with the launcher's JVM flags:
 *   StartupProfile MODEL AUDIO
 * The transcription runs twice (-Druns=N: N times): the second run's cost is the work itself, the difference is warm-up and JIT.
 * -Dbatch=N: the VAD-batched pipeline with batch size N.
 */
public class StartupProfile {
    static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    static long lastCpu, lastWall;

    public static void main(String[] args) throws Exception {
        System.out.printf("%-36s %8s %8s %8s %8s%n", "phase", "CPU ms", "wall ms", "RSS MiB", "heap MiB");
        // Before main: from the JVM's recorded start (epoch ms) and all the CPU the process has used so far.
        long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        lastWall = System.nanoTime() - sinceStart * 1_000_000L;
        phase("JVM start to main");
        Checkpoint checkpoint = ModelRegistry.load(args[0]);
        phase("checkpoint (map + read tensors)");
        WhisperModel model = new WhisperModel(checkpoint);
        phase("WhisperModel (prepare weights)");
        Tokenizer tokenizer = Tokenizer.of(checkpoint);
        phase("tokenizer");
        if (Boolean.getBoolean("loadOnly")) return;
        WhisperEngine engine = new WhisperEngine(model, tokenizer);
        int warm = Integer.getInteger("warmup", 0), ctx = Integer.getInteger("warmup.ctx", 16);
        if (warm > 0) {
            float[][] mel = new float[model.dims().nMels()][2 * ctx];
            for (int i = 0; i < warm; i++) model.embedAudio(mel, ctx);
            phase("warm-up: " + warm + " x encoder @" + ctx);
        }
        for (int run = 1, runs = Integer.getInteger("runs", 2); run <= runs; run++) {
            float[] audio = AudioFile.readAll(Path.of(args[1]));
            phase("run " + run + ": read audio");
            int batch = Integer.getInteger("batch", 0);
            var t = engine.transcribe(audio, batch > 0 ? TranscribeOptions.defaults().withBatchSize(batch)
                    : TranscribeOptions.defaults());
            phase("run " + run + ": log-mel");
            var it = t.iterator();
            it.next();
            phase("run " + run + ": first segment (enc+dec)");
            while (it.hasNext()) it.next();
            phase("run " + run + ": rest of the file");
        }
    }

    static void phase(String name) throws Exception {
        long cpu = OS.getProcessCpuTime();
        long wall = System.nanoTime();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("%-36s %8d %8d %8d %8d%n", name, (cpu - lastCpu) / 1_000_000, (wall - lastWall) / 1_000_000,
                rssMiB(), (rt.totalMemory() - rt.freeMemory()) >> 20);
        lastCpu = cpu;
        lastWall = wall;
    }

    static long rssMiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
        }
        return -1;
    }
}
