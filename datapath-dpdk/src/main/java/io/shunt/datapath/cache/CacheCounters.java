package io.shunt.datapath.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counters of one PMD's caches. Written only by the owning PMD thread, read by
 * any thread (pmd-stats). Writes are opaque stores: on x86 a plain {@code mov}, but
 * never torn and never kept in a register across the PMD loop, so a reader sees every
 * counter advance, each one monotonically (no ordering between counters is promised).
 */
final class CacheCounters {
    static final int EMC_HITS = 0;
    static final int MEGAFLOW_HITS = 1;
    static final int MISSES = 2;
    static final int EMC_INSERTS = 3;
    static final int MEGAFLOW_INSERTS = 4;
    static final int MEGAFLOW_FULL = 5;
    static final int STALE_INSERTS = 6;
    static final int GENERATION_FLUSHES = 7;
    static final int SUBTABLE_SEARCHES = 8;
    private static final int COUNT = 9;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values = new long[COUNT];

    /** Owner thread only. */
    void add(int counter, long delta) {
        SLOT.setOpaque(values, counter, values[counter] + delta);
    }

    /** Owner thread only. */
    void increment(int counter) {
        SLOT.setOpaque(values, counter, values[counter] + 1);
    }

    /** Any thread. */
    long get(int counter) {
        return (long) SLOT.getOpaque(values, counter);
    }

    CacheStats snapshot() {
        return new CacheStats(get(EMC_HITS), get(MEGAFLOW_HITS), get(MISSES), get(EMC_INSERTS),
                get(MEGAFLOW_INSERTS), get(MEGAFLOW_FULL), get(STALE_INSERTS), get(GENERATION_FLUSHES),
                get(SUBTABLE_SEARCHES));
    }
}
