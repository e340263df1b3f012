package io.auricle.model;

import io.auricle.AuricleException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Sequential little-endian reads over a mapped file, each bounds-checked so that a truncated or corrupt file
 * gives one clear error naming the file, the field and the offset instead of an index exception.
 */
final class BinaryCursor {
    private final MemorySegment data;
    private final String file;
    private long position;

    BinaryCursor(MemorySegment data, String file) {
        this.data = data;
        this.file = file;
    }

    long position() {
        return position;
    }

    long remaining() {
        return data.byteSize() - position;
    }

    boolean atEnd() {
        return position == data.byteSize();
    }

    int u8(String what) {
        need(1, what);
        return data.get(ValueLayout.JAVA_BYTE, position++) & 0xFF;
    }

    int u16(String what) {
        need(2, what);
        int v = data.get(ValueLayout.JAVA_SHORT_UNALIGNED, position) & 0xFFFF;
        position += 2;
        return v;
    }

    int i32(String what) {
        need(4, what);
        int v = data.get(ValueLayout.JAVA_INT_UNALIGNED, position);
        position += 4;
        return v;
    }

    /** An unsigned 32-bit value as long. */
    long u32(String what) {
        return i32(what) & 0xFFFF_FFFFL;
    }

    long i64(String what) {
        need(8, what);
        long v = data.get(ValueLayout.JAVA_LONG_UNALIGNED, position);
        position += 8;
        return v;
    }

    /** The next {@code length} bytes as a slice of the mapping (no copy). */
    MemorySegment slice(long length, String what) {
        if (length < 0) throw error(what + " has a negative size " + length);
        need(length, what);
        MemorySegment s = data.asSlice(position, length);
        position += length;
        return s;
    }

    byte[] bytes(int length, String what) {
        return slice(length, what).toArray(ValueLayout.JAVA_BYTE);
    }

    String utf8(int length, String what) {
        return new String(bytes(length, what), StandardCharsets.UTF_8);
    }

    AuricleException error(String reason) {
        return new AuricleException(file + ": " + reason);
    }

    private void need(long n, String what) {
        if (n > remaining()) {
            throw error("truncated: " + what + " needs " + n + " bytes at offset " + position + " but the file has "
                    + data.byteSize() + " bytes");
        }
    }
}
