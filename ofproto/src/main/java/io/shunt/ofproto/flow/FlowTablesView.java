package io.shunt.ofproto.flow;

import java.util.List;

/**
 * A read-only view of the flow tables for observers such as the
 * point-to-point detector's adapter: the entries of each table, with their
 * match, instructions, priority, cookie and timeouts ({@link FlowEntry}).
 * Call it on the control thread (where {@link io.shunt.ofproto.FlowTableListener}
 * events are delivered); it reflects every committed change.
 */
public interface FlowTablesView {
    int tableCount();

    /** The committed entries of one table, in no particular order (a new list). */
    List<FlowEntry> entries(int tableId);

    int entryCount(int tableId);
}
