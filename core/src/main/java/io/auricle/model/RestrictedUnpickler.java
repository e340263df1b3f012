package io.auricle.model;

import io.auricle.AuricleException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle reader for PyTorch checkpoints that runs nothing: it knows the opcodes torch.save emits and builds
 * plain values (maps, lists, tuples, strings, numbers) plus tensor references. Only the globals a weights file
 * needs are accepted (as torch's weights_only unpickler does); a pickle naming any other callable is refused
 * at once, so a hostile file cannot make the loader do anything.
 */
final class RestrictedUnpickler {

    /** A pickled tuple. */
    record Tuple(List<Object> items) {}

    /** A module-level name the pickle asked for (already checked against the allow-list). */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A persistent storage reference: ('storage', class, key, location, numel). */
    record Storage(String key, String storageClass, long numel) {}

    /** torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...). */
    record TensorRef(Storage storage, long offset, long[] size, long[] stride) {}

    static final Set<String> ALLOWED = Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter", "torch.HalfStorage", "torch.FloatStorage", "torch.BFloat16Storage",
            "torch.DoubleStorage", "torch.LongStorage", "torch.IntStorage");

    private static final Object MARK = new Object();
    private final MemorySegment data;
    private final String file;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long pos;

    private RestrictedUnpickler(MemorySegment data, String file) {
        this.data = data;
        this.file = file;
    }

    static Object load(MemorySegment pickle, String file) {
        return new RestrictedUnpickler(pickle, file).run();
    }

    private Object run() {
        while (true) {
            long at = pos;
            int op = u8();
            switch (op) {
                case 0x80 -> u8(); // PROTO
                case 0x95 -> bytes(8); // FRAME: a length hint only
                case '.' -> { // STOP
                    if (stack.size() != 1) throw error("pickle ends with " + stack.size() + " values on the stack", at);
                    return stack.getFirst();
                }
                case '}' -> push(new LinkedHashMap<>());
                case ']' -> push(new ArrayList<>());
                case ')' -> push(new Tuple(List.of()));
                case '(' -> push(MARK);
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'K' -> push((long) u8());
                case 'M' -> push((long) (u8() | u8() << 8));
                case 'J' -> push((long) i32());
                case 0x8a -> push(long1(u8(), at));
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(data.get(ValueLayout.JAVA_LONG_UNALIGNED, need(8)))));
                case 'X' -> push(text(u32(at)));
                case 0x8c -> push(text(u8()));
                case 0x8d -> push(text(i64(at)));
                case 'C' -> push(bytes(u8()));
                case 'B' -> push(bytes(u32(at)));
                case 'q' -> memo.put((long) u8(), peek(at));
                case 'r' -> memo.put(u32(at), peek(at));
                case 0x94 -> memo.put((long) memo.size(), peek(at));
                case 'h' -> push(memo(u8(), at));
                case 'j' -> push(memo(u32(at), at));
                case 't' -> push(new Tuple(popToMark(at)));
                case 0x85 -> push(new Tuple(List.of(pop(at))));
                case 0x86 -> { Object b = pop(at), a = pop(at); push(new Tuple(List.of(a, b))); }
                case 0x87 -> { Object c = pop(at), b = pop(at), a = pop(at); push(new Tuple(List.of(a, b, c))); }
                case 'a' -> { Object v = pop(at); list(peek(at), at).add(v); }
                case 'e' -> { List<Object> items = popToMark(at); list(peek(at), at).addAll(items); }
                case 's' -> { Object v = pop(at), k = pop(at); map(peek(at), at).put(k, v); }
                case 'u' -> {
                    List<Object> items = popToMark(at);
                    Map<Object, Object> m = map(peek(at), at);
                    for (int i = 0; i + 1 < items.size(); i += 2) m.put(items.get(i), items.get(i + 1));
                }
                case 'c' -> push(global(line(at), line(at), at));
                case 0x93 -> { Object name = pop(at), module = pop(at); push(global(str(module, at), str(name, at), at)); }
                case 'R' -> { Object args = pop(at), callable = pop(at); push(call(callable, args, at)); }
                case 'b' -> { // BUILD: only OrderedDict's _metadata, which we do not need
                    pop(at);
                    if (!(peek(at) instanceof Map)) throw error("BUILD on a " + kind(peek(at)), at);
                }
                case 'Q' -> push(persistent(pop(at), at));
                default -> throw error(String.format("unsupported pickle opcode 0x%02x", op), at);
            }
        }
    }

    private Global global(String module, String name, long at) {
        String q = module + "." + name;
        if (!ALLOWED.contains(q)) {
            throw new AuricleException(file + ": the pickle asks for " + q + ", which a checkpoint never needs; refusing to load it");
        }
        return new Global(module, name);
    }

    private Object call(Object callable, Object args, long at) {
        if (!(callable instanceof Global g)) throw error("REDUCE on a " + kind(callable), at);
        if (!(args instanceof Tuple t)) throw error("REDUCE with non-tuple arguments", at);
        List<Object> a = t.items();
        return switch (g.qualified()) {
            case "collections.OrderedDict" -> {
                if (!a.isEmpty()) throw error("OrderedDict with arguments", at);
                yield new LinkedHashMap<>();
            }
            case "torch._utils._rebuild_tensor_v2" -> {
                if (a.size() < 4 || !(a.get(0) instanceof Storage s)) throw error("malformed _rebuild_tensor_v2", at);
                yield new TensorRef(s, num(a.get(1), at), longs(a.get(2), at), longs(a.get(3), at));
            }
            case "torch._utils._rebuild_parameter" -> {
                if (a.isEmpty() || !(a.get(0) instanceof TensorRef)) throw error("malformed _rebuild_parameter", at);
                yield a.get(0);
            }
            default -> throw new AuricleException(file + ": the pickle calls " + g.qualified() + "; refusing to load it");
        };
    }

    private Storage persistent(Object pid, long at) {
        if (!(pid instanceof Tuple t) || t.items().size() != 5 || !"storage".equals(t.items().get(0))
                || !(t.items().get(1) instanceof Global cls) || !(t.items().get(2) instanceof String key)) {
            throw error("unknown persistent id " + pid, at);
        }
        return new Storage(key, cls.name(), num(t.items().get(4), at));
    }

    private long[] longs(Object o, long at) {
        if (!(o instanceof Tuple t)) throw error("expected a tuple of sizes", at);
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) out[i] = num(t.items().get(i), at);
        return out;
    }

    private long num(Object o, long at) {
        if (o instanceof Long l) return l;
        throw error("expected an integer, found a " + kind(o), at);
    }

    private String str(Object o, long at) {
        if (o instanceof String s) return s;
        throw error("expected a string, found a " + kind(o), at);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, long at) {
        if (o instanceof List<?> l) return (List<Object>) l;
        throw error("APPEND to a " + kind(o), at);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object o, long at) {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw error("SETITEM on a " + kind(o), at);
    }

    private static String kind(Object o) {
        return o == null ? "None" : o == MARK ? "mark" : o.getClass().getSimpleName();
    }

    private Object long1(int n, long at) {
        if (n > 8) throw error("integer of " + n + " bytes", at);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[n - 1 - i] = (byte) u8(); // little-endian two's complement
        return n == 0 ? 0L : new BigInteger(b).longValue();
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop(long at) {
        if (stack.isEmpty() || stack.getLast() == MARK) throw error("stack underflow", at);
        return stack.removeLast();
    }

    private Object peek(long at) {
        if (stack.isEmpty() || stack.getLast() == MARK) throw error("stack underflow", at);
        return stack.getLast();
    }

    private List<Object> popToMark(long at) {
        int mark = stack.lastIndexOf(MARK);
        if (mark < 0) throw error("no MARK on the stack", at);
        List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    private Object memo(long key, long at) {
        if (!memo.containsKey(key)) throw error("memo key " + key + " was never stored", at);
        return memo.get(key);
    }

    private AuricleException error(String reason, long at) {
        return new AuricleException(file + ": bad pickle at byte " + at + ": " + reason);
    }

    private long need(long n) {
        if (n < 0 || pos + n > data.byteSize()) throw error("truncated", pos);
        long at = pos;
        pos += n;
        return at;
    }

    private int u8() {
        return data.get(ValueLayout.JAVA_BYTE, need(1)) & 0xFF;
    }

    private int i32() {
        return data.get(ValueLayout.JAVA_INT_UNALIGNED, need(4));
    }

    private long u32(long at) {
        return i32() & 0xFFFF_FFFFL;
    }

    private long i64(long at) {
        return data.get(ValueLayout.JAVA_LONG_UNALIGNED, need(8));
    }

    private byte[] bytes(long n) {
        if (n > data.byteSize()) throw error("a string longer than the pickle", pos);
        return data.asSlice(need(n), n).toArray(ValueLayout.JAVA_BYTE);
    }

    private String text(long n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    /** GLOBAL's operands: newline-terminated ASCII. */
    private String line(long at) {
        StringBuilder sb = new StringBuilder();
        for (int c = u8(); c != '\n'; c = u8()) {
            if (sb.length() > 256) throw error("GLOBAL name too long", at);
            sb.append((char) c);
        }
        return sb.toString();
    }
}
