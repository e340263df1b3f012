package io.auricle.tensor;

/**
 * A weight prepared by {@link VectorOps}: the stored rows (read in their own type by the skinny products) and,
 * made on the first product with many rows (by the pool of that product), the panels the packed GEMM reads
 * (float32, or fp16 for an fp16 weight prepared for few rows).
 *
 * <p>Packing waits for first use so that matrices only ever applied to a few rows (most of the decoder, the
 * vocabulary projection) never hold a float32 copy; each matrix is packed once, by whichever thread first needs it.
 */
final class PreparedMatrix implements Matrix {
    private final Tensor source;
    private final WeightRows rows;
    /** Panels in fp16 ({@link Gemm.HalfPacked}) rather than float32. */
    private final boolean halfPanels;
    private volatile Gemm.Panels panels;

    PreparedMatrix(Tensor source) {
        this(source, false);
    }

    /**
     * @param halfPanels keep the GEMM panels in fp16 (widened a block at a time): only for an fp16 weight, whose
     *                   values they then hold exactly, and one multiplied by many rows only now and then
     */
    PreparedMatrix(Tensor source, boolean halfPanels) {
        if (halfPanels && source.type() != DType.F16) {
            throw new IllegalArgumentException("fp16 panels for a " + source.type() + " weight would round it");
        }
        this.source = source;
        this.rows = new WeightRows(source);
        this.halfPanels = halfPanels;
    }

    boolean hasHalfPanels() {
        return halfPanels;
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

    /** The GEMM panels, made on first use by {@code pool}, in fp16 when {@link #hasHalfPanels}. */
    Gemm.Panels panels(Parallel pool) {
        Gemm.Panels p = panels;
        if (p == null) {
            synchronized (this) {
                p = panels;
                if (p == null) {
                    panels = p = Gemm.packTransposed(rows, pool, halfPanels);
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
