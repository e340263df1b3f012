package io.auricle.bench;

import io.auricle.audio.AudioFile;
import io.auricle.audio.LogMel;
import io.auricle.decoding.DecodingOptions;
import io.auricle.decoding.DecodingResult;
import io.auricle.decoding.DecodingTask;
import io.auricle.model.Checkpoint;
import io.auricle.model.CheckpointLoader;
import io.auricle.model.ComputeType;
import io.auricle.model.WhisperModel;
import io.auricle.tokenizer.Tokenizer;
import io.auricle.tensor.Ops;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy one-window transcripts of every clip of a speech set (each <= 30 s) in several decoder compute types, for
 * the WER comparison of docs/inference.md. The encoder does not depend on the compute type (it always runs on the
 * stored weights), so each clip is encoded once and decoded once per type: a quarter of the CLI's cost on a loaded
 * machine. Writes {@code OUT/<type>.tsv} (id, text, tokens) and prints how many clips decode to the same tokens as
 * the first type:
 *
 * <pre>java ... io.auricle.bench.ComputeTypeTranscripts MODEL_DIR SET_DIR OUT float32 float16 int8 q8_0</pre>
 */
public final class ComputeTypeTranscripts {
    private ComputeTypeTranscripts() {}

    public static void main(String[] args) throws IOException {
        Path modelDir = Path.of(args[0]), set = Path.of(args[1]), out = Path.of(args[2]);
        List<String> types = Arrays.asList(args).subList(3, args.length);
        Checkpoint checkpoint = CheckpointLoader.load(modelDir);
        Tokenizer tokenizer = Tokenizer.of(checkpoint);
        WhisperModel[] models = new WhisperModel[types.size()];
        for (int t = 0; t < models.length; t++) models[t] = new WhisperModel(checkpoint, Ops.get(), ComputeType.parse(types.get(t)));
        Files.createDirectories(out);
        PrintWriter[] tsv = new PrintWriter[models.length];
        for (int t = 0; t < models.length; t++) tsv[t] = new PrintWriter(Files.newBufferedWriter(out.resolve(types.get(t) + ".tsv")));
        int[] same = new int[models.length];
        int clips = 0;
        long[] decodeNanos = new long[models.length];
        List<String> rows = Files.readAllLines(set.resolve("manifest.tsv"));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split("\t");
            float[][] mel = LogMel.padded(AudioFile.readAll(set.resolve(f[1])), checkpoint.dims().nMels());
            float[][] window = LogMel.window(mel, 0, Math.min(3000, LogMel.contentFrames(mel)));
            float[] audio = models[0].embedAudio(window);
            int[] first = null;
            for (int t = 0; t < models.length; t++) {
                long t0 = System.nanoTime();
                DecodingResult r = new DecodingTask(models[t], tokenizer, DecodingOptions.defaults()).run(audio);
                decodeNanos[t] += System.nanoTime() - t0;
                if (t == 0) first = r.tokens();
                if (Arrays.equals(first, r.tokens())) same[t]++;
                tsv[t].println(f[0] + "\t" + r.text().replace('\t', ' ') + "\t" + Arrays.toString(r.tokens()));
                tsv[t].flush();
            }
            clips++;
        }
        for (PrintWriter w : tsv) w.close();
        for (int t = 0; t < models.length; t++) {
            System.out.printf("%s: %d of %d clips with the same tokens as %s; decoding %.1f s wall%n", types.get(t),
                    same[t], clips, types.get(0), decodeNanos[t] / 1e9);
        }
    }
}
