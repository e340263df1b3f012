package io.auricle.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.auricle.transcribe.Segment;
import io.auricle.transcribe.Word;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlignmentLagTest {
    @Test
    void wordsAndTheirSegmentMoveEarlierButNotBeforeZero() {
        Segment s = new Segment(0, 0, 0.0, 1.0, " Go forward", new int[0], 0, 0, 0, 0,
                List.of(new Word(0.04, 0.5, " Go", 0.9), new Word(0.5, 1.02, " forward", 0.8)));
        Segment out = AlignmentLag.shift(List.of(s), 0.08).getFirst();
        assertEquals(List.of(new Word(0.0, 0.42, " Go", 0.9), new Word(0.42, 0.94, " forward", 0.8)), out.words());
        assertEquals(0.0, out.start());
        assertEquals(0.94, out.end());
    }
}
