package io.shunt.p2p;

import io.shunt.p2p.model.FlowEntry;
import io.shunt.p2p.model.PortNumbers;
import io.shunt.p2p.model.PortView;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keeps the set of direct paths A⇒B of one bridge (DESIGN section 4.1) up to date, change by
 * change, and reports every path that comes up, ends, or changes carrier.
 *
 * <h2>Definition (exact)</h2>
 * A⇒B holds when all of these hold, checked in this order (the first failure is the
 * {@link PathVerdict} of A):
 * <ol>
 *   <li>A is a port, {@code dpdkr}, not reserved, and up ({@link PortView#up()}).</li>
 *   <li>Starting at table 0, in every table the pipeline reaches: among the entries whose
 *       {@code in_port} is A or wildcarded and that can match a packet at all (see
 *       {@link MatchClass}: a metadata match in table 0 is decided, metadata being 0 there),
 *       take those of the highest priority. There must be some (else table-miss: drop,
 *       {@link PathVerdict#NO_MATCHING_ENTRY}) and exactly one, matching no other field
 *       (else {@link PathVerdict#OVERLAPPING_ENTRY}: an entry of equal or higher priority
 *       could take some of A's packets; equal priorities have no defined order). That entry
 *       is the table's decisive entry; its goto-table, if any, names the next table.</li>
 *   <li>The decisive entries' instructions, composed in pipeline order with OpenFlow's
 *       action-set rules, output each packet exactly once, unmodified, to a non-reserved
 *       port: no meter or unknown instruction, every apply-action an output to a
 *       non-reserved port, at most one such output over the whole chain plus the action
 *       set; the action set at the end holds nothing but (at most) one such output
 *       (clear-actions empties it, write-actions replaces its output). Otherwise
 *       {@link PathVerdict#NOT_A_PLAIN_OUTPUT} (this includes drop: no output).</li>
 *   <li>That port B is not A (OpenFlow drops output to the ingress port).</li>
 *   <li>B is a port, {@code dpdkr}, in A's trust domain, and up.</li>
 * </ol>
 *
 * <h2>Incremental cost</h2>
 * Each entry change updates the forward index of its table (O(log n)) and re-evaluates only
 * the sources whose last evaluation it can alter: a change at priority p in table t with
 * {@code in_port=A} re-evaluates A if A's packets reached t and the top priority A saw there
 * is at most p; a wildcard one re-evaluates exactly those sources (found through the table's
 * reverse index, not by scanning ports). A port change re-evaluates that port as a source
 * and the sources whose packets go to it. A re-evaluation walks A's chain: two hash lookups
 * and two cached column tops per table crossed. See {@code docs/p2p-detector.md}.
 *
 * <h2>Threading</h2>
 * Not thread-safe: confine each detector to one thread (the OpenFlow agent's control
 * thread). Events are delivered synchronously on it.
 */
public final class DirectPathDetector {

    private final DirectPathListener listener;
    private final Map<Long, EntryNode> entries = new HashMap<>();
    private final TableIndex[] tables = new TableIndex[FlowEntry.MAX_TABLE_ID + 1];
    private final Map<Integer, PortView> ports = new HashMap<>();
    /** The candidate sources: ports that are dpdkr, not reserved, and up. */
    private final Map<Integer, SourceState> sources = new HashMap<>();
    /** Sources by the port their chain outputs to, whatever that port's eligibility. */
    private final Map<Integer, Set<SourceState>> sourcesByTarget = new HashMap<>();
    /** The published paths, by source. */
    private final Map<Integer, DirectPath> paths = new HashMap<>();
    /** Sources to re-evaluate at the next flush; ordered so that events are deterministic. */
    private final TreeSet<Integer> dirty = new TreeSet<>(Integer::compareUnsigned);
    private int batchDepth;

    private final Map<Integer, DirectPath> flushBefore = new HashMap<>();
    private final List<DirectPath> flushDowns = new ArrayList<>();
    private final List<EndReason> flushDownReasons = new ArrayList<>();
    private final List<DirectPathEvent> flushChanges = new ArrayList<>();
    private final List<DirectPath> flushUps = new ArrayList<>();

    public DirectPathDetector(DirectPathListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    // ---------------------------------------------------------------- flow-table changes

    /**
     * A flow entry was added.
     *
     * @throws IllegalArgumentException if an entry with this id is already present (nothing
     *                                  is changed then)
     */
    public void entryAdded(FlowEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (entries.containsKey(entry.id())) {
            throw new IllegalArgumentException("flow entry " + entry.id() + " is already present: "
                    + entries.get(entry.id()).entry + "; cannot add " + entry);
        }
        EntryNode node = new EntryNode(entry);
        entries.put(entry.id(), node);
        index(node);
        flushUnlessBatching();
    }

    /**
     * A flow entry was modified: {@code entry} replaces the entry with the same id. OpenFlow's
     * modify keeps table, priority and match; the detector accepts any replacement.
     *
     * @throws IllegalArgumentException if no entry has this id (nothing is changed then)
     */
    public void entryModified(FlowEntry entry) {
        Objects.requireNonNull(entry, "entry");
        EntryNode old = entries.get(entry.id());
        if (old == null) {
            throw new IllegalArgumentException("flow entry " + entry.id() + " is not present; cannot modify it to " + entry);
        }
        unindex(old);
        EntryNode node = new EntryNode(entry);
        entries.put(entry.id(), node);
        index(node);
        flushUnlessBatching();
    }

    /**
     * A flow entry was removed (deleted, expired, or evicted).
     *
     * @throws IllegalArgumentException if no entry has this id (nothing is changed then)
     */
    public void entryRemoved(long id) {
        EntryNode node = entries.remove(id);
        if (node == null) {
            throw new IllegalArgumentException("flow entry " + id + " is not present; cannot remove it");
        }
        unindex(node);
        flushUnlessBatching();
    }

    // ---------------------------------------------------------------------- port changes

    /** A port was added, or its attributes or state changed. */
    public void portUpdated(PortView port) {
        Objects.requireNonNull(port, "port");
        ports.put(port.portNo(), port);
        boolean candidate = port.canCarryDirectPath();
        SourceState source = sources.get(port.portNo());
        if (candidate && source == null) {
            sources.put(port.portNo(), new SourceState(port.portNo()));
        } else if (!candidate && source != null) {
            dropSource(source);
        }
        portTouched(port.portNo());
        flushUnlessBatching();
    }

    /** A port was deleted. Removing an unknown port is a no-op. */
    public void portRemoved(int portNo) {
        if (ports.remove(portNo) == null) {
            return;
        }
        SourceState source = sources.get(portNo);
        if (source != null) {
            dropSource(source);
        }
        portTouched(portNo);
        flushUnlessBatching();
    }

    // -------------------------------------------------------------------------- batching

    /**
     * Defers evaluation and events until the returned batch is closed, so that a group of
     * changes (a bundle, a delete-all followed by re-adds, a modify done as delete+add) is
     * judged once, on its final state, and transient states raise no events. Batches nest.
     */
    public Batch batch() {
        batchDepth++;
        return new Batch();
    }

    /** A batch of changes; {@link #close()} ends it (once). */
    public final class Batch implements AutoCloseable {
        private boolean closed;

        private Batch() {
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            batchDepth--;
            flushUnlessBatching();
        }
    }

    // ----------------------------------------------------------------------------- query

    /** The current direct paths, by ascending source port. */
    public List<DirectPath> paths() {
        TreeMap<Integer, DirectPath> sorted = new TreeMap<>(Integer::compareUnsigned);
        sorted.putAll(paths);
        return new ArrayList<>(sorted.values());
    }

    /** The direct path from {@code port}, if any. */
    public Optional<DirectPath> pathFrom(int port) {
        return Optional.ofNullable(paths.get(port));
    }

    /** The carrier of {@code from⇒to}, if that path holds. */
    public Optional<Carrier> carrierOf(int from, int to) {
        DirectPath p = paths.get(from);
        return p != null && p.to() == to ? Optional.of(p.carrier()) : Optional.empty();
    }

    /** Whether {@code a⇒b} and {@code b⇒a} both hold. */
    public boolean isPair(int a, int b) {
        DirectPath ab = paths.get(a);
        DirectPath ba = paths.get(b);
        return ab != null && ba != null && ab.to() == b && ba.to() == a;
    }

    /** The current point-to-point pairs, each once, by ascending lower port. */
    public List<DirectPathPair> pairs() {
        List<DirectPathPair> pairs = new ArrayList<>();
        for (DirectPath p : paths()) {
            if (Integer.compareUnsigned(p.from(), p.to()) < 0) {
                DirectPath reverse = paths.get(p.to());
                if (reverse != null && reverse.to() == p.from()) {
                    pairs.add(new DirectPathPair(p, reverse));
                }
            }
        }
        return pairs;
    }

    /**
     * Why {@code port} is, or is not, the source of a direct path, as of the last change
     * outside a batch (or the last closed batch).
     */
    public PathVerdict explain(int port) {
        SourceState source = sources.get(port);
        return source != null ? source.verdict : sourceVerdict(port);
    }

    /** The number of flow entries the detector holds. */
    public int entryCount() {
        return entries.size();
    }

    // ------------------------------------------------------------------ index maintenance

    private TableIndex table(int tableId) {
        TableIndex t = tables[tableId];
        if (t == null) {
            t = new TableIndex(tableId);
            tables[tableId] = t;
        }
        return t;
    }

    private void index(EntryNode node) {
        if (node.matchClass == MatchClass.NO_PACKET) {
            return;
        }
        TableIndex t = table(node.table());
        t.add(node);
        markAffected(t, node);
    }

    private void unindex(EntryNode node) {
        if (node.matchClass == MatchClass.NO_PACKET) {
            return;
        }
        TableIndex t = tables[node.table()];
        t.remove(node);
        markAffected(t, node);
    }

    /**
     * Marks the sources whose evaluation a change of {@code node} may alter. An evaluation in
     * table t depends only on the highest priority present for the source there and on the
     * entries at it; a change below that priority alters neither.
     */
    private void markAffected(TableIndex t, EntryNode node) {
        int priority = node.priority();
        if (node.wildcardInPort()) {
            for (Set<SourceState> set : t.visitorsAtOrBelow(priority).values()) {
                for (SourceState s : set) {
                    dirty.add(s.port);
                }
            }
        } else {
            SourceState s = sources.get(node.inPort());
            if (s != null) {
                int top = s.topIn(t.tableId);
                if (top != SourceState.NOT_REACHED && priority >= top) {
                    dirty.add(s.port);
                }
            }
        }
    }

    private void portTouched(int portNo) {
        dirty.add(portNo);
        Set<SourceState> towards = sourcesByTarget.get(portNo);
        if (towards != null) {
            for (SourceState s : towards) {
                dirty.add(s.port);
            }
        }
    }

    private void dropSource(SourceState source) {
        unregister(source);
        sources.remove(source.port);
    }

    // ------------------------------------------------------------------------ evaluation

    private void unregister(SourceState s) {
        unregisterVisits(s);
        unregisterTarget(s);
        s.chain.clear();
    }

    private void unregisterVisits(SourceState s) {
        for (int i = 0; i < s.visits; i++) {
            tables[s.visitedTables[i]].removeVisitor(s, s.visitedTops[i]);
        }
        s.visits = 0;
    }

    private void unregisterTarget(SourceState s) {
        if (s.hasTarget) {
            Set<SourceState> set = sourcesByTarget.get(s.target);
            set.remove(s);
            if (set.isEmpty()) {
                sourcesByTarget.remove(s.target);
            }
            s.hasTarget = false;
        }
    }

    /**
     * Re-evaluates {@code s} from table 0 and registers what it reached. The reverse indexes
     * are touched only where the result moved (most re-evaluations find what they had).
     */
    private void evaluate(SourceState s) {
        s.saveVisits();
        boolean hadTarget = s.hasTarget;
        int oldTarget = s.target;
        s.visits = 0;
        s.hasTarget = false;
        s.chain.clear();
        s.verdict = evaluateChain(s);
        if (!s.visitsUnchanged()) {
            for (int i = 0; i < s.savedVisits; i++) {
                tables[s.savedTables[i]].removeVisitor(s, s.savedTops[i]);
            }
            for (int i = 0; i < s.visits; i++) {
                tables[s.visitedTables[i]].addVisitor(s, s.visitedTops[i]);
            }
        }
        if (hadTarget != s.hasTarget || oldTarget != s.target) {
            if (hadTarget) {
                Set<SourceState> set = sourcesByTarget.get(oldTarget);
                set.remove(s);
                if (set.isEmpty()) {
                    sourcesByTarget.remove(oldTarget);
                }
            }
            if (s.hasTarget) {
                sourcesByTarget.computeIfAbsent(s.target, p -> new HashSet<>()).add(s);
            }
        }
        if (s.verdict == PathVerdict.DIRECT_PATH) {
            s.verdict = targetVerdict(s.port, s.target);
        }
    }

    private PathVerdict evaluateChain(SourceState s) {
        int applyOutputs = 0;
        int applyPort = 0;
        boolean setHasOutput = false;
        int setPort = 0;
        boolean setDirty = false;
        int tableId = 0;
        while (true) {
            TableIndex t = table(tableId);
            InPortColumn own = t.column(s.port);
            InPortColumn any = t.wildcardColumn;
            int ownTop = own == null ? -1 : own.topPriority();
            int anyTop = any.topPriority();
            int top = Math.max(ownTop, anyTop);
            s.addVisit(tableId, top);
            if (top < 0) {
                return PathVerdict.NO_MATCHING_ENTRY;
            }
            PriorityLevel ownLevel = ownTop == top ? own.topLevel() : null;
            PriorityLevel anyLevel = anyTop == top ? any.topLevel() : null;
            int size = (ownLevel == null ? 0 : ownLevel.size()) + (anyLevel == null ? 0 : anyLevel.size());
            if (size != 1) {
                return PathVerdict.OVERLAPPING_ENTRY;
            }
            PriorityLevel level = ownLevel != null ? ownLevel : anyLevel;
            if (level.allPacketsCount != 1) {
                return PathVerdict.OVERLAPPING_ENTRY;
            }
            EntryNode e = level.allPacketsHead;
            s.chain.add(e);
            if (e.poisoned) {
                return PathVerdict.NOT_A_PLAIN_OUTPUT;
            }
            if (e.applyOutputs > 0) {
                applyOutputs += e.applyOutputs;
                if (applyOutputs > 1) {
                    return PathVerdict.NOT_A_PLAIN_OUTPUT;
                }
                applyPort = e.applyPort;
            }
            if (e.clearsActionSet) {
                setHasOutput = false;
                setDirty = false;
            }
            if (e.writesOutput) {
                setHasOutput = true;
                setPort = e.writePort;
            }
            setDirty |= e.writeDirty;
            if (e.gotoTable < 0) {
                break;
            }
            tableId = e.gotoTable;
        }
        if (setDirty || applyOutputs + (setHasOutput ? 1 : 0) != 1) {
            return PathVerdict.NOT_A_PLAIN_OUTPUT;
        }
        int target = applyOutputs == 1 ? applyPort : setPort;
        if (target == s.port) {
            return PathVerdict.OUTPUT_TO_IN_PORT;
        }
        s.hasTarget = true;
        s.target = target;
        return PathVerdict.DIRECT_PATH;
    }

    /** The verdict of a port that is not a candidate source (see {@link PortView#canCarryDirectPath()}). */
    private PathVerdict sourceVerdict(int portNo) {
        PortView a = ports.get(portNo);
        if (a == null) {
            return PathVerdict.SOURCE_PORT_REMOVED;
        }
        if (!a.dpdkr() || PortNumbers.isReserved(portNo)) {
            return PathVerdict.SOURCE_NOT_DPDKR;
        }
        return PathVerdict.SOURCE_PORT_DOWN;
    }

    private PathVerdict targetVerdict(int from, int to) {
        PortView b = ports.get(to);
        if (b == null) {
            return PathVerdict.TARGET_PORT_REMOVED;
        }
        if (!b.dpdkr()) {
            return PathVerdict.TARGET_NOT_DPDKR;
        }
        if (!b.trustDomain().equals(ports.get(from).trustDomain())) {
            return PathVerdict.TARGET_OTHER_TRUST_DOMAIN;
        }
        if (!b.up()) {
            return PathVerdict.TARGET_PORT_DOWN;
        }
        return PathVerdict.DIRECT_PATH;
    }

    // ---------------------------------------------------------------------------- events

    private void flushUnlessBatching() {
        if (batchDepth > 0 || dirty.isEmpty()) {
            return;
        }
        // Scratch collections are reused: a flow-mod that changes no path allocates nothing
        // here, and one that does allocates its events only.
        Map<Integer, DirectPath> before = flushBefore;
        List<DirectPath> downs = flushDowns;
        List<EndReason> downReasons = flushDownReasons;
        List<DirectPathEvent> changes = flushChanges;
        List<DirectPath> ups = flushUps;
        Integer next;
        while ((next = dirty.pollFirst()) != null) {
            int port = next;
            SourceState s = sources.get(port);
            DirectPath old = paths.get(port);
            PathVerdict verdict;
            DirectPath now = null;
            if (s != null) {
                evaluate(s);
                verdict = s.verdict;
                if (verdict == PathVerdict.DIRECT_PATH) {
                    now = old != null && old.to() == s.target && sameEntries(old.carrier(), s)
                            ? old : new DirectPath(port, s.target, carrierOf(s));
                }
            } else {
                verdict = sourceVerdict(port);
            }
            if (now == old) {
                continue;
            }
            before.put(port, old); // null too: "re-evaluated, had no path" differs from "untouched"
            if (now == null) {
                paths.remove(port);
            } else {
                paths.put(port, now);
            }
            if (old == null) {
                ups.add(now);
            } else if (now == null) {
                downs.add(old);
                downReasons.add(EndReason.of(verdict));
            } else if (old.to() != now.to()) {
                downs.add(old);
                downReasons.add(EndReason.TARGET_CHANGED);
                ups.add(now);
            } else if (!old.carrier().sameEntriesAs(now.carrier())) {
                changes.add(new DirectPathEvent.CarrierChanged(port, now.to(), old.carrier(), now.carrier()));
            }
        }
        if (before.isEmpty()) {
            return;
        }
        List<DirectPathEvent> out = new ArrayList<>(downs.size() + changes.size() + ups.size());
        for (int i = 0; i < downs.size(); i++) {
            DirectPath d = downs.get(i);
            DirectPath reverseBefore = before.containsKey(d.to()) ? before.get(d.to()) : paths.get(d.to());
            boolean wasPaired = reverseBefore != null && reverseBefore.to() == d.from();
            out.add(new DirectPathEvent.Down(d.from(), d.to(), d.carrier(), downReasons.get(i), wasPaired));
        }
        out.addAll(changes);
        for (DirectPath up : ups) {
            DirectPath reverse = paths.get(up.to());
            out.add(new DirectPathEvent.Up(up.from(), up.to(), up.carrier(), reverse != null && reverse.to() == up.from()));
        }
        before.clear();
        downs.clear();
        downReasons.clear();
        changes.clear();
        ups.clear();
        deliver(out);
    }

    /** Whether {@code carrier} holds exactly the entries (same records) of {@code s}'s chain. */
    private static boolean sameEntries(Carrier carrier, SourceState s) {
        List<FlowEntry> entries = carrier.entries();
        if (entries.size() != s.chain.size()) {
            return false;
        }
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i) != s.chain.get(i).entry) {
                return false;
            }
        }
        return true;
    }

    /**
     * Delivers every event even if the listener throws on one: a consumer that missed a Down
     * would keep a direct link the flow table no longer allows. The first failure is rethrown
     * afterwards (the others are suppressed into it); the detector's state is already final.
     */
    private void deliver(List<DirectPathEvent> events) {
        RuntimeException failure = null;
        for (DirectPathEvent e : events) {
            try {
                listener.onEvent(e);
            } catch (RuntimeException ex) {
                if (failure == null) {
                    failure = new IllegalStateException("direct-path listener failed on " + e, ex);
                } else {
                    failure.addSuppressed(ex);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static Carrier carrierOf(SourceState s) {
        List<FlowEntry> chain = new ArrayList<>(s.chain.size());
        for (EntryNode e : s.chain) {
            chain.add(e.entry);
        }
        return new Carrier(chain);
    }

    @Override
    public String toString() {
        return "DirectPathDetector[" + entries.size() + " entries, " + ports.size() + " ports, " + paths.size()
                + " paths]";
    }
}
