package io.auricle.model;

import io.auricle.AuricleException;
import io.auricle.model.RestrictedUnpickler.Storage;
import io.auricle.model.RestrictedUnpickler.TensorRef;
import io.auricle.tensor.DType;
import io.auricle.tensor.Tensor;
import io.auricle.tokenizer.Vocabularies;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads openai-whisper's .pt checkpoints: a torch.save zip (stored, uncompressed entries) holding data.pkl,
 * {"dims": {...}, "model_state_dict": {name: tensor}}, and one raw little-endian storage per data/KEY entry.
 * The pickle goes through {@link RestrictedUnpickler}; tensors are slices of the mapped zip. A .pt has no
 * vocabulary, so one is looked for next to it (openai-whisper's gpt2/multilingual.tiktoken, or tokenizer.json /
 * vocab.json).
 */
public final class TorchReader {
    private TorchReader() {}

    static boolean isZip(MemorySegment file) {
        return file.byteSize() >= 4 && file.get(ValueLayout.JAVA_INT_UNALIGNED, 0) == 0x04034b50;
    }

    public static Checkpoint read(Path path) {
        MemorySegment file = MappedFile.map(path);
        String name = path.toString();
        if (!isZip(file)) throw new AuricleException(name + ": not a zip-format PyTorch file (legacy torch files are not supported)");
        Map<String, MemorySegment> entries = zipEntries(file, name);
        String pkl = entries.keySet().stream().filter(e -> e.endsWith("/data.pkl") || e.equals("data.pkl")).findFirst()
                .orElseThrow(() -> new AuricleException(name + ": no data.pkl in the archive"));
        String root = pkl.substring(0, pkl.length() - "data.pkl".length());
        Object top = RestrictedUnpickler.load(entries.get(pkl), name);
        if (!(top instanceof Map<?, ?> m) || !(m.get("dims") instanceof Map<?, ?> dimMap)
                || !(m.get("model_state_dict") instanceof Map<?, ?> state)) {
            throw new AuricleException(name + ": not an openai-whisper checkpoint (no dims and model_state_dict)");
        }
        ModelDimensions dims = dims(dimMap, name);
        String source = path + " (PyTorch)";
        CanonicalTensors.checkDims(dims, source);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (var e : state.entrySet()) {
            if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof TensorRef ref)) {
                throw new AuricleException(name + ": model_state_dict entry " + e.getKey() + " is not a tensor");
            }
            tensors.put(key, tensor(key, ref, entries, root, name));
        }
        String types = tensors.values().stream().map(t -> t.type().name().toLowerCase()).distinct().sorted()
                .reduce((a, b) -> a + "+" + b).orElse("empty");
        source = path + " (PyTorch " + types + ")";
        CanonicalTensors.check(tensors, dims, source);
        List<byte[]> vocabulary = CheckpointLoader.checkVocabulary(vocabularyBeside(path, dims), dims, source);
        int[][] heads = AlignmentHeads.forCheckpoint(dims, path.getFileName().toString());
        return new Checkpoint(dims, tensors, vocabulary, heads, new int[0], new int[0], source);
    }

    /**
     * A .pt holds weights only: the vocabulary is openai-whisper's tiktoken file for the model's kind in the same
     * directory, else any vocabulary file a model directory may hold.
     */
    private static List<byte[]> vocabularyBeside(Path weights, ModelDimensions dims) {
        Path dir = weights.toAbsolutePath().getParent();
        Path tiktoken = dir.resolve(dims.isMultilingual() ? "multilingual.tiktoken" : "gpt2.tiktoken");
        if (Files.isRegularFile(tiktoken)) return Vocabularies.readTiktoken(tiktoken);
        for (String name : List.of("vocabulary.json", "vocabulary.txt", "tokenizer.json", "vocab.json")) {
            if (Files.isRegularFile(dir.resolve(name))) return Vocabularies.readRegular(dir);
        }
        throw new AuricleException(weights + ": a .pt file has no vocabulary; put openai-whisper's " + tiktoken.getFileName()
                + " (or a tokenizer.json) next to it");
    }

    private static ModelDimensions dims(Map<?, ?> d, String name) {
        int[] v = new int[10];
        String[] keys = {"n_mels", "n_audio_ctx", "n_audio_state", "n_audio_head", "n_audio_layer", "n_vocab",
                "n_text_ctx", "n_text_state", "n_text_head", "n_text_layer"};
        for (int i = 0; i < keys.length; i++) {
            if (!(d.get(keys[i]) instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw new AuricleException(name + ": dims has no integer " + keys[i]);
            }
            v[i] = (int) (long) l;
        }
        return new ModelDimensions(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    private static Tensor tensor(String key, TensorRef ref, Map<String, MemorySegment> entries, String root, String name) {
        Storage s = ref.storage();
        DType type = switch (s.storageClass()) {
            case "HalfStorage" -> DType.F16;
            case "FloatStorage" -> DType.F32;
            case "BFloat16Storage" -> DType.BF16;
            default -> throw new AuricleException(name + ": " + key + " is stored as " + s.storageClass()
                    + "; Auricle reads float16, float32 and bfloat16 weights");
        };
        MemorySegment storage = entries.get(root + "data/" + s.key());
        if (storage == null) throw new AuricleException(name + ": " + key + " refers to missing storage data/" + s.key());
        int[] shape = new int[ref.size().length];
        long numel = 1, stride = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            long d = ref.size()[k];
            if (d < 0 || d > Integer.MAX_VALUE) throw new AuricleException(name + ": " + key + " has an absurd dimension " + d);
            shape[k] = (int) d;
            if (d != 1 && ref.stride()[k] != stride) {
                throw new AuricleException(name + ": " + key + " is not contiguous (strides " + java.util.Arrays.toString(ref.stride()) + ")");
            }
            stride *= d;
            numel *= d;
            if (numel > 1L << 36) throw new AuricleException(name + ": " + key + " has an absurd shape");
        }
        long from = type.byteSize(ref.offset()), size = type.byteSize(numel);
        if (ref.offset() < 0 || from + size > storage.byteSize()) {
            throw new AuricleException(name + ": " + key + " reaches past the end of its storage data/" + s.key());
        }
        return Tensor.of(key, type, shape, storage.asSlice(from, size));
    }

    /** Stored entries of a zip by name, located through the central directory. */
    static Map<String, MemorySegment> zipEntries(MemorySegment zip, String name) {
        BinaryCursor probe = new BinaryCursor(zip, name);
        long eocd = -1;
        for (long at = zip.byteSize() - 22; at >= Math.max(0, zip.byteSize() - 22 - 65535); at--) {
            if (zip.get(ValueLayout.JAVA_INT_UNALIGNED, at) == 0x06054b50) {
                eocd = at;
                break;
            }
        }
        if (eocd < 0) throw probe.error("truncated zip (no end of central directory)");
        int count = zip.get(ValueLayout.JAVA_SHORT_UNALIGNED, eocd + 10) & 0xFFFF;
        long dirOffset = zip.get(ValueLayout.JAVA_INT_UNALIGNED, eocd + 16) & 0xFFFF_FFFFL;
        if (count == 0xFFFF || dirOffset == 0xFFFF_FFFFL) dirOffset = zip64Directory(zip, eocd, probe);
        BinaryCursor dir = new BinaryCursor(zip.asSlice(Math.min(dirOffset, zip.byteSize())), name);
        Map<String, MemorySegment> out = new HashMap<>();
        while (dir.remaining() >= 4 && dir.i32("central directory") == 0x02014b50) {
            dir.slice(6, "entry header");
            int method = dir.u16("compression method");
            dir.slice(8, "entry header");
            long compressed = dir.u32("compressed size");
            long size = dir.u32("size");
            int nameLength = dir.u16("name length"), extraLength = dir.u16("extra length"), comment = dir.u16("comment length");
            dir.slice(8, "entry header");
            long local = dir.u32("local header offset");
            String entry = new String(dir.bytes(nameLength, "entry name"), StandardCharsets.UTF_8);
            MemorySegment extra = dir.slice(extraLength, "extra field");
            dir.slice(comment, "comment");
            if (size == 0xFFFF_FFFFL || compressed == 0xFFFF_FFFFL || local == 0xFFFF_FFFFL) {
                long[] z = zip64Sizes(extra, size, compressed, local);
                size = z[0];
                compressed = z[1];
                local = z[2];
            }
            if (method != 0 || compressed != size) throw probe.error(entry + " is compressed; torch.save stores entries uncompressed");
            if (local + 30 > zip.byteSize()) throw probe.error("truncated zip: " + entry + " starts past the end");
            int localName = zip.get(ValueLayout.JAVA_SHORT_UNALIGNED, local + 26) & 0xFFFF;
            int localExtra = zip.get(ValueLayout.JAVA_SHORT_UNALIGNED, local + 28) & 0xFFFF;
            long start = local + 30 + localName + localExtra;
            if (start + size > zip.byteSize()) throw probe.error("truncated zip: " + entry + " runs past the end");
            out.put(entry, zip.asSlice(start, size));
        }
        if (out.isEmpty()) throw probe.error("empty or damaged zip");
        return out;
    }

    private static long zip64Directory(MemorySegment zip, long eocd, BinaryCursor probe) {
        long locator = eocd - 20;
        if (locator < 0 || zip.get(ValueLayout.JAVA_INT_UNALIGNED, locator) != 0x07064b50) throw probe.error("damaged zip64 archive");
        long record = zip.get(ValueLayout.JAVA_LONG_UNALIGNED, locator + 8);
        if (record < 0 || record + 56 > zip.byteSize()) throw probe.error("damaged zip64 archive");
        return zip.get(ValueLayout.JAVA_LONG_UNALIGNED, record + 48);
    }

    /** The zip64 extra field (id 1) holds, in order, whichever of size, compressed size and offset overflowed. */
    private static long[] zip64Sizes(MemorySegment extra, long size, long compressed, long local) {
        for (long at = 0; at + 4 <= extra.byteSize(); ) {
            int id = extra.get(ValueLayout.JAVA_SHORT_UNALIGNED, at) & 0xFFFF;
            int length = extra.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + 2) & 0xFFFF;
            if (id == 1) {
                long p = at + 4;
                if (size == 0xFFFF_FFFFL && p + 8 <= extra.byteSize()) { size = extra.get(ValueLayout.JAVA_LONG_UNALIGNED, p); p += 8; }
                if (compressed == 0xFFFF_FFFFL && p + 8 <= extra.byteSize()) { compressed = extra.get(ValueLayout.JAVA_LONG_UNALIGNED, p); p += 8; }
                if (local == 0xFFFF_FFFFL && p + 8 <= extra.byteSize()) local = extra.get(ValueLayout.JAVA_LONG_UNALIGNED, p);
                break;
            }
            at += 4 + length;
        }
        return new long[] {size, compressed, local};
    }
}
