package io.auricle.model;

import io.auricle.AuricleException;
import io.auricle.tensor.Matrix;
import io.auricle.tensor.Ops;
import io.auricle.tensor.Tensor;
import java.util.Arrays;

/** Looks up a checkpoint's tensors by canonical name, checks their shapes, and prepares them for {@link Ops}. */
record Weights(Checkpoint checkpoint, Ops ops) {

    Tensor tensor(String name, int... shape) {
        Tensor t = checkpoint.tensor(name);
        if (shape.length > 0 && !Arrays.equals(t.shape(), shape)) {
            throw new AuricleException(checkpoint.source() + ": tensor " + name + " has shape "
                    + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape));
        }
        return t;
    }

    float[] floats(String name) {
        return tensor(name).toFloatArray();
    }

    Matrix matrix(String name) {
        return ops.prepare(tensor(name));
    }
}
