package io.auricle.model;

import io.auricle.tensor.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The decoder's state for one audio window: per layer, the self-attention keys and values of every token
 * decoded so far (appended one step at a time) and the cross-attention keys and values of the encoder output
 * (computed once per window, reused for every token). One thread at a time uses a cache (it holds working arrays).
 *
 * <p>The self-attention rows grow with the tokens ({@link #ensureRoom}), doubling up to the text context: a window
 * holds a few dozen to a few hundred tokens of 448, and beams and samples fork their caches, so sizing every
 * cache to the whole context made 5.5 MB per fork at tiny (147 MB at large), nearly all of it never written; a
 * beam-5 run over 186 short clips grew the JVM to 4 GB.
 */
public final class KvCache {

    /**
     * One layer's cache: the self-attention keys and values of tokens {@code [shared, ..)} in {@code selfK, selfV}
     * (row {@code t} at {@code t - shared}), those of tokens {@code [0, shared)} in {@code sharedK, sharedV} (the
     * first rows of the cache a fork was made from, which its forks share: a beam's prompt), and the window's
     * cross K/V (shared by forks).
     */
    record Layer(float[] selfK, float[] selfV, Cross cross, float[] sharedK, float[] sharedV, int shared) {
        /** A layer that holds all its tokens' rows itself. */
        Layer(float[] selfK, float[] selfV, Cross cross) {
            this(selfK, selfV, cross, null, null, 0);
        }

        int nAudioCtx() {
            return cross.nAudioCtx();
        }

        /** Stores token {@code t}'s key and value ({@code d} floats each, from {@code k[kOff..]}, {@code v[vOff..]}). */
        void put(int t, float[] k, int kOff, float[] v, int vOff, int d) {
            System.arraycopy(k, kOff, selfK, (t - shared) * d, d);
            System.arraycopy(v, vOff, selfV, (t - shared) * d, d);
        }
    }

    /**
     * One layer's cross-attention keys and values: float32 {@code [nAudioCtx, d]} ({@code k}, {@code v}), or fp16
     * ({@code halfK} in the kernels' own layout, {@code halfV} each head's rows contiguous): a decoder step reads
     * all of them, so fp16 halves the bytes per token.
     */
    record Cross(float[] k, float[] v, short[] halfK, short[] halfV, int nAudioCtx) {

        static Cross of(float[] k, float[] v, int nAudioCtx) {
            return new Cross(k, v, null, null, nAudioCtx);
        }

        /**
         * Rounds float32 {@code k, v [nAudioCtx, nHead * headDim]} to fp16 in the layouts {@code ops} reads, into the
         * arrays of {@code reuse} (null, or an fp16 entry of the same shape) when it has them.
         */
        static Cross half(Ops ops, float[] k, float[] v, int nAudioCtx, int nHead, Cross reuse) {
            short[] oldK = reuse == null ? null : reuse.halfK(), oldV = reuse == null ? null : reuse.halfV();
            return new Cross(null, null, ops.halfKeys(k, nAudioCtx, nHead, oldK),
                    Ops.halfHeadMajor(v, nAudioCtx, nHead, oldV), nAudioCtx);
        }

        boolean isHalf() {
            return halfK != null;
        }
    }

    /** Rows allocated for the first tokens; {@link #ensureRoom} doubles from there. */
    static final int INITIAL_ROWS = 64;

    private final Layer[] layers;
    private final int capacity;
    /** Rows of self-attention keys and values allocated in every layer's own arrays, at most {@code capacity}. */
    private int rows;
    /** Tokens whose rows are shared (the layers' {@code shared}). */
    private int shared;
    private final DecoderWorkspace workspace; // never shared: forks get their own
    private int length;
    /** Shared by a window's cache, its forks, and the caches later windows make over their arrays. */
    private final Forks forks;

    /**
     * The forks of a line of windows: those in use, and those released ({@link #releaseForks}) whose arrays the
     * next {@link #fork} takes over, so that beams and samples do not allocate (and promote) caches every window.
     */
    private static final class Forks {
        final List<KvCache> inUse = new ArrayList<>();
        final List<KvCache> released = new ArrayList<>();
        /** The cache whose first {@code sharedRows} rows the forks in use share; null when none are in use. */
        KvCache sharer;
        int sharedRows;
    }

    /** {@code layers} each hold {@code rows} rows of self-attention keys and values (at most {@code capacity}). */
    KvCache(Layer[] layers, int capacity, int rows) {
        this(layers, capacity, rows, new Forks(), new DecoderWorkspace());
    }

    /**
     * A cache made over {@code done}'s arrays (see TextDecoder#newCache): it takes over its workspace and inherits
     * its forks, all released.
     */
    KvCache(Layer[] layers, int capacity, int rows, KvCache done) {
        this(layers, capacity, rows, done.forks, done.workspace);
        done.releaseForks();
    }

    private KvCache(Layer[] layers, int capacity, int rows, Forks forks, DecoderWorkspace workspace) {
        if (rows > capacity) throw new IllegalArgumentException(rows + " rows for a context of " + capacity);
        this.layers = layers;
        this.capacity = capacity;
        this.rows = rows;
        this.forks = forks;
        this.workspace = workspace;
    }

    /**
     * Makes room for {@code n} more tokens, growing every layer's keys and values (kept) if needed; the decoder
     * calls it before a step, then reads {@link #layer} afresh.
     */
    void ensureRoom(int n) {
        int needed = length + n;
        if (needed > capacity) {
            throw new IllegalArgumentException("the text context holds " + capacity + " tokens, asked for " + needed);
        }
        grow(needed - shared);
    }

    /** Grows the own arrays to at least {@code needed} rows (kept). */
    private void grow(int needed) {
        if (needed <= rows) return;
        int grown = Math.min(capacity, Math.max(needed, 2 * rows));
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            int d = l.selfK().length / rows;
            layers[i] = new Layer(Arrays.copyOf(l.selfK(), grown * d), Arrays.copyOf(l.selfV(), grown * d), l.cross(),
                    l.sharedK(), l.sharedV(), l.shared());
        }
        rows = grown;
    }

    Layer layer(int i) {
        return layers[i];
    }

    /** Rows of self-attention keys and values each layer's own arrays hold now. */
    int rows() {
        return rows;
    }

    /** Tokens whose keys and values this cache reads from the cache it was forked from (0 for a window's own cache). */
    int sharedRows() {
        return shared;
    }

    /** Whether another window's cross-attention of {@code nAudioCtx} positions fits this cache's arrays. */
    boolean fits(int layerCount, int nAudioCtx, boolean half) {
        Cross c = layers.length == layerCount ? layers[0].cross() : null;
        return c != null && c.nAudioCtx() == nAudioCtx && c.isHalf() == half;
    }

    DecoderWorkspace workspace() {
        return workspace;
    }

    /** Tokens whose keys and values are cached: the position of the next token. */
    public int length() {
        return length;
    }

    /** The most tokens it can hold (the decoder's text context). */
    public int capacity() {
        return capacity;
    }

    /** Forgets the tokens from {@code length} on, e.g. to decode the same window again from its prompt. */
    public void truncate(int length) {
        if (length < 0 || length > this.length) {
            throw new IllegalArgumentException("cannot truncate " + this.length + " cached tokens to " + length);
        }
        if (length < shared || (forks.sharer == this && length < forks.sharedRows)) {
            throw new IllegalStateException("forks in use share the first " + Math.max(shared, forks.sharedRows)
                    + " tokens; cannot truncate to " + length);
        }
        this.length = length;
    }

    /**
     * A cache of the same window for another hypothesis (a beam, a sample): it shares this one's cross-attention
     * keys and values (read-only) and holds its tokens. The first fork of a decoding run marks the tokens its source
     * holds then (the prompt) as shared: every fork made until {@link #releaseForks} reads their self-attention keys
     * and values from that cache's arrays instead of copying them (at beam 5, 4 copies of a 228-token prompt: 11 MB
     * at tiny.en, 300 MB at large), and that cache may not drop them meanwhile ({@link #truncate}).
     */
    public KvCache fork() {
        int share;
        if (shared > 0) {
            share = shared; // a fork of a fork shares the same rows
        } else {
            if (forks.inUse.isEmpty()) {
                forks.sharer = this;
                forks.sharedRows = length;
            }
            share = forks.sharer == this ? forks.sharedRows : 0;
        }
        int own = Math.min(capacity, Math.max(INITIAL_ROWS, length - share));
        KvCache copy;
        if (forks.released.isEmpty()) {
            Layer[] fresh = new Layer[layers.length];
            for (int i = 0; i < layers.length; i++) {
                int d = layers[i].selfK().length / rows;
                fresh[i] = new Layer(new float[own * d], new float[own * d], null);
            }
            copy = new KvCache(fresh, capacity, own, forks, new DecoderWorkspace());
        } else { // a released fork's arrays
            copy = forks.released.removeLast();
        }
        for (int i = 0; i < layers.length; i++) {
            Layer l = copy.layers[i], from = layers[i];
            float[] sk = share == 0 ? null : shared > 0 ? from.sharedK() : from.selfK();
            float[] sv = share == 0 ? null : shared > 0 ? from.sharedV() : from.selfV();
            copy.layers[i] = new Layer(l.selfK(), l.selfV(), from.cross(), sk, sv, share);
        }
        copy.shared = share;
        copy.length = share;
        copy.copyFrom(this, share);
        forks.inUse.add(copy);
        return copy;
    }

    /**
     * Declares every fork made so far in this line of windows finished (their arrays go to later forks): a decoding
     * run calls it when done with the forks it made, and a cache made over this one's arrays does it too.
     */
    public void releaseForks() {
        forks.released.addAll(forks.inUse);
        forks.inUse.clear();
        forks.sharer = null;
        forks.sharedRows = 0;
    }

    /**
     * Makes this cache hold the tokens of {@code source}, a fork of the same window, copying only positions
     * {@code from..} (a beam reorder: below {@code from} both already hold the same tokens, hence the same keys).
     * Rows this cache shares are not written (they hold the same tokens: the prompt of both).
     */
    public void copyFrom(KvCache source, int from) {
        if (source.layers.length != layers.length || source.capacity != capacity) {
            throw new IllegalArgumentException("caches of different models");
        }
        if (from < 0 || from > source.length || from > length) {
            throw new IllegalArgumentException("cannot copy from position " + from + " of " + source.length + " tokens");
        }
        grow(source.length - shared);
        int start = Math.max(from, shared);
        for (int i = 0; i < layers.length; i++) {
            Layer src = source.layers[i], dst = layers[i];
            int d = dst.selfK().length / rows;
            // rows below the source's shared ones come from its shared arrays, the rest from its own
            int split = Math.min(Math.max(start, src.shared()), source.length);
            if (start < split) {
                System.arraycopy(src.sharedK(), start * d, dst.selfK(), (start - shared) * d, (split - start) * d);
                System.arraycopy(src.sharedV(), start * d, dst.selfV(), (start - shared) * d, (split - start) * d);
            }
            int n = source.length - split;
            if (n > 0) {
                System.arraycopy(src.selfK(), (split - src.shared()) * d, dst.selfK(), (split - shared) * d, n * d);
                System.arraycopy(src.selfV(), (split - src.shared()) * d, dst.selfV(), (split - shared) * d, n * d);
            }
        }
        length = source.length;
    }

    void advance(int n) {
        length += n;
    }
}
