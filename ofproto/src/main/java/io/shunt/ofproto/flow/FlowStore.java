package io.shunt.ofproto.flow;

import io.shunt.ofproto.FlowTableListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;

/**
 * The writer side of the flow tables: every insertion, replacement and
 * removal goes through here, inside a {@link Txn}, which keeps the indices
 * (entries by group and by meter), the timeouts, the listeners and the
 * FLOW_REMOVED messages consistent with what is committed. Control thread
 * only.
 */
public final class FlowStore {
    private final FlowTables tables;
    private final FlowTimeouts timeouts = new FlowTimeouts();
    private final Map<Integer, Set<FlowEntry>> byGroup = new HashMap<>();
    private final Map<Long, Set<FlowEntry>> byMeter = new HashMap<>();
    private final List<FlowTableListener> listeners = new CopyOnWriteArrayList<>();
    private final BiConsumer<FlowEntry, OFFlowRemovedReason> flowRemovedSink;
    private Txn open;
    /** Physical removals waiting for their grace period: (publish time, steps), oldest first. */
    private final java.util.ArrayDeque<Object[]> reclaim = new java.util.ArrayDeque<>();

    /**
     * How long a hidden rule stays physically in the classifier after the
     * version that hides it is published (real time). A datapath lookup that
     * started before the publish runs at the old version and may still need
     * the rule; every lookup of a running PMD thread ends well within this
     * (a lookup is a few hundred nanoseconds), so none sees a rule of its
     * version vanish. This is a time-based grace period in place of RCU's
     * quiescent states: it costs the lookup nothing.
     */
    public static final long RECLAIM_GRACE_NANOS = 1_000_000_000L;

    /**
     * @param flowRemovedSink called after commit for each removed entry that asked for
     *                        FLOW_REMOVED (OFPFF_SEND_FLOW_REM), with the reason
     */
    public FlowStore(FlowTables tables, BiConsumer<FlowEntry, OFFlowRemovedReason> flowRemovedSink) {
        this.tables = tables;
        this.flowRemovedSink = flowRemovedSink;
    }

    public FlowTables tables() {
        return tables;
    }

    public void addListener(FlowTableListener l) {
        listeners.add(l);
    }

    public void removeListener(FlowTableListener l) {
        listeners.remove(l);
    }

    /** Starts a transaction at the next version; one at a time. */
    public Txn begin() {
        if (open != null) throw new IllegalStateException("a flow-table transaction is already open");
        open = new Txn(tables.publishedVersion() + 1);
        return open;
    }

    /** The open transaction's version, or the published one (what writer-side queries see). */
    public long writerVersion() {
        return open != null ? open.version() : tables.publishedVersion();
    }

    public void commit(Txn txn) {
        check(txn);
        tables.publish(txn.version());
        if (!txn.afterPublishSteps().isEmpty()) reclaim.add(new Object[] {System.nanoTime(), txn.afterPublishSteps()});
        open = null;
        reclaim(System.nanoTime());
        List<FlowChange> changes = List.copyOf(txn.changes());
        for (FlowChange c : changes) {
            switch (c) {
                case FlowChange.Added a -> timeouts.schedule(a.entry());
                case FlowChange.Modified m -> timeouts.schedule(m.entry());
                case FlowChange.Removed r -> {
                    if (r.entry().sendFlowRemoved()) flowRemovedSink.accept(r.entry(), r.reason());
                }
            }
        }
        if (!changes.isEmpty()) {
            for (FlowTableListener l : listeners) l.flowTablesChanged(changes);
        }
        for (Runnable r : txn.commitSteps()) r.run();
    }

    /** Physically removes rules hidden for longer than the grace period; returns how many steps ran. */
    @SuppressWarnings("unchecked")
    public int reclaim(long nowRealNanos) {
        int n = 0;
        while (!reclaim.isEmpty() && nowRealNanos - (long) reclaim.peek()[0] >= RECLAIM_GRACE_NANOS) {
            for (Runnable r : (List<Runnable>) reclaim.poll()[1]) {
                r.run();
                n++;
            }
        }
        return n;
    }

    /** Hidden rules still waiting for physical removal (for tests and diagnostics). */
    public int pendingReclaims() {
        int n = 0;
        for (Object[] o : reclaim) n += ((List<?>) o[1]).size();
        return n;
    }

    public void rollback(Txn txn) {
        check(txn);
        txn.runUndo();
        open = null;
    }

    private void check(Txn txn) {
        if (txn != open || !txn.markDone()) throw new IllegalStateException("transaction is not the open one");
    }

    // ---- mutations ----

    public void insert(Txn txn, FlowEntry e) {
        FlowTable t = tables.table(e.tableId());
        t.classifier.insert(e, txn.version());
        e.live = true;
        t.liveCount++;
        index(e, true);
        txn.onUndo(() -> {
            t.classifier.remove(e);
            e.live = false;
            t.liveCount--;
            index(e, false);
        });
        txn.change(new FlowChange.Added(e));
    }

    /** Replaces {@code old} by {@code now} (same table, match, priority). */
    public void replace(Txn txn, FlowEntry old, FlowEntry now) {
        FlowTable t = tables.table(old.tableId());
        t.classifier.hide(old, txn.version());
        old.live = false;
        index(old, false);
        t.classifier.insert(now, txn.version());
        now.live = true;
        index(now, true);
        txn.onUndo(() -> {
            t.classifier.remove(now);
            now.live = false;
            index(now, false);
            t.classifier.unhide(old);
            old.live = true;
            index(old, true);
        });
        txn.afterPublish(() -> t.classifier.remove(old));
        txn.change(new FlowChange.Modified(old, now));
    }

    public void remove(Txn txn, FlowEntry e, OFFlowRemovedReason reason) {
        if (!e.live) return;
        FlowTable t = tables.table(e.tableId());
        t.classifier.hide(e, txn.version());
        e.live = false;
        t.liveCount--;
        index(e, false);
        txn.onUndo(() -> {
            t.classifier.unhide(e);
            e.live = true;
            t.liveCount++;
            index(e, true);
        });
        txn.afterPublish(() -> t.classifier.remove(e));
        txn.change(new FlowChange.Removed(e, reason));
    }

    private void index(FlowEntry e, boolean add) {
        // A group named twice is added twice (a no-op) or removed twice (the second finds nothing):
        // no de-duplicating set to allocate for each of the entries a modify or bundle touches.
        InstructionCompiler.forEachGroup(e.instructions(), g -> {
            if (add) byGroup.computeIfAbsent(g, k -> new LinkedHashSet<>()).add(e);
            else {
                Set<FlowEntry> s = byGroup.get(g);
                if (s != null && s.remove(e) && s.isEmpty()) byGroup.remove(g);
            }
        });
        long m = e.program().meterId();
        if (m >= 0) {
            if (add) byMeter.computeIfAbsent(m, k -> new LinkedHashSet<>()).add(e);
            else {
                Set<FlowEntry> s = byMeter.get(m);
                if (s != null && s.remove(e) && s.isEmpty()) byMeter.remove(m);
            }
        }
    }

    // ---- queries (writer view: the open transaction's pending state) ----

    /** Live entries that forward to a group. */
    public List<FlowEntry> entriesUsingGroup(int group) {
        return new ArrayList<>(byGroup.getOrDefault(group, Set.of()));
    }

    public List<FlowEntry> entriesUsingMeter(long meter) {
        return new ArrayList<>(byMeter.getOrDefault(meter, Set.of()));
    }

    public int groupRefCount(int group) {
        return byGroup.getOrDefault(group, Set.of()).size();
    }

    public int meterFlowCount(long meter) {
        return byMeter.getOrDefault(meter, Set.of()).size();
    }

    /** Earliest time a timeout may fire, or Long.MAX_VALUE (to schedule the next sweep). */
    public long nextTimeout() {
        return timeouts.nextDeadline();
    }

    public int pendingTimeouts() {
        return timeouts.size();
    }

    /**
     * Removes every entry whose idle or hard timeout expired at {@code now}
     * in one transaction; {@code lastUsed} adds use outside the classifier.
     * Returns how many were removed.
     */
    public int expire(long now, ToLongFunction<FlowEntry> lastUsed) {
        reclaim(System.nanoTime());
        List<FlowEntry> expired = new ArrayList<>();
        List<OFFlowRemovedReason> reasons = new ArrayList<>();
        timeouts.sweep(now, new FlowTimeouts.Expiry() {
            @Override
            public long lastUsed(FlowEntry e) {
                return lastUsed.applyAsLong(e);
            }

            @Override
            public void expired(FlowEntry e, boolean isHard) {
                expired.add(e);
                reasons.add(isHard ? OFFlowRemovedReason.HARD_TIMEOUT : OFFlowRemovedReason.IDLE_TIMEOUT);
            }
        });
        if (expired.isEmpty()) return 0;
        Txn txn = begin();
        // In deadline order, so FLOW_REMOVED messages and listener events come out in expiry order.
        for (int i = 0; i < expired.size(); i++) remove(txn, expired.get(i), reasons.get(i));
        commit(txn);
        return expired.size();
    }
}
