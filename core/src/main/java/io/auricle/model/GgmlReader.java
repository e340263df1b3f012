package io.auricle.model;

import io.auricle.AuricleException;
import io.auricle.tensor.DType;
import io.auricle.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads whisper.cpp's legacy ggml model file (not GGUF): magic, 11 hyperparameters, mel filters, the
 * vocabulary as raw bytes, then tensors until the end of the file, each with its shape reversed (ne[0] is the
 * innermost dimension). Tensor names are already openai-whisper's; tensors are slices of the mapped file.
 */
public final class GgmlReader {
    static final int MAGIC = 0x67676d6c;
    /** GGML_QNT_VERSION_FACTOR: quantized files store ftype + 1000 * qnt_version. */
    static final int QNT_VERSION_FACTOR = 1000;

    private GgmlReader() {}

    /** True when the file starts with ggml's magic. */
    static boolean isGgml(MemorySegment file) {
        return file.byteSize() >= 4 && file.get(ValueLayout.JAVA_INT_UNALIGNED, 0) == MAGIC;
    }

    public static Checkpoint read(Path path) {
        MemorySegment file = MappedFile.map(path);
        BinaryCursor in = new BinaryCursor(file, path.toString());
        if (in.remaining() < 4 || in.i32("magic") != MAGIC) throw in.error("not a ggml file (wrong magic)");
        int nVocab = in.i32("n_vocab"), audioCtx = in.i32("n_audio_ctx"), audioState = in.i32("n_audio_state");
        int audioHead = in.i32("n_audio_head"), audioLayer = in.i32("n_audio_layer"), textCtx = in.i32("n_text_ctx");
        int textState = in.i32("n_text_state"), textHead = in.i32("n_text_head"), textLayer = in.i32("n_text_layer");
        int nMels = in.i32("n_mels");
        int ftype = in.i32("ftype") % QNT_VERSION_FACTOR;
        ModelDimensions dims = new ModelDimensions(nMels, audioCtx, audioState, audioHead, audioLayer, nVocab, textCtx,
                textState, textHead, textLayer);
        String source = path + " (ggml " + ftypeName(ftype) + ")";
        CanonicalTensors.checkDims(dims, source);

        int filterMels = in.i32("mel filter rows"), filterBins = in.i32("mel filter columns");
        if (filterMels != nMels || filterBins <= 0 || filterBins > 4096) {
            throw in.error("mel filters are " + filterMels + " x " + filterBins + " but n_mels is " + nMels);
        }
        in.slice(4L * filterMels * filterBins, "mel filters");

        List<byte[]> vocabulary = vocabulary(in, dims);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, int[]> expected = CanonicalTensors.expected(dims);
        while (!in.atEnd()) {
            Tensor t = tensor(in, expected);
            if (tensors.put(t.name(), t) != null) throw in.error("tensor " + t.name() + " appears twice");
        }
        CanonicalTensors.check(tensors, dims, source);
        int[][] heads = AlignmentHeads.forCheckpoint(dims, path.getFileName().toString());
        // ggml files carry no suppress lists; the decoder derives openai-whisper's from the tokenizer.
        return new Checkpoint(dims, tensors, vocabulary, heads, new int[0], new int[0], source);
    }

    /** The regular tokens; converters from HF vocab.json may append specials, which are dropped here. */
    private static List<byte[]> vocabulary(BinaryCursor in, ModelDimensions dims) {
        int count = in.i32("vocabulary size");
        int regular = dims.nVocab() - 1509 - dims.numLanguages();
        if (count < regular || count > dims.nVocab()) {
            throw in.error("the vocabulary has " + count + " tokens but n_vocab " + dims.nVocab() + " implies " + regular
                    + " regular ones");
        }
        List<byte[]> tokens = new ArrayList<>(regular);
        for (int i = 0; i < count; i++) {
            int length = in.i32("length of token " + i);
            if (length < 0 || length > 1024) throw in.error("token " + i + " has length " + length);
            byte[] token = in.bytes(length, "token " + i);
            if (i < regular) tokens.add(token);
        }
        return List.copyOf(tokens);
    }

    private static Tensor tensor(BinaryCursor in, Map<String, int[]> expected) {
        long at = in.position();
        int rank = in.i32("tensor rank at offset " + at);
        int nameLength = in.i32("tensor name length at offset " + at);
        int ttype = in.i32("tensor type at offset " + at);
        if (rank < 1 || rank > 4) throw in.error("tensor at offset " + at + " has rank " + rank);
        if (nameLength <= 0 || nameLength > 256) throw in.error("tensor at offset " + at + " has name length " + nameLength);
        int[] ne = new int[rank];
        for (int k = 0; k < rank; k++) {
            ne[k] = in.i32("tensor shape at offset " + at);
            if (ne[k] <= 0) throw in.error("tensor at offset " + at + " has dimension " + ne[k]);
        }
        String name = in.utf8(nameLength, "tensor name at offset " + at);
        DType type = dtype(ttype, in, name);
        int[] shape = new int[rank];
        long numel = 1;
        for (int k = 0; k < rank; k++) {
            shape[k] = ne[rank - 1 - k];
            numel *= shape[k];
            if (numel > 1L << 36) throw in.error(name + " has an absurd shape " + Arrays.toString(ne) + " (ne)");
        }
        if (numel % type.blockSize != 0) throw in.error(name + ": " + numel + " elements do not fill " + type + " blocks");
        MemorySegment data = in.slice(type.byteSize(numel), name + " data");
        // The converter stores conv biases as [d, 1]; the canonical shape is [d].
        int[] canonical = expected.get(name);
        if (canonical != null && !Arrays.equals(canonical, shape) && Tensor.numel(canonical) == numel
                && Arrays.equals(squeeze(canonical), squeeze(shape))) {
            shape = canonical;
        }
        return Tensor.of(name, type, shape, data);
    }

    private static int[] squeeze(int[] shape) {
        return Arrays.stream(shape).filter(d -> d != 1).toArray();
    }

    /** ggml_type ids (ggml.h). */
    static DType dtype(int ttype, BinaryCursor in, String name) {
        return switch (ttype) {
            case 0 -> DType.F32;
            case 1 -> DType.F16;
            case 2 -> DType.Q4_0;
            case 3 -> DType.Q4_1;
            case 6 -> DType.Q5_0;
            case 7 -> DType.Q5_1;
            case 8 -> DType.Q8_0;
            default -> throw in.error(name + " has ggml type " + ttype + ", which Auricle does not read"
                    + (ttype >= 10 ? " (k-quants are not supported)" : ""));
        };
    }

    static int ttype(DType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q4_1 -> 3;
            case Q5_0 -> 6;
            case Q5_1 -> 7;
            case Q8_0 -> 8;
            default -> throw new IllegalArgumentException(type + " has no ggml type");
        };
    }

    /** ggml_ftype ids (ggml.h) of whole files. */
    static String ftypeName(int ftype) {
        return switch (ftype) {
            case 0 -> "f32";
            case 1 -> "f16";
            case 2 -> "q4_0";
            case 3 -> "q4_1";
            case 7 -> "q8_0";
            case 8 -> "q5_0";
            case 9 -> "q5_1";
            default -> "ftype " + ftype;
        };
    }
}
