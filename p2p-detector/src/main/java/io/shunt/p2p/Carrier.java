package io.shunt.p2p;

import io.shunt.p2p.model.FlowEntry;

import java.util.List;

/**
 * The flow entries that decide a direct path: the decisive entry of table 0 for the source
 * port, then the decisive entry of each table reached by goto-table, in pipeline order.
 * Their flow statistics (and the tables' lookup counters) are the ones that must include the
 * packets carried by the direct link (DESIGN section 4.4).
 *
 * <p>Two carriers are the same when they list the same entry ids in the same order; the
 * entries' contents may have been modified in between.
 */
public record Carrier(List<FlowEntry> entries) {

    public Carrier {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a carrier has at least the table-0 entry");
        }
    }

    /** The table-0 entry. */
    public FlowEntry first() {
        return entries.getFirst();
    }

    /** The entry of the last table crossed. */
    public FlowEntry last() {
        return entries.getLast();
    }

    /** Whether {@code other} is made of the same entries (by id) in the same order. */
    public boolean sameEntriesAs(Carrier other) {
        if (other.entries.size() != entries.size()) {
            return false;
        }
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).id() != other.entries.get(i).id()) {
                return false;
            }
        }
        return true;
    }

    /** The entry ids, in pipeline order. */
    public long[] ids() {
        long[] ids = new long[entries.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = entries.get(i).id();
        }
        return ids;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("carrier[");
        for (FlowEntry e : entries) {
            s.append("table ").append(e.tableId()).append(" entry ").append(e.id()).append(", ");
        }
        s.setLength(s.length() - 2);
        return s.append(']').toString();
    }
}
