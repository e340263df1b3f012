package io.auricle.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Packs files into partitions of about equal audio duration (not equal file count): one three-hour recording
 * and a thousand short clips should not land as one file per slot. Longest first, each file into the
 * lightest partition so far (the LPT rule, within 4/3 of the best possible makespan).
 */
final class DurationPlanner {
    /** Bytes per second assumed when a file does not declare its duration (about 128 kbit/s). */
    static final double BYTES_PER_SECOND_GUESS = 16_000;

    /** One file to transcribe, with the duration its header declares (NaN when unknown or unreadable). */
    record AudioTask(String path, long size, double duration) implements Serializable {
        /** The duration used for planning: the declared one, else guessed from the size; at least one second. */
        double weight() {
            double seconds = Double.isNaN(duration) ? size / BYTES_PER_SECOND_GUESS : duration;
            return Math.max(1, seconds);
        }
    }

    private DurationPlanner() {}

    /**
     * At least {@code minPartitions} (so every slot gets work, when there are that many files), more when the
     * audio exceeds {@code maxPartitionSeconds} per partition; never more partitions than files.
     */
    static List<List<AudioTask>> plan(List<AudioTask> tasks, int minPartitions, double maxPartitionSeconds) {
        if (tasks.isEmpty()) return List.of();
        double total = tasks.stream().mapToDouble(AudioTask::weight).sum();
        int count = (int) Math.max(minPartitions, Math.ceil(total / maxPartitionSeconds));
        count = Math.max(1, Math.min(count, tasks.size()));
        List<AudioTask> longestFirst = new ArrayList<>(tasks);
        longestFirst.sort(Comparator.comparingDouble(AudioTask::weight).reversed().thenComparing(AudioTask::path));
        record Bin(int index, List<AudioTask> tasks, double[] seconds) {}
        PriorityQueue<Bin> lightest = new PriorityQueue<>(
                Comparator.comparingDouble((Bin b) -> b.seconds()[0]).thenComparingInt(Bin::index));
        List<Bin> bins = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Bin b = new Bin(i, new ArrayList<>(), new double[1]);
            bins.add(b);
            lightest.add(b);
        }
        for (AudioTask t : longestFirst) {
            Bin b = lightest.poll();
            b.tasks().add(t);
            b.seconds()[0] += t.weight();
            lightest.add(b);
        }
        List<List<AudioTask>> plan = new ArrayList<>();
        for (Bin b : bins) plan.add(List.copyOf(b.tasks()));
        return plan;
    }
}
