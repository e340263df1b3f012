package io.auricle.timing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.auricle.transcribe.Segment;
import io.auricle.transcribe.Word;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The squeeze of word edges out of silent stretches, on the word layouts DTW produced on edge_cases. */
class SilenceClampTest {

    static List<double[]> spans(double... edges) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < edges.length; i += 2) out.add(new double[] {edges[i], edges[i + 1]});
        return out;
    }

    static double[] flat(List<double[]> spans) {
        return spans.stream().flatMapToDouble(Arrays::stream).map(x -> Math.round(x * 1000) / 1000.0).toArray();
    }

    @Test
    void firstWordStartsWhereTheLeadingSilenceEnds() {
        // declaration_sil20start_sil20mid: " When" 19.58-20.26 s after 20 s of zeros
        List<double[]> s = spans(19.58, 20.26, 20.26, 20.5);
        SilenceClamp.squeeze(s, 0.0, 20.0);
        assertArrayEquals(new double[] {20.0, 20.26, 20.26, 20.5}, flat(s));
    }

    @Test
    void wordsStretchedIntoAGapAreSqueezedBeforeIt() {
        // " of" 79.5-79.9, " and" 79.90-82.98, " happiness." 82.98-82.98 (speech ends at 80.9), next word at 100.9+
        List<double[]> s = spans(79.5, 79.9, 79.9, 82.98, 82.98, 82.98, 101.2, 101.5);
        SilenceClamp.squeeze(s, 80.9, 100.9);
        assertArrayEquals(new double[] {79.5, 79.9, 79.9, 80.9, 80.9, 80.9, 101.2, 101.5}, flat(s));
    }

    @Test
    void insideWordsGoToTheNearerSide() {
        // a word ending at the gap, one inside near its start, one inside near its end, one crossing its end
        List<double[]> s = spans(9.0, 10.0, 10.0, 11.0, 18.0, 19.0, 19.0, 21.0);
        SilenceClamp.squeeze(s, 10.0, 20.0);
        assertArrayEquals(new double[] {9.0, 9.5, 9.5, 10.0, 20.0, 20.333, 20.333, 21.0}, flat(s));
    }

    @Test
    void oneWordAcrossTheSilenceKeepsItsLongerSide() {
        List<double[]> s = spans(4.0, 12.5);
        SilenceClamp.squeeze(s, 5.0, 12.0);
        assertArrayEquals(new double[] {4.0, 5.0}, flat(s));
    }

    @Test
    void silencesAreRunsOfFloorFramesOfAtLeastTwentyFrames() {
        float[][] mel = new float[2][100];
        for (float[] bin : mel) Arrays.fill(bin, 0.5f);
        for (int f = 10; f < 40; f++) { mel[0][f] = -0.5f; mel[1][f] = -0.4f; } // 30 frames within 0.25 of the floor
        for (int f = 60; f < 75; f++) { mel[0][f] = -0.5f; mel[1][f] = -0.5f; } // only 15 frames
        List<double[]> found = SilenceClamp.silences(mel, 0, 100, -0.5f);
        assertEquals(1, found.size());
        assertArrayEquals(new double[] {0.10, 0.40}, found.getFirst(), 1e-12);
    }

    @Test
    void segmentsFollowTheirWords() {
        Segment s = new Segment(0, 0, 19.58, 21.0, " When in", new int[0], 0, 0, 0, 0,
                List.of(new Word(19.58, 20.26, " When", 0.9), new Word(20.26, 21.0, " in", 0.9)));
        Segment out = SilenceClamp.apply(List.of(s), List.<double[]>of(new double[] {0.0, 20.0})).getFirst();
        assertEquals(20.0, out.start());
        assertEquals(21.0, out.end());
        assertEquals(new Word(20.0, 20.26, " When", 0.9), out.words().getFirst());
    }
}
