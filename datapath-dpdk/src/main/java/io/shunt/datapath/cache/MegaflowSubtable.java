package io.shunt.datapath.cache;

import io.shunt.datapath.flow.FlowHash;
import io.shunt.datapath.flow.FlowKey;
import io.shunt.datapath.flow.FlowMask;

/**
 * All megaflows that share one mask (one "tuple" of tuple-space search): an
 * open-addressing hash table (linear probing, load at most 1/2) of masked keys. Only
 * the mask's non-zero words are stored, hashed and compared, so a subtable for
 * {@code in_port,dl_dst} touches two words per probe, not fifteen.
 *
 * <p>Owned by one PMD thread. {@link #find} allocates nothing; {@link #put} may grow
 * the table (on the upcall path, which is slow anyway).
 */
final class MegaflowSubtable {
    final FlowMask mask;
    private final int[] wordIndex;
    private final long[] maskWords;
    private final int width;
    private int slotMask;
    private long[] keys;
    private int[] hashes;
    private long[] generations;
    private Object[] actions;
    private int count;
    /** Hits since the last ranking: the subtable order key (OVS's dpcls subtable ranking). */
    long hits;

    MegaflowSubtable(FlowMask mask, int initialSlots) {
        this.mask = mask;
        this.width = mask.nonZeroWordCount();
        this.wordIndex = new int[width];
        this.maskWords = new long[width];
        for (int i = 0; i < width; i++) {
            wordIndex[i] = mask.nonZeroWord(i);
            maskWords[i] = mask.word(wordIndex[i]);
        }
        allocate(initialSlots);
    }

    int count() {
        return count;
    }

    /** The masked hash of a key for this subtable (the same as {@code key.maskedHash(mask)}). */
    int hashOf(FlowKey key) {
        long h = 0;
        for (int i = 0; i < width; i++) {
            int w = wordIndex[i];
            h += FlowHash.term(w, key.word(w) & maskWords[i]);
        }
        return FlowHash.finish(h);
    }

    /** The actions of the megaflow matching {@code key} in {@code generation}, or null. */
    Object find(FlowKey key, long generation) {
        int hash = hashOf(key);
        int slot = hash & slotMask;
        while (true) {
            Object a = actions[slot];
            if (a == null) {
                return null;
            }
            if (hashes[slot] == hash && matches(key, slot)) {
                return generations[slot] == generation ? a : null;
            }
            slot = (slot + 1) & slotMask;
        }
    }

    /** True if a megaflow of any generation has {@code key}'s masked bits. */
    boolean holds(FlowKey key) {
        int hash = hashOf(key);
        for (int slot = hash & slotMask; actions[slot] != null; slot = (slot + 1) & slotMask) {
            if (hashes[slot] == hash && matches(key, slot)) {
                return true;
            }
        }
        return false;
    }

    /** Adds or replaces the megaflow of {@code key}'s masked bits. Returns true if it was new. */
    boolean put(FlowKey key, Object value, long generation) {
        if ((count + 1) * 2 > slotMask + 1) {
            grow();
        }
        int hash = hashOf(key);
        int slot = hash & slotMask;
        while (actions[slot] != null) {
            if (hashes[slot] == hash && matches(key, slot)) {
                actions[slot] = value;
                generations[slot] = generation;
                return false;
            }
            slot = (slot + 1) & slotMask;
        }
        int base = slot * width;
        for (int i = 0; i < width; i++) {
            keys[base + i] = key.word(wordIndex[i]) & maskWords[i];
        }
        hashes[slot] = hash;
        generations[slot] = generation;
        actions[slot] = value;
        count++;
        return true;
    }

    /** Empties the table, keeping its arrays for reuse. */
    void clear() {
        java.util.Arrays.fill(actions, null);
        count = 0;
        hits = 0;
    }

    private boolean matches(FlowKey key, int slot) {
        int base = slot * width;
        for (int i = 0; i < width; i++) {
            if ((key.word(wordIndex[i]) & maskWords[i]) != keys[base + i]) {
                return false;
            }
        }
        return true;
    }

    private void allocate(int slots) {
        slotMask = slots - 1;
        keys = new long[slots * Math.max(width, 1)];
        hashes = new int[slots];
        generations = new long[slots];
        actions = new Object[slots];
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldHashes = hashes;
        long[] oldGenerations = generations;
        Object[] oldActions = actions;
        allocate((slotMask + 1) * 2);
        for (int s = 0; s < oldActions.length; s++) {
            if (oldActions[s] == null) {
                continue;
            }
            int slot = oldHashes[s] & slotMask;
            while (actions[slot] != null) {
                slot = (slot + 1) & slotMask;
            }
            System.arraycopy(oldKeys, s * width, keys, slot * width, width);
            hashes[slot] = oldHashes[s];
            generations[slot] = oldGenerations[s];
            actions[slot] = oldActions[s];
        }
    }
}
