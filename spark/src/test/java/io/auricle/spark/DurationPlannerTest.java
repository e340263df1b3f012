package io.auricle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.auricle.spark.DurationPlanner.AudioTask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurationPlannerTest {

    private static List<String> paths(List<AudioTask> bin) {
        return bin.stream().map(AudioTask::path).toList();
    }

    /** One long file and many short ones: the long one gets a partition to itself, the short ones share. */
    @Test
    void balancesByDurationNotByFileCount() {
        List<AudioTask> tasks = new ArrayList<>();
        tasks.add(new AudioTask("long", 0, 3600));
        for (int i = 0; i < 6; i++) tasks.add(new AudioTask("short" + i, 0, 600));
        List<List<AudioTask>> plan = DurationPlanner.plan(tasks, 2, 1e9);
        assertEquals(2, plan.size());
        assertEquals(List.of("long"), paths(plan.get(0)));
        assertEquals(6, plan.get(1).size());
    }

    @Test
    void splitsAudioLongerThanThePartitionLimitAndNeverMakesEmptyPartitions() {
        List<AudioTask> tasks = List.of(new AudioTask("a", 0, 60), new AudioTask("b", 0, 60), new AudioTask("c", 0, 60));
        assertEquals(3, DurationPlanner.plan(tasks, 1, 60).size());
        assertEquals(3, DurationPlanner.plan(tasks, 8, 1e9).size());
        assertEquals(List.of(), DurationPlanner.plan(List.of(), 4, 60));
    }

    /** A file whose header gives no duration weighs by its size (16 kB per second), at least one second. */
    @Test
    void unknownDurationsAreGuessedFromTheSize() {
        assertEquals(100, new AudioTask("x", 1_600_000, Double.NaN).weight());
        assertEquals(1, new AudioTask("y", -1, Double.NaN).weight());
        assertEquals(1, new AudioTask("z", 10, 0.02).weight());
    }
}
