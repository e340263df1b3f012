package io.auricle.tensor;

/** Picks the {@link Ops} implementation once, from the {@code auricle.vectorBitSize} system property. */
final class OpsHolder {
    static final Ops INSTANCE = choose();

    private OpsHolder() {}

    private static Ops choose() {
        String bits = System.getProperty("auricle.vectorBitSize", "");
        if (bits.equals("0")) return new ScalarOps();
        return new VectorOps();
    }
}
