package io.auricle.tensor;

/**
 * A weight matrix {@code [rows = out, cols = in]} prepared by an {@link Ops} for repeated products
 * (packed panels, converted types). Only the {@link Ops} that prepared it can use it.
 */
public interface Matrix {
    int rows();

    int cols();

    /** The tensor it was prepared from. */
    Tensor source();
}
