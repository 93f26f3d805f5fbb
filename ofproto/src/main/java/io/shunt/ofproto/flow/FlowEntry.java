package io.shunt.ofproto.flow;

import io.shunt.ofproto.classifier.ClassifierRule;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;

/**
 * One flow entry of one table. Immutable in everything a controller sets:
 * a modify installs a new FlowEntry that shares the old one's
 * {@link FlowCounters} and install time, so listeners get a true (old, new)
 * pair and datapath readers see one version or the other, never a mix.
 *
 * <p>Instructions are kept in OF1.1+ form; an OF1.0 action list becomes one
 * apply-actions instruction.
 */
public final class FlowEntry extends ClassifierRule {
    private final int tableId;
    private final CompiledMatch match;
    private final long cookie;
    private final int idleTimeout;
    private final int hardTimeout;
    private final Set<OFFlowModFlags> flags;
    private final int importance;
    private final List<OFInstruction> instructions;
    private final Program program;
    private final FlowCounters counters;
    private final long installedNanos;
    /** Writer-only: still in its table (not removed, not replaced by a modify). */
    boolean live;

    FlowEntry(int tableId, CompiledMatch match, int priority, long cookie, int idleTimeout, int hardTimeout,
              Set<OFFlowModFlags> flags, int importance, List<OFInstruction> instructions, Program program,
              FlowCounters counters, long installedNanos) {
        super(match.value(), match.mask(), priority);
        this.tableId = tableId;
        this.match = match;
        this.cookie = cookie;
        this.idleTimeout = idleTimeout;
        this.hardTimeout = hardTimeout;
        this.flags = Set.copyOf(flags);
        this.importance = importance;
        this.instructions = List.copyOf(instructions);
        this.program = program;
        this.counters = counters;
        this.installedNanos = installedNanos;
    }

    /** A new version of this entry with other instructions (and the same counters, timeouts, install time). */
    FlowEntry withInstructions(List<OFInstruction> newInstructions, Program newProgram, long newCookie) {
        return new FlowEntry(tableId, match, priority(), newCookie, idleTimeout, hardTimeout, flags, importance,
                newInstructions, newProgram, counters, installedNanos);
    }

    public int tableId() { return tableId; }
    public Match match() { return match.match(); }
    public CompiledMatch compiledMatch() { return match; }
    public long cookie() { return cookie; }
    public int idleTimeout() { return idleTimeout; }
    public int hardTimeout() { return hardTimeout; }
    public Set<OFFlowModFlags> flags() { return flags; }
    public int importance() { return importance; }
    public List<OFInstruction> instructions() { return instructions; }
    public Program program() { return program; }
    public FlowCounters counters() { return counters; }
    /** Switch-clock time the entry was first added (durations count from here). */
    public long installedNanos() { return installedNanos; }

    public boolean sendFlowRemoved() {
        return flags.contains(OFFlowModFlags.SEND_FLOW_REM);
    }

    @Override
    public String toString() {
        return "table=" + tableId + ",priority=" + priority() + ",cookie=0x" + Long.toHexString(cookie) + "," + match
                + " " + instructions;
    }
}
