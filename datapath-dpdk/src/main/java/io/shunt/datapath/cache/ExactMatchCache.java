package io.shunt.datapath.cache;

import static io.shunt.datapath.flow.FlowKeyLayout.WORDS;

import io.shunt.datapath.flow.FlowKey;

/**
 * The exact-match cache (EMC) of one PMD thread: whole flow keys mapped to actions, in a
 * fixed number of slots, each key having two candidate slots taken from different bits
 * of its hash (OVS dpif-netdev's EMC with two hash segments). A hit costs one hash, at
 * most two hash compares and one key compare.
 *
 * <p>Entries carry the flow-table generation they were built in; one whose generation
 * is not the caller's is a miss and is overwritten first. Insertion is probabilistic
 * (1 in {@code insertInvProb}) so that a flood of new flows does not thrash it.
 *
 * <p>Owned by one thread; not thread-safe. Allocation-free after construction.
 *
 * @param <A> the immutable actions object the datapath executes; opaque here
 */
public final class ExactMatchCache<A> {
    private final int slotMask;
    private final int secondShift;
    private final long[] keys;
    private final int[] hashes;
    private final long[] generations;
    private final Object[] actions;
    private final int insertInvProb;
    private int coin;

    /**
     * @param entries       number of slots, a power of two
     * @param insertInvProb insert with probability 1/insertInvProb; 1 always, 0 never
     * @param seed          seed of the insertion coin
     */
    public ExactMatchCache(int entries, int insertInvProb, long seed) {
        if (entries < 2 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("EMC entries must be a power of two >= 2, got " + entries);
        }
        this.slotMask = entries - 1;
        // the second way uses the hash bits just above those of the first (wrapping for huge tables)
        this.secondShift = Integer.numberOfTrailingZeros(entries);
        this.keys = new long[entries * WORDS];
        this.hashes = new int[entries];
        this.generations = new long[entries];
        this.actions = new Object[entries];
        this.insertInvProb = insertInvProb;
        int s = (int) (seed ^ (seed >>> 32));
        this.coin = s == 0 ? 0x9E3779B9 : s;
    }

    public int capacity() {
        return slotMask + 1;
    }

    /** The actions of {@code key} if cached in {@code generation}, else null. {@code hash} is {@code key.hash()}. */
    @SuppressWarnings("unchecked")
    public A lookup(FlowKey key, int hash, long generation) {
        int s1 = hash & slotMask;
        if (hashes[s1] == hash && generations[s1] == generation && actions[s1] != null
                && key.equalsWords(keys, s1 * WORDS)) {
            return (A) actions[s1];
        }
        int s2 = Integer.rotateRight(hash, secondShift) & slotMask;
        if (hashes[s2] == hash && generations[s2] == generation && actions[s2] != null
                && key.equalsWords(keys, s2 * WORDS)) {
            return (A) actions[s2];
        }
        return null;
    }

    /**
     * Tosses the insertion coin and, when it says so, stores the entry. Returns true if stored.
     * An existing entry for the key is updated; otherwise an empty or stale way is used, else
     * the way with the smaller stored hash is evicted (a cheap pseudo-random choice, as in OVS).
     */
    public boolean maybeInsert(FlowKey key, int hash, A value, long generation) {
        if (insertInvProb == 0) {
            return false;
        }
        if (insertInvProb > 1) {
            // xorshift32: one coin per candidate insert, no allocation, no shared state
            int x = coin;
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            coin = x;
            if (((x & 0xffffffffL) * insertInvProb >>> 32) != 0) {
                return false;
            }
        }
        insert(key, hash, value, generation);
        return true;
    }

    /** Stores the entry unconditionally (see {@link #maybeInsert}). */
    public void insert(FlowKey key, int hash, A value, long generation) {
        int s1 = hash & slotMask;
        int s2 = Integer.rotateRight(hash, secondShift) & slotMask;
        int slot;
        if (holds(s1, key, hash)) {
            slot = s1;
        } else if (holds(s2, key, hash)) {
            slot = s2;
        } else if (actions[s1] == null || generations[s1] != generation) {
            slot = s1;
        } else if (actions[s2] == null || generations[s2] != generation) {
            slot = s2;
        } else {
            slot = Integer.compareUnsigned(hashes[s1], hashes[s2]) <= 0 ? s1 : s2;
        }
        key.copyTo(keys, slot * WORDS);
        hashes[slot] = hash;
        generations[slot] = generation;
        actions[slot] = value;
    }

    /** Empties every slot (cold path: the caches are usually invalidated by generation instead). */
    public void clear() {
        java.util.Arrays.fill(actions, null);
        java.util.Arrays.fill(generations, 0L);
    }

    private boolean holds(int slot, FlowKey key, int hash) {
        return actions[slot] != null && hashes[slot] == hash && key.equalsWords(keys, slot * WORDS);
    }
}
