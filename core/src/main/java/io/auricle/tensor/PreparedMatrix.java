package io.auricle.tensor;

/**
 * A weight prepared by {@link VectorOps}: the stored rows (read in their own type by the skinny products) and,
 * made on the first product with many rows (by the pool of that product), the float32 panels the packed GEMM wants.
 *
 * <p>Packing waits for first use so that matrices only ever applied to a few rows (most of the decoder, the
 * vocabulary projection) never hold a float32 copy; each matrix is packed once, by whichever thread first needs it.
 */
final class PreparedMatrix implements Matrix {
    private final Tensor source;
    private final WeightRows rows;
    private volatile Gemm.Packed packed;

    PreparedMatrix(Tensor source) {
        this.source = source;
        this.rows = new WeightRows(source);
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

    /** Whether the float32 panels exist yet. */
    boolean isPacked() {
        return packed != null;
    }

    Gemm.Packed packed(Parallel pool) {
        Gemm.Packed p = packed;
        if (p == null) {
            synchronized (this) {
                p = packed;
                if (p == null) {
                    packed = p = Gemm.packTransposed(rows, pool);
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
