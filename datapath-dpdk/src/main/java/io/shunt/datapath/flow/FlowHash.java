package io.shunt.datapath.flow;

import java.util.SplittableRandom;

/**
 * The hash the flow caches use over key words: a multilinear sum
 * {@code sum(word[i] * K[i])} with one random odd 64-bit constant per word position,
 * then the MurmurHash3 fmix64 finaliser. The products are independent, so a CPU
 * computes them in parallel (a chained mix would serialise on the multiply latency,
 * ~4 cycles per word); an odd multiplier is invertible mod 2^64, so a change in any
 * single word always changes the sum, and fmix64 spreads every bit of the sum over
 * the 32 bits returned. The caches index with the low bits; the EMC takes its second
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

    /** Finishes a sum of terms into 32 well-mixed bits. */
    public static int finish(long sum) {
        long h = sum;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
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
