package io.auricle.tensor;

/**
 * A weight prepared by {@link VectorOps}: the stored rows (read in their own type by the skinny products) and the
 * panels the packed GEMM reads, kept as {@link Store} says.
 *
 * <p>Kept panels wait for the first product with many rows, so that a matrix only ever applied to a few rows (the
 * vocabulary projection) never holds a float32 copy; each matrix is packed once, by whichever thread first needs it.
 */
final class PreparedMatrix implements Matrix {
    /** How the GEMM's panels of a weight are kept. */
    enum Store {
        /** float32 panels, made once (a reference for the others, and what the compact store is for other types). */
        FLOAT,
        /**
         * Panels as compact as the weight's type allows, made once: fp16 for fp16, int8 and scales for int8 and q8_0
         * (float32 otherwise), widened whole to float32 by each product that reads them, a weight at a time: for
         * weights multiplied by many rows every window (the encoder's, the cross-attention's keys and values). At
         * tiny.en the encoder's panels take 14 MB in fp16 and 7 MB in int8 instead of 28 MB.
         */
        COMPACT,
        /**
         * None kept: each product with many rows packs the panels it needs from the stored rows (a decoder weight,
         * multiplied by many rows only for a prompt, once a window: 19 MB of fp16 panels at tiny.en not held, 38 MB of
         * float32 ones for an int8 decoder).
         */
        PER_PRODUCT
    }

    private final Tensor source;
    private final WeightRows rows;
    private final Store store;
    private volatile Gemm.Panels panels;

    PreparedMatrix(Tensor source, Store store) {
        this.source = source;
        this.rows = new WeightRows(source);
        this.store = store;
    }

    Store store() {
        return store;
    }

    @Override
    public int rows() {
        return rows.rows();
    }

    @Override
    public int cols() {
        return rows.cols();
    }

    @Override
    public Tensor source() {
        return source;
    }

    WeightRows weightRows() {
        return rows;
    }

    /** Whether the panels exist yet. */
    boolean isPacked() {
        return panels != null;
    }

    /** The kept GEMM panels, made on first use by {@code pool} (not for {@link Store#PER_PRODUCT}). */
    Gemm.Panels panels(Parallel pool) {
        if (store == Store.PER_PRODUCT) throw new IllegalStateException("no panels are kept for " + source);
        Gemm.Panels p = panels;
        if (p == null) {
            synchronized (this) {
                p = panels;
                if (p == null) {
                    panels = p = Gemm.packTransposed(rows, pool, store == Store.COMPACT);
                    releasePages(source.data());
                }
            }
        }
        return p;
    }

    /**
     * Drops a mapped weight's pages from the process (they stay in the page cache) once its panels exist: the
     * encoder's matrices are then read only as panels, and their file pages (16 MB at tiny.en in fp16, 40 MB at
     * base) no longer count in its memory. A matrix also read row by row (the decoder's) faults its pages back in
     * on its next step, once.
     */
    private static void releasePages(java.lang.foreign.MemorySegment data) {
        if (data.isMapped()) data.unload();
    }

    @Override
    public String toString() {
        return "prepared " + source;
    }
}
