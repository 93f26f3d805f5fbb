package io.shunt.datapath.bench;

/**
 * The two operations the two-process harness needs from a ring of indices, so that the bare
 * anchor and the production {@code SpscRing} run the very same loop. Each child process
 * loads one implementation only, so the call site stays monomorphic and is inlined.
 */
interface IndexRing {
    int enqueueBurst(int[] src, int offset, int n);

    int dequeueBurst(int[] dst, int offset, int max);
}
