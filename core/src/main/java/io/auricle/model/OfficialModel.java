package io.auricle.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The official Whisper checkpoints: their names, hyperparameters and OpenAI's alignment heads (the base85 +
 * gzip blobs of openai/whisper {@code whisper/__init__.py} {@code _ALIGNMENT_HEADS}; each unpacks to one byte
 * per (layer, head) in row-major order, 1 for an alignment head).
 */
public enum OfficialModel {
    TINY_EN("tiny.en", 384, 6, 4, 4, 51864, 80, "ABzY8J1N>@0{>%R00Bk>$p{7v037`oCl~+#00"),
    TINY("tiny", 384, 6, 4, 4, 51865, 80, "ABzY8bu8Lr0{>%RKn9Fp%m@SkK7Kt=7ytkO"),
    BASE_EN("base.en", 512, 8, 6, 6, 51864, 80, "ABzY8;40c<0{>%RzzG;p*o+Vo09|#PsxSZm00"),
    BASE("base", 512, 8, 6, 6, 51865, 80, "ABzY8KQ!870{>%RzyTQH3`Q^yNP!>##QT-<FaQ7m"),
    SMALL_EN("small.en", 768, 12, 12, 12, 51864, 80, "ABzY8>?_)10{>%RpeA61k&I|OI3I$65C{;;pbCHh0B{qLQ;+}v00"),
    SMALL("small", 768, 12, 12, 12, 51865, 80, "ABzY8DmU6=0{>%Rpa?J`kvJ6qF(V^F86#Xh7JUGMK}P<N0000"),
    MEDIUM_EN("medium.en", 1024, 16, 24, 24, 51864, 80, "ABzY8usPae0{>%R7<zz_OvQ{)4kMa0BMw6u5rT}kRKX;$NfYBv00*Hl@qhsU00"),
    MEDIUM("medium", 1024, 16, 24, 24, 51865, 80, "ABzY8B0Jh+0{>%R7}kK1fFL7w6%<-Pf*t^=N)Qr&0RR9"),
    LARGE_V1("large-v1", 1280, 20, 32, 32, 51865, 80, "ABzY8r9j$a0{>%R7#4sLmoOs{s)o3~84-RPdcFk!JR<kSfC2yj"),
    LARGE_V2("large-v2", 1280, 20, 32, 32, 51865, 80,
            "ABzY8zd+h!0{>%R7=D0pU<_bnWW*tkYAhobTNnu$jnkEkXqp)j;w1Tzk)UH3X%SZd&fFZ2fC2yj"),
    LARGE_V3("large-v3", 1280, 20, 32, 32, 51866, 128, "ABzY8gWO1E0{>%R7(9S+Kn!D~%ngiGaR?*L!iJG9p-nab0JQ=-{D1-g00"),
    TURBO("turbo", 1280, 20, 32, 4, 51866, 128, "ABzY8j^C+e0{>%RARaKHP%t(lGR*)0g!tONPyhe`");

    /** The name users type (openai-whisper's and faster-whisper's key). */
    public final String id;
    public final ModelDimensions dims;
    private final String alignmentBlob;

    OfficialModel(String id, int state, int heads, int audioLayers, int textLayers, int vocab, int mels,
            String alignmentBlob) {
        this.id = id;
        this.dims = new ModelDimensions(mels, 1500, state, heads, audioLayers, vocab, 448, state, heads, textLayers);
        this.alignmentBlob = alignmentBlob;
    }

    /** The Hugging Face repository of its CTranslate2 conversion, as faster-whisper's download_model uses. */
    public String ct2Repository() {
        return this == TURBO ? "mobiuslabsgmbh/faster-whisper-large-v3-turbo" : "Systran/faster-whisper-" + id;
    }

    /** OpenAI's alignment heads for this model as (layer, head) pairs. */
    public int[][] alignmentHeads() {
        return AlignmentHeads.decode(alignmentBlob, dims.nTextLayer(), dims.nTextHead());
    }

    /** The model with that name; "large" means large-v3 and "large-v3-turbo" turbo, as in openai-whisper. */
    public static Optional<OfficialModel> byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("large")) n = "large-v3";
        if (n.equals("large-v3-turbo")) n = "turbo";
        for (OfficialModel m : values()) if (m.id.equals(n)) return Optional.of(m);
        return Optional.empty();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(m -> m.id).toList();
    }

    /** The official models these hyperparameters match (two for large-v1/v2, which differ only in weights). */
    public static List<OfficialModel> withDims(ModelDimensions dims) {
        return Arrays.stream(values()).filter(m -> m.dims.equals(dims)).toList();
    }
}
