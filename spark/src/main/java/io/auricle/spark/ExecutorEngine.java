package io.auricle.spark;

import io.auricle.model.Checkpoint;
import io.auricle.model.ComputeType;
import io.auricle.model.ModelRegistry;
import io.auricle.model.WhisperModel;
import io.auricle.tensor.VectorOps;
import io.auricle.tokenizer.Tokenizer;
import io.auricle.transcribe.WhisperEngine;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One engine per executor JVM and model, loaded on first use and then shared by every task slot of that
 * executor: the weights are memory-mapped once, and each transcription keeps its own decoder caches.
 *
 * <p>The kernels get their own pool of {@code threads} (spark.task.cpus unless set). The pool serves one task
 * at a time; a task that finds it busy runs its kernels on its own thread. So with the default (one core per
 * task, one kernel thread) each slot keeps exactly one core busy and slots never fight kernel workers.
 */
final class ExecutorEngine {
    private static final Map<String, WhisperEngine> ENGINES = new ConcurrentHashMap<>();

    private ExecutorEngine() {}

    static WhisperEngine get(String model, int threads, ComputeType computeType) {
        return ENGINES.computeIfAbsent(model + "#" + threads + "#" + computeType,
                key -> load(model, threads, computeType));
    }

    private static WhisperEngine load(String model, int threads, ComputeType computeType) {
        Checkpoint checkpoint = ModelRegistry.load(model);
        // LogMel and anything else reading the property follow the same thread budget.
        System.setProperty("auricle.threads", Integer.toString(threads));
        return new WhisperEngine(new WhisperModel(checkpoint, VectorOps.withThreads(threads), computeType), Tokenizer.of(checkpoint));
    }
}
