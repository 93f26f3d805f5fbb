package io.shunt.ofproto.flow;

import io.shunt.ofproto.classifier.Classifier;
import java.util.concurrent.atomic.LongAdder;

/**
 * One OpenFlow table: its classifier and its counters (OF1.3 section
 * A.3.5.3: active entries, lookups, matches). Lookup and match counts are
 * {@link LongAdder}s because every PMD thread bumps them.
 */
public final class FlowTable {
    private final int id;
    final Classifier classifier = new Classifier();
    final LongAdder lookups = new LongAdder();
    final LongAdder matches = new LongAdder();
    private final int maxEntries;
    /** Live entries (the writer's count, versions aside). */
    int liveCount;
    /** Table config bits set by TABLE_MOD (OF1.1-1.3 miss behaviour is deprecated in 1.3; kept for the reply). */
    int config;

    FlowTable(int id, int maxEntries) {
        this.id = id;
        this.maxEntries = maxEntries;
    }

    public int id() { return id; }
    public int maxEntries() { return maxEntries; }
    public int activeCount() { return liveCount; }
    public long lookupCount() { return lookups.sum(); }
    public long matchedCount() { return matches.sum(); }
    public Classifier classifier() { return classifier; }

    /** The datapath counts lookups it served from its own caches (DESIGN section 4.4) into the table's counters. */
    public void addLookups(long lookupCount, long matchedCount) {
        lookups.add(lookupCount);
        matches.add(matchedCount);
    }
}
