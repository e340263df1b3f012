package io.auricle.tokenizer;

import io.auricle.AuricleException;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Byte-level BPE driven by ranks alone, as tiktoken does: repeatedly merge the adjacent pair whose concatenation
 * is the token of lowest rank (leftmost on ties) until no adjacent pair is a token. A token's id is its rank, so
 * no merges list is needed. Lookups go through an open-addressing table over one byte pool, allocation-free.
 */
final class BytePairEncoder {
    /** Pieces longer than this merge with a heap (n log n) instead of tiktoken's linear rescans (n²). */
    static final int LONG_PIECE = 96;

    private final byte[] pool;
    private final int[] offsets; // token r's bytes are pool[offsets[r] .. offsets[r + 1])
    private final int[] slots; // rank + 1 of the token hashed there, 0 if empty
    private final int mask;
    private final int[] byteRanks = new int[256];

    BytePairEncoder(List<byte[]> vocabulary, String source) {
        int n = vocabulary.size();
        offsets = new int[n + 1];
        long total = 0;
        for (int r = 0; r < n; r++) total += vocabulary.get(r).length;
        if (total > Integer.MAX_VALUE) throw new AuricleException(source + ": vocabulary too large");
        pool = new byte[(int) total];
        for (int r = 0; r < n; r++) {
            byte[] token = vocabulary.get(r);
            System.arraycopy(token, 0, pool, offsets[r], token.length);
            offsets[r + 1] = offsets[r] + token.length;
        }
        slots = new int[Integer.highestOneBit(Math.max(n, 1)) * 4];
        mask = slots.length - 1;
        for (int r = 0; r < n; r++) {
            int length = offsets[r + 1] - offsets[r];
            if (length == 0 || rank(pool, offsets[r], offsets[r + 1]) >= 0) continue; // keep the lowest rank
            int slot = hash(pool, offsets[r], offsets[r + 1]) & mask;
            while (slots[slot] != 0) slot = (slot + 1) & mask;
            slots[slot] = r + 1;
        }
        byte[] one = new byte[1];
        for (int b = 0; b < 256; b++) {
            one[0] = (byte) b;
            byteRanks[b] = rank(one, 0, 1);
            if (byteRanks[b] < 0) {
                throw new AuricleException(String.format("%s: vocabulary lacks the single byte 0x%02x", source, b));
            }
        }
    }

    int size() {
        return offsets.length - 1;
    }

    byte[] bytes(int rank) {
        return Arrays.copyOfRange(pool, offsets[rank], offsets[rank + 1]);
    }

    /** Appends token {@code rank}'s bytes to {@code out} at {@code at}; returns the new end. */
    int copyBytes(int rank, byte[] out, int at) {
        int length = offsets[rank + 1] - offsets[rank];
        System.arraycopy(pool, offsets[rank], out, at, length);
        return at + length;
    }

    int length(int rank) {
        return offsets[rank + 1] - offsets[rank];
    }

    /** The rank of the token spelled {@code bytes[from..to)}, or -1 if there is none. */
    int rank(byte[] bytes, int from, int to) {
        int slot = hash(bytes, from, to) & mask;
        int length = to - from;
        for (int entry; (entry = slots[slot]) != 0; slot = (slot + 1) & mask) {
            int r = entry - 1, start = offsets[r];
            if (offsets[r + 1] - start == length
                    && Arrays.equals(pool, start, start + length, bytes, from, to)) return r;
        }
        return -1;
    }

    private static int hash(byte[] bytes, int from, int to) {
        int h = 0x811C9DC5; // FNV-1a, then a final mix so the low bits used by the mask are well spread
        for (int i = from; i < to; i++) h = (h ^ (bytes[i] & 0xFF)) * 0x01000193;
        return h ^ (h >>> 15);
    }

    /** The token ids of one pre-tokenized piece. */
    int[] encode(byte[] piece) {
        int n = piece.length;
        if (n == 1) return new int[] {byteRanks[piece[0] & 0xFF]};
        int whole = rank(piece, 0, n);
        if (whole >= 0) return new int[] {whole}; // tiktoken's shortcut; BPE would reach the same token
        return n > LONG_PIECE ? mergeWithHeap(piece) : mergeByScan(piece);
    }

    /**
     * tiktoken's loop: {@code starts} holds the part boundaries, {@code pairRanks[i]} the rank of parts i and i+1
     * joined. Each step merges the lowest-ranked pair and recomputes the two pairs beside it.
     */
    int[] mergeByScan(byte[] piece) {
        int n = piece.length;
        int[] starts = new int[n + 1];
        int[] pairRanks = new int[n];
        for (int i = 0; i <= n; i++) starts[i] = i;
        for (int i = 0; i < n - 1; i++) pairRanks[i] = pairRank(piece, starts, n + 1, i);
        int parts = n; // boundaries in use: parts + 1
        while (parts > 1) {
            int best = -1, bestRank = Integer.MAX_VALUE;
            for (int i = 0; i < parts - 1; i++) {
                int r = pairRanks[i];
                if (r >= 0 && r < bestRank) {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) break;
            System.arraycopy(starts, best + 2, starts, best + 1, parts - best - 1);
            System.arraycopy(pairRanks, best + 1, pairRanks, best, parts - best - 2);
            parts--;
            pairRanks[best] = pairRank(piece, starts, parts + 1, best);
            if (best > 0) pairRanks[best - 1] = pairRank(piece, starts, parts + 1, best - 1);
        }
        int[] ids = new int[parts];
        for (int i = 0; i < parts; i++) ids[i] = rank(piece, starts[i], starts[i + 1]);
        return ids;
    }

    private int pairRank(byte[] piece, int[] starts, int boundaries, int i) {
        return i + 2 < boundaries ? rank(piece, starts[i], starts[i + 2]) : -1;
    }

    /**
     * The same merges for long pieces: parts form a linked list, candidate pairs sit in a heap keyed by (rank,
     * start). A popped pair is stale if its start was merged away or the pair there now spells another token.
     */
    int[] mergeWithHeap(byte[] piece) {
        int n = piece.length;
        int[] next = new int[n]; // start of the following part, n at the end; -1 once merged away
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1;
            prev[i] = i - 1;
        }
        PriorityQueue<Long> heap = new PriorityQueue<>();
        for (int i = 0; i < n - 1; i++) offer(heap, piece, next, i);
        int parts = n;
        while (!heap.isEmpty()) {
            long key = heap.poll();
            int start = (int) key, rank = (int) (key >>> 32);
            if (next[start] < 0 || next[start] >= n || rank(piece, start, next[next[start]]) != rank) continue;
            int gone = next[start];
            next[start] = next[gone];
            if (next[start] < n) prev[next[start]] = start;
            next[gone] = -1;
            parts--;
            offer(heap, piece, next, start);
            if (prev[start] >= 0) offer(heap, piece, next, prev[start]);
        }
        int[] ids = new int[parts];
        for (int i = 0, at = 0; at < n; at = next[at]) ids[i++] = rank(piece, at, next[at]);
        return ids;
    }

    private void offer(PriorityQueue<Long> heap, byte[] piece, int[] next, int start) {
        int second = next[start];
        if (second >= piece.length) return;
        int r = rank(piece, start, next[second]);
        if (r >= 0) heap.add(((long) r << 32) | start);
    }
}
