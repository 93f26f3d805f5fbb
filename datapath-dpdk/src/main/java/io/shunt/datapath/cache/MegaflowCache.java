package io.shunt.datapath.cache;

import io.shunt.datapath.flow.FlowKey;
import io.shunt.datapath.flow.FlowMask;
import java.util.Arrays;

/**
 * The megaflow (wildcard) cache of one PMD thread: tuple-space search as in OVS's
 * dpcls. Megaflows are grouped by mask into {@link MegaflowSubtable}s; a lookup probes
 * the subtables in order, each with one hash of the key's masked words, and stops at
 * the first hit. Subtables are re-ranked by hits every {@code rankInterval} lookups,
 * so the busiest masks are probed first.
 *
 * <p>Megaflows handed to it must not overlap within a generation (two megaflows that
 * both match a packet must have the same actions): the classifier guarantees this by
 * un-wildcarding every bit it looked at, so the probe order affects speed only.
 *
 * <p>Owned by one PMD thread; {@link #lookup} allocates nothing.
 *
 * @param <A> the immutable actions object; opaque here
 */
public final class MegaflowCache<A> {
    private static final int INITIAL_SLOTS = 16;

    private final int maxEntries;
    private final int rankInterval;
    /** Emptied subtables kept after a {@link #clear()} for their masks' return. */
    private static final int SPARE_LIMIT = 256;

    private MegaflowSubtable[] subtables = new MegaflowSubtable[8];
    private int subtableCount;
    private MegaflowSubtable[] spares = new MegaflowSubtable[8];
    private int spareCount;
    private int entries;
    private int lookupsSinceRank;
    private long subtableSearches;

    public MegaflowCache(int maxEntries, int rankInterval) {
        if (maxEntries < 1 || rankInterval < 1) {
            throw new IllegalArgumentException("maxEntries and rankInterval must be >= 1, got "
                    + maxEntries + " and " + rankInterval);
        }
        this.maxEntries = maxEntries;
        this.rankInterval = rankInterval;
    }

    /** The actions of the megaflow matching {@code key} in {@code generation}, or null. */
    @SuppressWarnings("unchecked")
    public A lookup(FlowKey key, long generation) {
        if (++lookupsSinceRank >= rankInterval) {
            rank();
        }
        MegaflowSubtable[] tables = subtables;
        int n = subtableCount;
        for (int i = 0; i < n; i++) {
            MegaflowSubtable t = tables[i];
            Object a = t.find(key, generation);
            if (a != null) {
                t.hits++;
                subtableSearches += i + 1;
                return (A) a;
            }
        }
        subtableSearches += n;
        return null;
    }

    /**
     * Installs the megaflow {@code (mask, key & mask) -> actions}. Returns false, and stores
     * nothing, when the cache already holds {@code maxEntries} megaflows.
     */
    public boolean insert(FlowKey key, FlowMask mask, A actions, long generation) {
        if (actions == null) {
            throw new IllegalArgumentException("megaflow actions must not be null (key " + key + ")");
        }
        MegaflowSubtable t = subtableFor(mask);
        if (t == null) {
            if (entries >= maxEntries) {
                return false;
            }
            t = addSubtable(mask);
        } else if (entries >= maxEntries) {
            // a replacement of an existing megaflow does not grow the cache
            if (!t.holds(key)) {
                return false;
            }
        }
        if (t.put(key, actions, generation)) {
            entries++;
        }
        return true;
    }

    /**
     * Drops every megaflow and subtable (the PMD calls this when it sees a new generation).
     * Emptied subtables are kept aside, up to 256, so that the same masks coming back after a
     * flow-table change reuse their arrays instead of allocating on the upcall path.
     */
    public void clear() {
        for (int i = 0; i < subtableCount; i++) {
            MegaflowSubtable t = subtables[i];
            subtables[i] = null;
            if (spareCount < SPARE_LIMIT) {
                t.clear();
                if (spareCount == spares.length) {
                    spares = Arrays.copyOf(spares, spares.length * 2);
                }
                spares[spareCount++] = t;
            }
        }
        subtableCount = 0;
        entries = 0;
    }

    /** Orders the subtables by hits since the last ranking, most hits first, and restarts the counts. */
    public void rank() {
        lookupsSinceRank = 0;
        MegaflowSubtable[] t = subtables;
        // insertion sort: allocation-free, and the order changes little between rankings
        for (int i = 1; i < subtableCount; i++) {
            MegaflowSubtable x = t[i];
            int j = i - 1;
            while (j >= 0 && t[j].hits < x.hits) {
                t[j + 1] = t[j];
                j--;
            }
            t[j + 1] = x;
        }
        for (int i = 0; i < subtableCount; i++) {
            t[i].hits = 0;
        }
    }

    public int entryCount() {
        return entries;
    }

    public int subtableCount() {
        return subtableCount;
    }

    /** The mask of the subtable probed i-th (0 first). */
    public FlowMask subtableMask(int i) {
        if (i < 0 || i >= subtableCount) {
            throw new IndexOutOfBoundsException("subtable " + i + " of " + subtableCount);
        }
        return subtables[i].mask;
    }

    /** Subtables probed over all lookups so far. */
    public long subtableSearches() {
        return subtableSearches;
    }

    private MegaflowSubtable subtableFor(FlowMask mask) {
        for (int i = 0; i < subtableCount; i++) {
            if (subtables[i].mask.equals(mask)) {
                return subtables[i];
            }
        }
        return null;
    }

    private MegaflowSubtable addSubtable(FlowMask mask) {
        if (subtableCount == subtables.length) {
            subtables = Arrays.copyOf(subtables, subtables.length * 2);
        }
        MegaflowSubtable t = null;
        for (int i = 0; i < spareCount; i++) {
            if (spares[i].mask.equals(mask)) {
                t = spares[i];
                spares[i] = spares[--spareCount];
                spares[spareCount] = null;
                break;
            }
        }
        if (t == null) {
            t = new MegaflowSubtable(mask, INITIAL_SLOTS);
        }
        subtables[subtableCount++] = t;
        return t;
    }
}
