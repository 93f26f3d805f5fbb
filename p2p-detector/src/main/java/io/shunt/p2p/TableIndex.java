package io.shunt.p2p;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The index of one flow table, in two halves.
 *
 * <p>Forward: the entries by {@code in_port} key ({@link #column(int)} per port,
 * {@link #wildcardColumn} for entries that do not match {@code in_port}), each grouped by
 * priority. Packets from port A can match only the entries of column A and of the wildcard
 * column, so the top of those two decides what table does with A's packets.
 *
 * <p>Reverse: {@link #visitorsByTop}, the sources whose last evaluation reached this table,
 * keyed by the top priority they saw here (-1: none). A change at priority p can only alter
 * the evaluation of a source whose top here is at most p; for a wildcard entry this is the
 * head map up to p, so the work is the number of affected sources, not of entries or ports.
 */
final class TableIndex {
    final int tableId;
    final InPortColumn wildcardColumn = new InPortColumn();
    private final Map<Integer, InPortColumn> byPort = new HashMap<>();
    private final TreeMap<Integer, Set<SourceState>> visitorsByTop = new TreeMap<>();

    TableIndex(int tableId) {
        this.tableId = tableId;
    }

    /** The column of {@code port}, or null when no entry names it. */
    InPortColumn column(int port) {
        return byPort.get(port);
    }

    void add(EntryNode node) {
        if (node.wildcardInPort()) {
            wildcardColumn.add(node);
        } else {
            byPort.computeIfAbsent(node.inPort(), p -> new InPortColumn()).add(node);
        }
    }

    void remove(EntryNode node) {
        if (node.wildcardInPort()) {
            wildcardColumn.remove(node);
        } else {
            InPortColumn column = byPort.get(node.inPort());
            column.remove(node);
            if (column.isEmpty()) {
                byPort.remove(node.inPort());
            }
        }
    }

    void addVisitor(SourceState source, int top) {
        visitorsByTop.computeIfAbsent(top, t -> new HashSet<>()).add(source);
    }

    void removeVisitor(SourceState source, int top) {
        Set<SourceState> set = visitorsByTop.get(top);
        set.remove(source);
        if (set.isEmpty()) {
            visitorsByTop.remove(top);
        }
    }

    /** Sources whose top here is at most {@code priority}. */
    NavigableMap<Integer, Set<SourceState>> visitorsAtOrBelow(int priority) {
        return visitorsByTop.headMap(priority, true);
    }
}
