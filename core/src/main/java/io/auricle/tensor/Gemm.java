package io.auricle.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A packed, register-tiled single-precision GEMM, {@code C[m, n] += A[m, k] · B[k, n]}, for one thread; callers
 * split rows or columns across threads.
 *
 * <p>B is packed once into panels {@link #NR} columns wide, k-major ({@code panel[k * NR + j]}), so the
 * micro-kernel reads it with unit stride. The micro-kernel keeps an {@code mr × NR} tile of C in registers: one
 * broadcast of A against two vectors of B per row and step. {@code mr} is 5 for 256-bit vectors: 10 accumulators
 * of the 16 registers (at 6 rows, or 4 × 3 vectors, C2 spills and the kernel runs at 60 %); 8 for 512-bit vectors
 * (16 of 32).
 *
 * <p>Loop order (measured on the AVX2 dev machine, see docs/kernels.md): the call's rows of A are packed once
 * per depth step ({@code mc × kc}); a block of {@link #NC_PANELS} panels by {@code kc} depth of B (about 290 KB)
 * stays in L2; each strip of {@code mr} rows of A (in L1) is passed along the block's panels, so consecutive tiles of C lie side by side in the same rows and the hardware
 * prefetcher streams them. Walking down the rows for one panel instead (the classic order, with A in L2) misses on
 * every C tile and ran at 60-65 % of this. {@code kc} splits the depth evenly in at most {@link #KC} steps, so a
 * depth of 384 is one pass over C, not two.
 */
final class Gemm {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int VL = F.length();
    /** Columns of a B panel: two vectors. */
    static final int NR = 2 * VL;
    /** Largest depth of a pass: a B micro-panel ({@code KC × NR}, 24 KB) streams from L2 with the A strip in L1. */
    static final int KC = Math.max(64, 6144 / NR);
    /** Panels of B per block: {@code KC × NC_PANELS × NR} floats (288 KB) stay in L2 while the strips of A pass. */
    static final int NC_PANELS = 12;
    /** The row strip height that fits the registers of this machine. */
    static final int DEFAULT_MR = VL >= 16 ? 8 : 5;

    private final int mr;
    /**
     * Rows per task when callers split a product across threads (a multiple of mr): their packed A
     * ({@code mc × kc}, 90 KB) stays in L2 beside the B block while it passes every column block.
     */
    final int mc;

    Gemm(int mr) {
        if (mr != 5 && mr != 8) throw new IllegalArgumentException("micro-kernel rows must be 5 or 8, got " + mr);
        this.mr = mr;
        this.mc = mr * (mr == 5 ? 12 : 8);
    }

    int mr() {
        return mr;
    }

    /**
     * B in panels: float32 ({@link Packed}), which the products read, or compact ({@link HalfPacked},
     * {@link BytePacked}), which a product first widens whole to float32 ({@link #widen(Panels, int, int, float[])}).
     */
    sealed interface Panels permits Packed, HalfPacked, BytePacked {
        int depth();

        int cols();

        default int panels() {
            return (cols() + NR - 1) / NR;
        }
    }

    /** B packed into panels: column {@code j}, depth {@code k} at {@code (j / NR) * depth * NR + k * NR + j % NR}. */
    record Packed(float[] data, int offset, int depth, int cols) implements Panels {
        static int size(int depth, int cols) {
            return (cols + NR - 1) / NR * NR * depth;
        }
    }

    /** B in fp16 panels, laid out as {@link Packed}: for a weight stored as fp16 (whose values fp16 holds exactly). */
    record HalfPacked(short[] data, int depth, int cols) implements Panels {}

    /**
     * B as int8 panels laid out as {@link Packed}, each value {@code q · scale}: the scale of column {@code j}'s
     * depths {@code [kb · block, (kb + 1) · block)} at {@code scales[((j / NR) · blocks + kb) · NR + j % NR]}, where
     * {@code blocks = depth / block}: for a weight stored as int8 with a scale per row ({@code block = depth}) or
     * per 32 values (q8_0), whose values {@code q · scale} give exactly.
     */
    record BytePacked(byte[] data, float[] scales, int block, int depth, int cols) implements Panels {}

    /**
     * {@code C[rows, cols] += A[rows, depth] · B[depth, cols]} over B's panels {@code [p0, p1)} only (columns
     * beyond {@code cols} are not written). A is row-major with stride {@code lda}, C with stride {@code ldc}.
     */
    void multiply(float[] a, int aOff, int lda, int rows, int depth, Packed b, int p0, int p1, int cols,
                  float[] c, int cOff, int ldc, Scratch s) {
        int passes = (depth + KC - 1) / KC;
        int kcMax = (depth + passes - 1) / passes;
        float[] ap = s.packA((rows + mr - 1) / mr * mr * kcMax);
        float[] tile = s.tile(mr * NR);
        for (int pc = 0; pc < depth; pc += kcMax) {
            int kc = Math.min(kcMax, depth - pc);
            packA(a, aOff + pc, lda, rows, kc, ap);
            for (int q0 = p0; q0 < p1; q0 += NC_PANELS) {
                int q1 = Math.min(p1, q0 + NC_PANELS);
                strips(ap, rows, kc, b.data, b.offset + q0 * b.depth * NR + pc * NR, b.depth * NR, q0, q1, cols,
                        c, cOff, ldc, tile);
            }
        }
    }

    /**
     * Panels {@code [p0, p1)} of compact panels widened to float32 into {@code dst}, in the same place as in a
     * {@link Packed} of all of them: the values a float32 packing of the same weight holds, bit for bit.
     */
    static void widen(Panels b, int p0, int p1, float[] dst) {
        int depth = b.depth(), panelSize = depth * NR;
        if (b instanceof HalfPacked h) {
            widen(h.data, p0 * panelSize, dst, p0 * panelSize, (p1 - p0) * panelSize);
        } else if (b instanceof BytePacked q) {
            int blocks = depth / q.block;
            for (int p = p0; p < p1; p++) {
                for (int kb = 0; kb < blocks; kb++) {
                    int scales = (p * blocks + kb) * NR;
                    for (int k = kb * q.block; k < (kb + 1) * q.block; k++) {
                        int at = p * panelSize + k * NR;
                        for (int j = 0; j < NR; j++) dst[at + j] = q.data[at + j] * q.scales[scales + j];
                    }
                }
            }
        } else {
            throw new IllegalArgumentException("float32 panels need no widening");
        }
    }

    /** fp16 to float; a plain counted loop, which C2 compiles to vector half-to-float conversions. */
    static void widen(short[] src, int from, float[] dst, int to, int len) {
        for (int i = 0; i < len; i++) dst[to + i] = Float.float16ToFloat(src[from + i]);
    }

    /**
     * Every strip of the packed rows of A ({@code ap}, depth {@code kc}) along panels {@code [q0, q1)} of B, whose
     * panel {@code q0} starts at {@code bBase} in {@code bData} and the next ones {@code panelStride} apart.
     */
    private void strips(float[] ap, int rows, int kc, float[] bData, int bBase, int panelStride, int q0, int q1,
                        int cols, float[] c, int cOff, int ldc, float[] tile) {
        for (int ir = 0; ir < rows; ir += mr) {
            int h = Math.min(mr, rows - ir);
            for (int p = q0; p < q1; p++) {
                int bOff = bBase + (p - q0) * panelStride;
                int width = Math.min(NR, cols - p * NR);
                int cO = cOff + ir * ldc + p * NR;
                if (h == mr && width == NR) {
                    kernel(ap, ir * kc, bData, bOff, kc, c, cO, ldc);
                } else {
                    // Edge tile: compute in a full-size buffer, copy back only what exists.
                    for (int r = 0; r < mr; r++) {
                        if (r < h) System.arraycopy(c, cO + r * ldc, tile, r * NR, width);
                        Arrays.fill(tile, r * NR + (r < h ? width : 0), (r + 1) * NR, 0f);
                    }
                    kernel(ap, ir * kc, bData, bOff, kc, tile, 0, NR);
                    for (int r = 0; r < h; r++) System.arraycopy(tile, r * NR, c, cO + r * ldc, width);
                }
            }
        }
    }

    /**
     * As {@link #multiply}, but full strips of A are read where they lie (row-major, stride {@code lda}) instead of
     * being packed: for an A that meets only a few panels of B, such as attention's probabilities against the four
     * panels of a head's values, where packing cost a fifth of the product (15 % of the tiny.en encoder's samples
     * with 512-bit vectors, before the 8-row kernel read A in place too).
     */
    void multiplyInPlaceA(float[] a, int aOff, int lda, int rows, int depth, Packed b, int p0, int p1, int cols,
                          float[] c, int cOff, int ldc, Scratch s) {
        int passes = (depth + KC - 1) / KC;
        int kcMax = (depth + passes - 1) / passes;
        float[] ap = s.packA(mr * kcMax);
        float[] tile = s.tile(mr * NR);
        for (int pc = 0; pc < depth; pc += kcMax) {
            int kc = Math.min(kcMax, depth - pc);
            for (int ir = 0; ir < rows; ir += mr) {
                int h = Math.min(mr, rows - ir);
                int aRow = aOff + ir * lda + pc;
                if (h < mr) packA(a, aRow, lda, h, kc, ap);
                for (int p = p0; p < p1; p++) {
                    int bOff = b.offset + p * b.depth * NR + pc * NR;
                    int width = Math.min(NR, cols - p * NR);
                    int cO = cOff + ir * ldc + p * NR;
                    if (h == mr && width == NR) {
                        kernelRows(a, aRow, lda, b.data, bOff, kc, c, cO, ldc);
                    } else {
                        for (int r = 0; r < mr; r++) {
                            if (r < h) System.arraycopy(c, cO + r * ldc, tile, r * NR, width);
                            Arrays.fill(tile, r * NR + (r < h ? width : 0), (r + 1) * NR, 0f);
                        }
                        if (h < mr) kernel(ap, 0, b.data, bOff, kc, tile, 0, NR);
                        else kernelRows(a, aRow, lda, b.data, bOff, kc, tile, 0, NR);
                        for (int r = 0; r < h; r++) System.arraycopy(tile, r * NR, c, cO + r * ldc, width);
                    }
                }
            }
        }
    }

    /** Packs {@code m × kc} of A into strips of mr rows, {@code ap[strip * kc * mr + k * mr + r]}, zero-padded. */
    private void packA(float[] a, int off, int lda, int m, int kc, float[] ap) {
        for (int ir = 0; ir < m; ir += mr) {
            int base = ir * kc;
            int h = Math.min(mr, m - ir);
            for (int r = 0; r < h; r++) {
                int src = off + (ir + r) * lda;
                for (int k = 0; k < kc; k++) ap[base + k * mr + r] = a[src + k];
            }
            for (int r = h; r < mr; r++) {
                for (int k = 0; k < kc; k++) ap[base + k * mr + r] = 0f;
            }
        }
    }

    private void kernel(float[] a, int aOff, float[] b, int bOff, int kc, float[] c, int cOff, int ldc) {
        if (mr == 5) kernel5(a, aOff, b, bOff, kc, c, cOff, ldc);
        else kernel8(a, aOff, b, bOff, kc, c, cOff, ldc);
    }

    /**
     * Packs B from rows of a weight {@code [cols, depth]} (each row one output column), zero-padded: panel by panel,
     * the panels split across the pool. Compact if {@code compact} and the weight's type allows it: fp16 panels for
     * fp16, int8 ones for int8 and q8_0; float32 otherwise.
     */
    static Panels packTransposed(WeightRows w, Parallel pool, boolean compact) {
        int depth = w.cols(), cols = w.rows(), size = Packed.size(depth, cols);
        int panels = (cols + NR - 1) / NR;
        int tasks = Math.min(panels, pool.threads() * 4);
        if (compact && w.int8Block() > 0) {
            int block = w.int8Block(), blocks = depth / block;
            byte[] data = new byte[size];
            float[] scales = new float[panels * blocks * NR];
            pool.run(tasks, t -> {
                Scratch s = Scratch.get();
                byte[] row = new byte[depth];
                float[] rowScales = new float[blocks];
                for (int p = panels * t / tasks; p < panels * (t + 1) / tasks; p++) {
                    for (int j = 0; j < Math.min(NR, cols - p * NR); j++) {
                        w.int8Row(p * NR + j, row, rowScales, s);
                        for (int k = 0; k < depth; k++) data[p * depth * NR + k * NR + j] = row[k];
                        for (int kb = 0; kb < blocks; kb++) scales[(p * blocks + kb) * NR + j] = rowScales[kb];
                    }
                }
            });
            return new BytePacked(data, scales, block, depth, cols);
        }
        boolean half = compact && w.type() == DType.F16;
        float[] data = half ? null : new float[size];
        short[] halves = half ? new short[size] : null;
        pool.run(tasks, t -> {
            Scratch s = Scratch.get();
            for (int p = panels * t / tasks; p < panels * (t + 1) / tasks; p++) {
                if (half) packPanelHalves(w, p, halves, p * depth * NR, s);
                else packPanel(w, p, data, p * depth * NR, s);
            }
        });
        return half ? new HalfPacked(halves, depth, cols) : new Packed(data, 0, depth, cols);
    }

    /**
     * Packs panels {@code [p0, p1)} of B from rows of a weight, as {@link #packTransposed} does, into {@code dst}
     * (at least {@code (p1 - p0) * NR * depth} floats), for a product that keeps no panels: the result's panel 0 is
     * panel {@code p0}.
     */
    static Packed packPanels(WeightRows w, int p0, int p1, float[] dst, Scratch s) {
        int depth = w.cols();
        for (int p = p0; p < p1; p++) packPanel(w, p, dst, (p - p0) * depth * NR, s);
        return new Packed(dst, 0, depth, Math.min(w.rows(), p1 * NR) - p0 * NR);
    }

    /**
     * Panel {@code p} of a weight's rows as float32, from {@code base} of {@code data}. The float16 panels have a
     * method of their own: one that did both was compiled anew when the second kind first came (a branch C2 had
     * left out), while the caller waited.
     */
    private static void packPanel(WeightRows w, int p, float[] data, int base, Scratch s) {
        int depth = w.cols(), width = Math.min(NR, w.rows() - p * NR);
        float[] rows = s.rows(NR * depth);
        w.decode(p * NR, width, rows, 0, s);
        for (int j = 0; j < width; j++) {
            for (int k = 0; k < depth; k++) data[base + k * NR + j] = rows[j * depth + k];
        }
        if (width < NR) { // a reused buffer: the padding columns must be zeros
            for (int k = 0; k < depth; k++) Arrays.fill(data, base + k * NR + width, base + (k + 1) * NR, 0f);
        }
    }

    /** Panel {@code p} of a weight's rows as float16, from {@code base} of a fresh {@code halves} (zero padding). */
    private static void packPanelHalves(WeightRows w, int p, short[] halves, int base, Scratch s) {
        int depth = w.cols(), width = Math.min(NR, w.rows() - p * NR);
        float[] rows = s.rows(NR * depth);
        w.decode(p * NR, width, rows, 0, s);
        for (int j = 0; j < width; j++) {
            for (int k = 0; k < depth; k++) halves[base + k * NR + j] = Float.floatToFloat16(rows[j * depth + k]);
        }
    }

    /**
     * Packs B from {@code rows} rows of a row-major matrix ({@code B[k, j] = src[off + k * ld + j]}, j < cols)
     * into {@code dst} from {@code dstOff}: panels are straight copies of row pieces.
     */
    static Packed packRows(float[] src, int off, int ld, int depth, int cols, float[] dst, int dstOff) {
        int panels = (cols + NR - 1) / NR;
        for (int p = 0; p < panels; p++) {
            int width = Math.min(NR, cols - p * NR);
            for (int k = 0; k < depth; k++) {
                int d = dstOff + p * depth * NR + k * NR;
                System.arraycopy(src, off + k * ld + p * NR, dst, d, width);
                if (width < NR) Arrays.fill(dst, d + width, d + NR, 0f);
            }
        }
        return new Packed(dst, dstOff, depth, cols);
    }

    /**
     * Packs B = {@code src}ᵀ: {@code B[k, j] = src[off + j * ld + k]} for j < cols (rows of src become columns),
     * into {@code dst} from {@code dstOff}.
     */
    static Packed packColumns(float[] src, int off, int ld, int depth, int cols, float[] dst, int dstOff) {
        int panels = (cols + NR - 1) / NR;
        for (int p = 0; p < panels; p++) {
            int base = dstOff + p * depth * NR;
            for (int jj = 0; jj < NR; jj++) {
                int j = p * NR + jj;
                if (j < cols) {
                    int srcRow = off + j * ld;
                    for (int k = 0; k < depth; k++) dst[base + k * NR + jj] = src[srcRow + k];
                } else {
                    for (int k = 0; k < depth; k++) dst[base + k * NR + jj] = 0f;
                }
            }
        }
        return new Packed(dst, dstOff, depth, cols);
    }

    private static void kernel5(float[] a, int aOff, float[] b, int bOff, int kc, float[] c, int cOff, int ldc) {
        int c0 = cOff, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc;
        FloatVector r00 = FloatVector.fromArray(F, c, c0), r01 = FloatVector.fromArray(F, c, c0 + VL);
        FloatVector r10 = FloatVector.fromArray(F, c, c1), r11 = FloatVector.fromArray(F, c, c1 + VL);
        FloatVector r20 = FloatVector.fromArray(F, c, c2), r21 = FloatVector.fromArray(F, c, c2 + VL);
        FloatVector r30 = FloatVector.fromArray(F, c, c3), r31 = FloatVector.fromArray(F, c, c3 + VL);
        FloatVector r40 = FloatVector.fromArray(F, c, c4), r41 = FloatVector.fromArray(F, c, c4 + VL);
        for (int k = 0; k < kc; k++) {
            // Offsets as linear functions of k let C2 hoist every bounds check out of the loop.
            int ai = aOff + k * 5, bi = bOff + k * NR;
            FloatVector b0 = FloatVector.fromArray(F, b, bi), b1 = FloatVector.fromArray(F, b, bi + VL);
            FloatVector x;
            x = FloatVector.broadcast(F, a[ai]);     r00 = x.fma(b0, r00); r01 = x.fma(b1, r01);
            x = FloatVector.broadcast(F, a[ai + 1]); r10 = x.fma(b0, r10); r11 = x.fma(b1, r11);
            x = FloatVector.broadcast(F, a[ai + 2]); r20 = x.fma(b0, r20); r21 = x.fma(b1, r21);
            x = FloatVector.broadcast(F, a[ai + 3]); r30 = x.fma(b0, r30); r31 = x.fma(b1, r31);
            x = FloatVector.broadcast(F, a[ai + 4]); r40 = x.fma(b0, r40); r41 = x.fma(b1, r41);
        }
        r00.intoArray(c, c0); r01.intoArray(c, c0 + VL);
        r10.intoArray(c, c1); r11.intoArray(c, c1 + VL);
        r20.intoArray(c, c2); r21.intoArray(c, c2 + VL);
        r30.intoArray(c, c3); r31.intoArray(c, c3 + VL);
        r40.intoArray(c, c4); r41.intoArray(c, c4 + VL);
    }

    /** The micro-kernel for mr rows of A read where they lie, {@code lda} apart. */
    private void kernelRows(float[] a, int aOff, int lda, float[] b, int bOff, int kc, float[] c, int cOff, int ldc) {
        if (mr == 8) kernel8Rows(a, aOff, lda, b, bOff, kc, c, cOff, ldc);
        else kernel5Rows(a, aOff, lda, b, bOff, kc, c, cOff, ldc);
    }

    /** {@link #kernel5} with A read from five rows {@code lda} apart. */
    private static void kernel5Rows(float[] a, int aOff, int lda, float[] b, int bOff, int kc, float[] c, int cOff, int ldc) {
        int a0 = aOff, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda;
        int c0 = cOff, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc;
        FloatVector r00 = FloatVector.fromArray(F, c, c0), r01 = FloatVector.fromArray(F, c, c0 + VL);
        FloatVector r10 = FloatVector.fromArray(F, c, c1), r11 = FloatVector.fromArray(F, c, c1 + VL);
        FloatVector r20 = FloatVector.fromArray(F, c, c2), r21 = FloatVector.fromArray(F, c, c2 + VL);
        FloatVector r30 = FloatVector.fromArray(F, c, c3), r31 = FloatVector.fromArray(F, c, c3 + VL);
        FloatVector r40 = FloatVector.fromArray(F, c, c4), r41 = FloatVector.fromArray(F, c, c4 + VL);
        for (int k = 0; k < kc; k++) {
            int bi = bOff + k * NR;
            FloatVector b0 = FloatVector.fromArray(F, b, bi), b1 = FloatVector.fromArray(F, b, bi + VL);
            FloatVector x;
            x = FloatVector.broadcast(F, a[a0 + k]); r00 = x.fma(b0, r00); r01 = x.fma(b1, r01);
            x = FloatVector.broadcast(F, a[a1 + k]); r10 = x.fma(b0, r10); r11 = x.fma(b1, r11);
            x = FloatVector.broadcast(F, a[a2 + k]); r20 = x.fma(b0, r20); r21 = x.fma(b1, r21);
            x = FloatVector.broadcast(F, a[a3 + k]); r30 = x.fma(b0, r30); r31 = x.fma(b1, r31);
            x = FloatVector.broadcast(F, a[a4 + k]); r40 = x.fma(b0, r40); r41 = x.fma(b1, r41);
        }
        r00.intoArray(c, c0); r01.intoArray(c, c0 + VL);
        r10.intoArray(c, c1); r11.intoArray(c, c1 + VL);
        r20.intoArray(c, c2); r21.intoArray(c, c2 + VL);
        r30.intoArray(c, c3); r31.intoArray(c, c3 + VL);
        r40.intoArray(c, c4); r41.intoArray(c, c4 + VL);
    }

    private static void kernel8(float[] a, int aOff, float[] b, int bOff, int kc, float[] c, int cOff, int ldc) {
        int c0 = cOff, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        int c6 = c5 + ldc, c7 = c6 + ldc;
        FloatVector r00 = FloatVector.fromArray(F, c, c0), r01 = FloatVector.fromArray(F, c, c0 + VL);
        FloatVector r10 = FloatVector.fromArray(F, c, c1), r11 = FloatVector.fromArray(F, c, c1 + VL);
        FloatVector r20 = FloatVector.fromArray(F, c, c2), r21 = FloatVector.fromArray(F, c, c2 + VL);
        FloatVector r30 = FloatVector.fromArray(F, c, c3), r31 = FloatVector.fromArray(F, c, c3 + VL);
        FloatVector r40 = FloatVector.fromArray(F, c, c4), r41 = FloatVector.fromArray(F, c, c4 + VL);
        FloatVector r50 = FloatVector.fromArray(F, c, c5), r51 = FloatVector.fromArray(F, c, c5 + VL);
        FloatVector r60 = FloatVector.fromArray(F, c, c6), r61 = FloatVector.fromArray(F, c, c6 + VL);
        FloatVector r70 = FloatVector.fromArray(F, c, c7), r71 = FloatVector.fromArray(F, c, c7 + VL);
        for (int k = 0; k < kc; k++) {
            // Offsets as linear functions of k let C2 hoist every bounds check out of the loop.
            int ai = aOff + k * 8, bi = bOff + k * NR;
            FloatVector b0 = FloatVector.fromArray(F, b, bi), b1 = FloatVector.fromArray(F, b, bi + VL);
            FloatVector x;
            x = FloatVector.broadcast(F, a[ai]);      r00 = x.fma(b0, r00); r01 = x.fma(b1, r01);
            x = FloatVector.broadcast(F, a[ai + 1]);  r10 = x.fma(b0, r10); r11 = x.fma(b1, r11);
            x = FloatVector.broadcast(F, a[ai + 2]);  r20 = x.fma(b0, r20); r21 = x.fma(b1, r21);
            x = FloatVector.broadcast(F, a[ai + 3]);  r30 = x.fma(b0, r30); r31 = x.fma(b1, r31);
            x = FloatVector.broadcast(F, a[ai + 4]);  r40 = x.fma(b0, r40); r41 = x.fma(b1, r41);
            x = FloatVector.broadcast(F, a[ai + 5]);  r50 = x.fma(b0, r50); r51 = x.fma(b1, r51);
            x = FloatVector.broadcast(F, a[ai + 6]);  r60 = x.fma(b0, r60); r61 = x.fma(b1, r61);
            x = FloatVector.broadcast(F, a[ai + 7]);  r70 = x.fma(b0, r70); r71 = x.fma(b1, r71);
        }
        r00.intoArray(c, c0); r01.intoArray(c, c0 + VL);
        r10.intoArray(c, c1); r11.intoArray(c, c1 + VL);
        r20.intoArray(c, c2); r21.intoArray(c, c2 + VL);
        r30.intoArray(c, c3); r31.intoArray(c, c3 + VL);
        r40.intoArray(c, c4); r41.intoArray(c, c4 + VL);
        r50.intoArray(c, c5); r51.intoArray(c, c5 + VL);
        r60.intoArray(c, c6); r61.intoArray(c, c6 + VL);
        r70.intoArray(c, c7); r71.intoArray(c, c7 + VL);
    }

    /** {@link #kernel8} with A read from eight rows {@code lda} apart. */
    private static void kernel8Rows(float[] a, int aOff, int lda, float[] b, int bOff, int kc, float[] c, int cOff, int ldc) {
        int a0 = aOff, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda;
        int a7 = a6 + lda;
        int c0 = cOff, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
        int c6 = c5 + ldc, c7 = c6 + ldc;
        FloatVector r00 = FloatVector.fromArray(F, c, c0), r01 = FloatVector.fromArray(F, c, c0 + VL);
        FloatVector r10 = FloatVector.fromArray(F, c, c1), r11 = FloatVector.fromArray(F, c, c1 + VL);
        FloatVector r20 = FloatVector.fromArray(F, c, c2), r21 = FloatVector.fromArray(F, c, c2 + VL);
        FloatVector r30 = FloatVector.fromArray(F, c, c3), r31 = FloatVector.fromArray(F, c, c3 + VL);
        FloatVector r40 = FloatVector.fromArray(F, c, c4), r41 = FloatVector.fromArray(F, c, c4 + VL);
        FloatVector r50 = FloatVector.fromArray(F, c, c5), r51 = FloatVector.fromArray(F, c, c5 + VL);
        FloatVector r60 = FloatVector.fromArray(F, c, c6), r61 = FloatVector.fromArray(F, c, c6 + VL);
        FloatVector r70 = FloatVector.fromArray(F, c, c7), r71 = FloatVector.fromArray(F, c, c7 + VL);
        for (int k = 0; k < kc; k++) {
            int bi = bOff + k * NR;
            FloatVector b0 = FloatVector.fromArray(F, b, bi), b1 = FloatVector.fromArray(F, b, bi + VL);
            FloatVector x;
            x = FloatVector.broadcast(F, a[a0 + k]); r00 = x.fma(b0, r00); r01 = x.fma(b1, r01);
            x = FloatVector.broadcast(F, a[a1 + k]); r10 = x.fma(b0, r10); r11 = x.fma(b1, r11);
            x = FloatVector.broadcast(F, a[a2 + k]); r20 = x.fma(b0, r20); r21 = x.fma(b1, r21);
            x = FloatVector.broadcast(F, a[a3 + k]); r30 = x.fma(b0, r30); r31 = x.fma(b1, r31);
            x = FloatVector.broadcast(F, a[a4 + k]); r40 = x.fma(b0, r40); r41 = x.fma(b1, r41);
            x = FloatVector.broadcast(F, a[a5 + k]); r50 = x.fma(b0, r50); r51 = x.fma(b1, r51);
            x = FloatVector.broadcast(F, a[a6 + k]); r60 = x.fma(b0, r60); r61 = x.fma(b1, r61);
            x = FloatVector.broadcast(F, a[a7 + k]); r70 = x.fma(b0, r70); r71 = x.fma(b1, r71);
        }
        r00.intoArray(c, c0); r01.intoArray(c, c0 + VL);
        r10.intoArray(c, c1); r11.intoArray(c, c1 + VL);
        r20.intoArray(c, c2); r21.intoArray(c, c2 + VL);
        r30.intoArray(c, c3); r31.intoArray(c, c3 + VL);
        r40.intoArray(c, c4); r41.intoArray(c, c4 + VL);
        r50.intoArray(c, c5); r51.intoArray(c, c5 + VL);
        r60.intoArray(c, c6); r61.intoArray(c, c6 + VL);
        r70.intoArray(c, c7); r71.intoArray(c, c7 + VL);
    }
}
