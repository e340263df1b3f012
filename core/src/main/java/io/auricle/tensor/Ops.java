package io.auricle.tensor;

/**
 * The numeric kernels the model needs, behind one small interface. Activations are row-major float
 * arrays: a sequence of {@code n} vectors of width {@code d} is {@code float[n * d]}.
 *
 * <p>{@link #get()} returns the fast implementation; {@code -Dauricle.vectorBitSize=0} forces the scalar
 * reference ({@link ScalarOps}), which the tests compare against.
 */
public interface Ops {

    /** Prepares a weight {@code [out, in]} (or a conv weight {@code [out, in, k]}, seen as {@code [out, in*k]}) once, at load. */
    Matrix prepare(Tensor weight);

    /**
     * As {@link #prepare}, for a weight applied to a few rows at a time and to many only now and then (the
     * decoder's: a step, then a prompt once a window): an implementation may keep nothing for the many-row products.
     */
    default Matrix prepareForFewRows(Tensor weight) {
        return prepare(weight);
    }

    /** {@code y[n, out] = x[n, in] · Wᵀ + bias}; {@code bias} may be null. */
    void matmul(float[] x, int n, Matrix w, float[] bias, float[] y);

    /** LayerNorm over each of {@code n} rows of width {@code d}, eps 1e-5; {@code y} may be {@code x}. */
    void layerNorm(float[] x, int n, int d, float[] gamma, float[] beta, float[] y);

    /** GELU with the exact erf, in place, on the first {@code len} elements. */
    void gelu(float[] x, int len);

    /** {@code x[i] += y[i]} for the first {@code len} elements (residual connections). */
    void addInPlace(float[] x, float[] y, int len);

    /**
     * {@code log Σ exp(x[i])} over {@code [from, to)}, -∞ when every element is -∞ (log-softmax normalizers over
     * the vocabulary, once or twice per decoded token).
     */
    double logSumExp(float[] x, int from, int to);

    /**
     * Multi-head scaled dot-product attention for one sequence.
     *
     * @param q       {@code [nq, nHead * headDim]}
     * @param k       {@code [>= nk, nHead * headDim]}, only the first {@code nk} rows are read
     * @param v       same layout as {@code k}
     * @param causalOffset  -1 for bidirectional attention; otherwise query {@code i} sits at position
     *                {@code causalOffset + i} and sees keys {@code 0 ..= causalOffset + i}
     * @param out     {@code [nq, nHead * headDim]}
     * @param weights null, or {@code [nHead, nq, nk]} to receive the softmax weights (alignment heads)
     */
    void attention(float[] q, int nq, float[] k, float[] v, int nk, int nHead, int headDim, int causalOffset,
                   float[] out, float[] weights);

    /**
     * One query {@code q[nHead * headDim]} attending to keys and values held in two parts: tokens {@code [0, shared)}
     * are rows of {@code sharedK, sharedV} (a beam's prompt, in the cache it was forked from), tokens
     * {@code [shared, nk)} rows {@code [0, nk - shared)} of {@code k, v}. Bit for bit what {@link #attention} gives
     * for one query at position {@code nk - 1} over the two parts laid end to end.
     */
    default void attention(float[] q, float[] sharedK, float[] sharedV, int shared, float[] k, float[] v, int nk,
                           int nHead, int headDim, float[] out) {
        int d = nHead * headDim;
        float[] keys = new float[nk * d], values = new float[nk * d];
        System.arraycopy(sharedK, 0, keys, 0, shared * d);
        System.arraycopy(sharedV, 0, values, 0, shared * d);
        System.arraycopy(k, 0, keys, shared * d, (nk - shared) * d);
        System.arraycopy(v, 0, values, shared * d, (nk - shared) * d);
        attention(q, 1, keys, values, nk, nHead, headDim, nk - 1, out, null);
    }

    /**
     * Bidirectional attention (the decoder's cross-attention) to keys and values cached as fp16: {@code k} as
     * {@link #halfKeys} made it, {@code v} each head's rows contiguous ({@link #halfHeadMajor}); the arithmetic is
     * float32. Other arguments as {@link #attention}.
     */
    void attentionHalf(float[] q, int nq, short[] k, short[] v, int nk, int nHead, int headDim, float[] out,
                       float[] weights);

    /**
     * One window's cross-attention keys {@code k[nk, nHead * headDim]} rounded to fp16, in the layout this
     * implementation's {@link #attentionHalf} reads (computed once per window, read at every token).
     */
    default short[] halfKeys(float[] k, int nk, int nHead) {
        return halfKeys(k, nk, nHead, null);
    }

    /**
     * As {@link #halfKeys(float[], int, int)}, written into {@code reuse} when it is the right size (an earlier
     * window's keys of the same shape: 4.6 MB a window spared at tiny), else into a new array; returns it.
     */
    short[] halfKeys(float[] k, int nk, int nHead, short[] reuse);

    /** {@code x[rows, nHead * headDim]} rounded to fp16, each head's rows contiguous: {@code [nHead][rows][headDim]}. */
    static short[] halfHeadMajor(float[] x, int rows, int nHead) {
        return halfHeadMajor(x, rows, nHead, null);
    }

    /** As {@link #halfHeadMajor(float[], int, int)}, into {@code reuse} when it has {@code x.length} elements. */
    static short[] halfHeadMajor(float[] x, int rows, int nHead, short[] reuse) {
        int d = x.length / rows, hd = d / nHead;
        short[] out = reuse != null && reuse.length == x.length ? reuse : new short[x.length];
        for (int h = 0; h < nHead; h++) {
            for (int j = 0; j < rows; j++) {
                int src = j * d + h * hd, dst = (h * rows + j) * hd;
                for (int c = 0; c < hd; c++) out[dst + c] = Float.floatToFloat16(x[src + c]);
            }
        }
        return out;
    }

    /**
     * 1-D convolution, kernel 3, padding 1: {@code x} is time-major {@code [len, inCh]}, {@code y} is
     * {@code [outLen, outCh]} with {@code outLen = (len - 1) / stride + 1}. {@code w} is prepared from
     * {@code [outCh, inCh, 3]}.
     */
    void conv1d(float[] x, int len, int inCh, Matrix w, float[] bias, int stride, float[] y);

    static int convOutputLength(int len, int stride) {
        return (len - 1) / stride + 1;
    }

    /** The implementation in use: the scalar reference when {@code auricle.vectorBitSize=0}. */
    static Ops get() {
        return OpsHolder.INSTANCE;
    }
}
