package io.auricle.tensor;

/** The plain-Java reference for every kernel: slow, simple, and what the fast kernels are tested against. */
public final class ScalarOps implements Ops {

    private record Plain(Tensor source, int rows, int cols, float[] values) implements Matrix {}

    @Override
    public Matrix prepare(Tensor weight) {
        int rows = weight.dim(0);
        int cols = (int) (weight.numel() / rows);
        return new Plain(weight, rows, cols, weight.toFloatArray());
    }

    @Override
    public void matmul(float[] x, int n, Matrix w, float[] bias, float[] y) {
        float[] wv = ((Plain) w).values;
        int in = w.cols(), out = w.rows();
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                float acc = 0;
                for (int c = 0; c < in; c++) acc += x[i * in + c] * wv[o * in + c];
                y[i * out + o] = bias == null ? acc : acc + bias[o];
            }
        }
    }

    @Override
    public void layerNorm(float[] x, int n, int d, float[] gamma, float[] beta, float[] y) {
        for (int i = 0; i < n; i++) {
            int off = i * d;
            double mean = 0;
            for (int c = 0; c < d; c++) mean += x[off + c];
            mean /= d;
            double var = 0;
            for (int c = 0; c < d; c++) {
                double t = x[off + c] - mean;
                var += t * t;
            }
            var /= d;
            float inv = (float) (1.0 / Math.sqrt(var + 1e-5));
            for (int c = 0; c < d; c++) y[off + c] = (float) (x[off + c] - mean) * inv * gamma[c] + beta[c];
        }
    }

    @Override
    public void gelu(float[] x, int len) {
        for (int i = 0; i < len; i++) x[i] = (float) (0.5 * x[i] * (1 + Erf.erf(x[i] / Math.sqrt(2))));
    }

    @Override
    public void addInPlace(float[] x, float[] y, int len) {
        for (int i = 0; i < len; i++) x[i] += y[i];
    }

    @Override
    public double logSumExp(float[] x, int from, int to) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) max = Math.max(max, x[i]);
        if (max == Float.NEGATIVE_INFINITY) return Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int i = from; i < to; i++) sum += Math.exp(x[i] - max);
        return max + Math.log(sum);
    }

    /** Head-major rows, as the values. */
    @Override
    public short[] halfKeys(float[] k, int nk, int nHead, short[] reuse) {
        return Ops.halfHeadMajor(k, nk, nHead, reuse);
    }

    /** Widens the fp16 head-major K/V to the float32 row layout, then the float32 reference. */
    @Override
    public void attentionHalf(float[] q, int nq, short[] k, short[] v, int nk, int nHead, int headDim, float[] out,
                              float[] weights) {
        int d = nHead * headDim;
        float[] kf = new float[nk * d], vf = new float[nk * d];
        for (int h = 0; h < nHead; h++) {
            for (int j = 0; j < nk; j++) {
                for (int c = 0; c < headDim; c++) {
                    int src = (h * nk + j) * headDim + c;
                    kf[j * d + h * headDim + c] = Float.float16ToFloat(k[src]);
                    vf[j * d + h * headDim + c] = Float.float16ToFloat(v[src]);
                }
            }
        }
        attention(q, nq, kf, vf, nk, nHead, headDim, -1, out, weights);
    }

    @Override
    public void attention(float[] q, int nq, float[] k, float[] v, int nk, int nHead, int headDim, int causalOffset,
                          float[] out, float[] weights) {
        int d = nHead * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        float[] s = new float[nk];
        for (int h = 0; h < nHead; h++) {
            for (int i = 0; i < nq; i++) {
                int visible = causalOffset < 0 ? nk : Math.min(nk, causalOffset + i + 1);
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < visible; j++) {
                    float acc = 0;
                    for (int c = 0; c < headDim; c++) acc += q[i * d + h * headDim + c] * k[j * d + h * headDim + c];
                    s[j] = acc * scale;
                    max = Math.max(max, s[j]);
                }
                float sum = 0;
                for (int j = 0; j < visible; j++) {
                    s[j] = (float) Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int j = 0; j < visible; j++) s[j] /= sum;
                for (int c = 0; c < headDim; c++) {
                    float acc = 0;
                    for (int j = 0; j < visible; j++) acc += s[j] * v[j * d + h * headDim + c];
                    out[i * d + h * headDim + c] = acc;
                }
                if (weights != null) {
                    int base = (h * nq + i) * nk;
                    for (int j = 0; j < nk; j++) weights[base + j] = j < visible ? s[j] : 0f;
                }
            }
        }
    }

    @Override
    public void conv1d(float[] x, int len, int inCh, Matrix w, float[] bias, int stride, float[] y) {
        float[] wv = ((Plain) w).values;
        int outCh = w.rows();
        int outLen = Ops.convOutputLength(len, stride);
        for (int t = 0; t < outLen; t++) {
            for (int o = 0; o < outCh; o++) {
                float acc = bias == null ? 0 : bias[o];
                for (int kk = 0; kk < 3; kk++) {
                    int src = t * stride + kk - 1;
                    if (src < 0 || src >= len) continue;
                    for (int c = 0; c < inCh; c++) acc += x[src * inCh + c] * wv[(o * inCh + c) * 3 + kk];
                }
                y[t * outCh + o] = acc;
            }
        }
    }
}
