package io.shunt.ofproto.flow;

import io.shunt.ofproto.classifier.FlowKey;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.action.OFAction;

/**
 * The switch's flow tables and the OpenFlow 1.3 pipeline over them
 * (section 5.1): start at table 0; in each table the highest-priority
 * matching entry runs its instructions; goto-table continues (only to a
 * higher table); when no goto follows, the action set executes. A table
 * with no matching entry and no table-miss entry drops the packet (section
 * 5.4); the result says where.
 *
 * <p>{@link #run} is the datapath's path: lock-free and allocation-free,
 * from any thread, at the published version. Everything else belongs to the
 * control thread.
 */
public final class FlowTables implements FlowTablesView {
    private final FlowTable[] tables;
    /** The version readers look up at; published with a volatile store after each transaction. */
    private volatile long publishedVersion = 1;

    public FlowTables(int tableCount, int maxEntriesPerTable) {
        if (tableCount < 1 || tableCount > 254) throw new IllegalArgumentException("table count " + tableCount + " not in 1..254");
        tables = new FlowTable[tableCount];
        for (int i = 0; i < tableCount; i++) tables[i] = new FlowTable(i, maxEntriesPerTable);
    }

    @Override
    public int tableCount() {
        return tables.length;
    }

    public FlowTable table(int id) {
        return tables[id];
    }

    public long publishedVersion() {
        return publishedVersion;
    }

    void publish(long version) {
        publishedVersion = version;
    }

    /** Runs the pipeline for a packet's key; fills {@code out} (reset first); counts each table's lookup and match. */
    public void run(FlowKey packet, PipelineResult out) {
        run(packet, out, true);
    }

    /**
     * Runs the pipeline; with {@code countTables} false the tables' lookup and match counters are
     * left alone: a datapath that caches the outcome credits every packet it handles with it,
     * the first one included, through {@link FlowTable#addLookups} (OF1.3 A.3.5.3 counts every
     * packet looked up, whether the datapath's cache or the pipeline answered).
     */
    public void run(FlowKey packet, PipelineResult out, boolean countTables) {
        out.reset();
        long version = publishedVersion;
        FlowKey key = out.scratch.copyFrom(packet);
        long[] w = keyWords(key);
        int tableId = 0;
        boolean more = true;
        while (more) {
            FlowTable t = tables[tableId];
            if (countTables) t.lookups.increment();
            FlowEntry e = (FlowEntry) t.classifier.lookup(key, version, out.wildcards);
            if (e == null) {
                out.missTable = tableId;
                // Table miss without a miss entry: drop, and the action set is discarded (section 5.4).
                out.actionSet.clear();
                return;
            }
            if (countTables) t.matches.increment();
            out.matched[out.matchedCount++] = e;
            Program p = e.program();
            if (p.meterId >= 0) out.meters[out.meterCount++] = p.meterId;
            OFAction[] apply = p.apply;
            for (int i = 0; i < apply.length; i++) {
                if (out.actionCount == PipelineResult.MAX_ACTIONS) {
                    out.truncated = true;
                    break;
                }
                out.actions[out.actionCount++] = apply[i];
                KeyEdit edit = p.applyEdits[i];
                if (edit != null) edit.apply(w);
            }
            if (p.clearActions) out.actionSet.clear();
            if (p.write != null) out.actionSet.write(p.write);
            if (p.writeMetadata) {
                w[io.shunt.ofproto.classifier.KeyLayout.METADATA_WORD] =
                        (w[io.shunt.ofproto.classifier.KeyLayout.METADATA_WORD] & ~p.metadataMask) | (p.metadataValue & p.metadataMask);
            }
            if (p.gotoTable > tableId && p.gotoTable < tables.length) {
                tableId = p.gotoTable;
            } else {
                more = false;
            }
        }
        OFAction[] tmp = out.actions;
        int before = out.actionCount;
        out.actionCount = out.actionSet.drainTo(tmp, out.actionCount);
        if (out.actionCount < before) out.truncated = true;
    }

    private static long[] keyWords(FlowKey key) {
        return key.words();
    }

    // ---- read-only view (control thread) ----

    @Override
    public List<FlowEntry> entries(int tableId) {
        List<FlowEntry> list = new ArrayList<>(tables[tableId].liveCount);
        tables[tableId].classifier.forEach(publishedVersion, r -> list.add((FlowEntry) r));
        return list;
    }

    @Override
    public int entryCount(int tableId) {
        return tables[tableId].liveCount;
    }
}
