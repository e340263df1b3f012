package io.auricle.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AlignmentHeadsTest {

    @Test
    void officialTableDecodesToOpenAIsHeads() {
        // model-formats.md: tiny -> (2,2),(3,0),(3,2),(3,3),(3,4),(3,5), as whisper.cpp's g_aheads_tiny
        assertArrayEquals(new int[][] {{2, 2}, {3, 0}, {3, 2}, {3, 3}, {3, 4}, {3, 5}}, OfficialModel.TINY.alignmentHeads());
        // CTranslate2's converter table (from openai/whisper v20231106) for base
        assertArrayEquals(new int[][] {{3, 1}, {4, 2}, {4, 3}, {4, 7}, {5, 1}, {5, 2}, {5, 4}, {5, 6}},
                OfficialModel.BASE.alignmentHeads());
        for (OfficialModel m : OfficialModel.values()) {
            int[][] heads = m.alignmentHeads();
            AlignmentHeads.check(heads, m.dims, m.id);
            assertEquals(true, heads.length > 0, m.id);
        }
    }

    @Test
    void tinyEnTableAgreesWithTheRealModelsConfig() {
        int[][] fromConfig = Ct2Reader.read(TestModels.real("tiny.en")).alignmentHeads();
        assertArrayEquals(fromConfig, OfficialModel.TINY_EN.alignmentHeads());
    }

    @Test
    void checkpointWithoutHeadsGetsTheTableOrTheUpperHalf() {
        assertArrayEquals(OfficialModel.SMALL_EN.alignmentHeads(), AlignmentHeads.forCheckpoint(OfficialModel.SMALL_EN.dims, null));
        // large-v1 and large-v2 share their hyperparameters: the file name decides, else the default rule
        assertArrayEquals(OfficialModel.LARGE_V1.alignmentHeads(),
                AlignmentHeads.forCheckpoint(OfficialModel.LARGE_V2.dims, "ggml-large-v1.bin"));
        assertArrayEquals(AlignmentHeads.upperHalf(OfficialModel.LARGE_V2.dims),
                AlignmentHeads.forCheckpoint(OfficialModel.LARGE_V2.dims, "custom.bin"));
        ModelDimensions custom = new ModelDimensions(80, 1500, 64, 2, 2, 51865, 448, 64, 2, 3);
        assertArrayEquals(new int[][] {{1, 0}, {1, 1}, {2, 0}, {2, 1}}, AlignmentHeads.forCheckpoint(custom, null));
    }

    @Test
    void base85MatchesPython() {
        // Python: base64.b85encode(b"Hello, World") == b"NM&qnZ!92JZ*pv8"
        assertEquals("Hello, World", new String(AlignmentHeads.base85("NM&qnZ!92JZ*pv8")));
    }
}
