package io.auricle.audio;

/**
 * {@link Fft}'s passes written as plain float loops over the same lane layout, with the same operations in
 * the same order (a vector {@code a.fma(b, c)} is {@code Math.fma(a, b, c)} here), so the results are
 * bit-identical. Used while the JVM is cold: the Vector API is fast only once C2 has compiled it, and runs
 * hundreds of times slower in the interpreter and C1, where plain loops are merely a few times slower.
 */
final class FftScalar {
    private static final float C1 = (float) Math.cos(2 * Math.PI / 5), C2 = (float) Math.cos(4 * Math.PI / 5);
    private static final float S1 = (float) Math.sin(2 * Math.PI / 5), S2 = (float) Math.sin(4 * Math.PI / 5);

    private FftScalar() {
    }

    static void split(float[] zr, float[] zi, float[] power, int half, float[] cos, float[] sin, int lanes) {
        for (int k = 0; 2 * k <= half; k++) {
            int a = k * lanes, b = k == 0 ? 0 : (half - k) * lanes;
            float c = cos[k], s = sin[k];
            for (int j = 0; j < lanes; j++) {
                float ar = zr[a + j], ai = zi[a + j], br = zr[b + j], bi = zi[b + j];
                float er = ar + br, ei = ai - bi, or = ai + bi, oi = br - ar;
                float p = Math.fma(or, c, oi * -s), q = Math.fma(oi, c, or * s);
                float xr = er + p, xi = ei + q;
                power[k * lanes + j] = Math.fma(xr, xr, xi * xi) * 0.25f;
                if (half - k != k) {
                    float yr = er - p, yi = q - ei;
                    power[(half - k) * lanes + j] = Math.fma(yr, yr, yi * yi) * 0.25f;
                }
            }
        }
    }

    static void radix2(float[] xr, float[] xi, float[] yr, float[] yi, int m, int block, float[] tw) {
        for (int j = 0; j < m; j++) {
            float w1r = tw[2 * j], w1i = tw[2 * j + 1], w1n = -w1i;
            int in0 = j * block, in1 = (j + m) * block, out0 = 2 * j * block, out1 = out0 + block;
            for (int v = 0; v < block; v++) {
                float a0r = xr[in0 + v], a0i = xi[in0 + v], a1r = xr[in1 + v], a1i = xi[in1 + v];
                yr[out0 + v] = a0r + a1r;
                yi[out0 + v] = a0i + a1i;
                float dr = a0r - a1r, di = a0i - a1i;
                yr[out1 + v] = Math.fma(dr, w1r, di * w1n);
                yi[out1 + v] = Math.fma(dr, w1i, di * w1r);
            }
        }
    }

    static void radix4(float[] xr, float[] xi, float[] yr, float[] yi, int m, int block, float[] tw) {
        for (int j = 0; j < m; j++) {
            int at = 6 * j;
            float w1r = tw[at], w1i = tw[at + 1], w2r = tw[at + 2], w2i = tw[at + 3], w3r = tw[at + 4], w3i = tw[at + 5];
            int in0 = j * block, in1 = (j + m) * block, in2 = (j + 2 * m) * block, in3 = (j + 3 * m) * block;
            int out0 = 4 * j * block, out1 = out0 + block, out2 = out1 + block, out3 = out2 + block;
            for (int v = 0; v < block; v++) {
                float a0r = xr[in0 + v], a0i = xi[in0 + v], a1r = xr[in1 + v], a1i = xi[in1 + v];
                float a2r = xr[in2 + v], a2i = xi[in2 + v], a3r = xr[in3 + v], a3i = xi[in3 + v];
                float s02r = a0r + a2r, s02i = a0i + a2i, d02r = a0r - a2r, d02i = a0i - a2i;
                float s13r = a1r + a3r, s13i = a1i + a3i, d13r = a1r - a3r, d13i = a1i - a3i;
                yr[out0 + v] = s02r + s13r;
                yi[out0 + v] = s02i + s13i;
                float y1r = d02r + d13i, y1i = d02i - d13r;
                float y2r = s02r - s13r, y2i = s02i - s13i;
                float y3r = d02r - d13i, y3i = d02i + d13r;
                yr[out1 + v] = Math.fma(y1r, w1r, y1i * -w1i);
                yi[out1 + v] = Math.fma(y1r, w1i, y1i * w1r);
                yr[out2 + v] = Math.fma(y2r, w2r, y2i * -w2i);
                yi[out2 + v] = Math.fma(y2r, w2i, y2i * w2r);
                yr[out3 + v] = Math.fma(y3r, w3r, y3i * -w3i);
                yi[out3 + v] = Math.fma(y3r, w3i, y3i * w3r);
            }
        }
    }

    static void radix5(float[] xr, float[] xi, float[] yr, float[] yi, int m, int block, float[] tw) {
        for (int j = 0; j < m; j++) {
            int at = 8 * j;
            float w1r = tw[at], w1i = tw[at + 1], w2r = tw[at + 2], w2i = tw[at + 3];
            float w3r = tw[at + 4], w3i = tw[at + 5], w4r = tw[at + 6], w4i = tw[at + 7];
            int in0 = j * block, in1 = (j + m) * block, in2 = (j + 2 * m) * block;
            int in3 = (j + 3 * m) * block, in4 = (j + 4 * m) * block;
            int out0 = 5 * j * block, out1 = out0 + block, out2 = out1 + block, out3 = out2 + block, out4 = out3 + block;
            for (int v = 0; v < block; v++) {
                float a0r = xr[in0 + v], a0i = xi[in0 + v], a1r = xr[in1 + v], a1i = xi[in1 + v];
                float a2r = xr[in2 + v], a2i = xi[in2 + v], a3r = xr[in3 + v], a3i = xi[in3 + v];
                float a4r = xr[in4 + v], a4i = xi[in4 + v];
                float b1r = a1r + a4r, b1i = a1i + a4i, d1r = a1r - a4r, d1i = a1i - a4i;
                float b2r = a2r + a3r, b2i = a2i + a3i, d2r = a2r - a3r, d2i = a2i - a3i;
                yr[out0 + v] = a0r + b1r + b2r;
                yi[out0 + v] = a0i + b1i + b2i;
                float t1r = Math.fma(b2r, C2, Math.fma(b1r, C1, a0r)), t1i = Math.fma(b2i, C2, Math.fma(b1i, C1, a0i));
                float t2r = Math.fma(b2r, C1, Math.fma(b1r, C2, a0r)), t2i = Math.fma(b2i, C1, Math.fma(b1i, C2, a0i));
                float u1r = Math.fma(d2r, S2, d1r * S1), u1i = Math.fma(d2i, S2, d1i * S1);
                float u2r = Math.fma(d2r, -S1, d1r * S2), u2i = Math.fma(d2i, -S1, d1i * S2);
                float y1r = t1r + u1i, y1i = t1i - u1r, y4r = t1r - u1i, y4i = t1i + u1r;
                float y2r = t2r + u2i, y2i = t2i - u2r, y3r = t2r - u2i, y3i = t2i + u2r;
                yr[out1 + v] = Math.fma(y1r, w1r, y1i * -w1i);
                yi[out1 + v] = Math.fma(y1r, w1i, y1i * w1r);
                yr[out2 + v] = Math.fma(y2r, w2r, y2i * -w2i);
                yi[out2 + v] = Math.fma(y2r, w2i, y2i * w2r);
                yr[out3 + v] = Math.fma(y3r, w3r, y3i * -w3i);
                yi[out3 + v] = Math.fma(y3r, w3i, y3i * w3r);
                yr[out4 + v] = Math.fma(y4r, w4r, y4i * -w4i);
                yi[out4 + v] = Math.fma(y4r, w4i, y4i * w4r);
            }
        }
    }
}
