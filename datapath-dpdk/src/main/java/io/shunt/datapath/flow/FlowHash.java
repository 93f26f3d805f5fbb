package io.shunt.datapath.flow;

/**
 * The hash used by the flow caches over key words: a multiply-rotate mix per word
 * and a 64-bit finaliser (the MurmurHash3 fmix64 constants). Every bit of every
 * word reaches every output bit, so the caches may index with the low bits and
 * the EMC may take its second way from higher bits.
 */
public final class FlowHash {
    private static final long M1 = 0x9E3779B97F4A7C15L;
    private static final long M2 = 0xC2B2AE3D27D4EB4FL;

    private FlowHash() {
    }

    /** Folds one word into a running hash. */
    public static long mix(long h, long word) {
        return Long.rotateLeft(h ^ (word * M1), 29) * M2;
    }

    /** Finishes a running hash into 32 well-mixed bits. */
    public static int finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
