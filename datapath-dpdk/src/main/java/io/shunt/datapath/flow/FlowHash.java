package io.shunt.datapath.flow;

import java.util.SplittableRandom;

/**
 * The hash the flow caches use over key words: a multilinear sum
 * {@code sum(word[i] * K[i])} with one random odd 64-bit constant per word position,
 * then a fold-and-multiply finaliser. The products are independent, so a CPU
 * computes them in parallel (a chained mix would serialise on the multiply latency,
 * ~4 cycles per word); an odd multiplier is invertible mod 2^64, so a change in any
 * single word always changes the sum, and the finaliser spreads the sum over the 32
 * bits returned. The caches index with the low bits; the EMC takes its second
 * way from higher bits.
 */
public final class FlowHash {
    private static final long[] K = constants();

    private FlowHash() {
    }

    /** The term word position {@code index} (0..{@link FlowKeyLayout#WORDS}-1) adds to the sum. */
    public static long term(int index, long word) {
        return word * K[index];
    }

    /**
     * Finishes a sum of terms into 32 bits: fold the high half onto the low half (so that
     * the low bits, which a product only carries upwards, hear from every bit), multiply by
     * an odd constant and keep the high half of the product. Both steps are bijections up to
     * the final truncation; one multiply instead of fmix64's two keeps the megaflow probe of
     * each subtable short.
     */
    public static int finish(long sum) {
        long h = sum ^ (sum >>> 32);
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32);
    }

    private static long[] constants() {
        SplittableRandom r = new SplittableRandom(0x5eed_f10a_11c0deL);
        long[] k = new long[FlowKeyLayout.WORDS];
        for (int i = 0; i < k.length; i++) {
            k[i] = r.nextLong() | 1L;
        }
        return k;
    }
}
