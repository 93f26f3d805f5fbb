package io.shunt.p2p;

import io.shunt.p2p.model.Action;
import io.shunt.p2p.model.FlowEntry;
import io.shunt.p2p.model.Instructions;
import io.shunt.p2p.model.MatchSummary;
import io.shunt.p2p.model.PortNumbers;
import io.shunt.p2p.model.PortView;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The brute-force oracle: recomputes every port's verdict from the whole flow table, straight
 * from the definition in {@code docs/p2p-detector.md}, with no index and no state. It shares
 * nothing with the detector but the model records. Its cost per call, O(ports × tables
 * crossed × entries), is what a detector that rescans the table after each change pays.
 */
public final class DirectPathOracle {

    /** One port's outcome: the verdict and, for a direct path, its target and carrier ids. */
    public record Outcome(PathVerdict verdict, int target, long[] carrier) {
        public boolean isPath() {
            return verdict == PathVerdict.DIRECT_PATH;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Outcome other && verdict == other.verdict && target == other.target
                    && Arrays.equals(carrier, other.carrier);
        }

        @Override
        public int hashCode() {
            return verdict.hashCode() * 31 + target;
        }

        @Override
        public String toString() {
            return isPath() ? "⇒" + target + " via " + Arrays.toString(carrier) : verdict.toString();
        }
    }

    private DirectPathOracle() {
    }

    /** The outcome of every port in {@code ports}, by port number. */
    public static Map<Integer, Outcome> compute(Collection<FlowEntry> entries, Map<Integer, PortView> ports) {
        FlowEntry[] all = entries.toArray(FlowEntry[]::new);
        Map<Integer, Outcome> out = new TreeMap<>();
        for (PortView a : ports.values()) {
            out.put(a.portNo(), outcome(all, ports, a));
        }
        return out;
    }

    private static Outcome fail(PathVerdict v) {
        return new Outcome(v, 0, null);
    }

    private static Outcome outcome(FlowEntry[] all, Map<Integer, PortView> ports, PortView a) {
        int inPort = a.portNo();
        if (!a.dpdkr() || PortNumbers.isReserved(inPort)) {
            return fail(PathVerdict.SOURCE_NOT_DPDKR);
        }
        if (!a.up()) {
            return fail(PathVerdict.SOURCE_PORT_DOWN);
        }
        List<Long> chain = new ArrayList<>();
        List<Integer> applied = new ArrayList<>();
        Integer setOutput = null;
        boolean setOther = false;
        int table = 0;
        while (true) {
            int best = -1;
            List<FlowEntry> top = new ArrayList<>();
            for (FlowEntry e : all) {
                if (e.tableId() != table || !canMatchSomePacketFrom(e, inPort)) {
                    continue;
                }
                if (e.priority() > best) {
                    best = e.priority();
                    top.clear();
                }
                if (e.priority() == best) {
                    top.add(e);
                }
            }
            if (top.isEmpty()) {
                return fail(PathVerdict.NO_MATCHING_ENTRY);
            }
            if (top.size() > 1 || !matchesEveryPacketFrom(top.getFirst())) {
                return fail(PathVerdict.OVERLAPPING_ENTRY);
            }
            FlowEntry e = top.getFirst();
            chain.add(e.id());
            Instructions ins = e.instructions();
            if (ins.meter() || ins.otherInstructions()) {
                return fail(PathVerdict.NOT_A_PLAIN_OUTPUT);
            }
            for (Action act : ins.applyActions()) {
                if (!(act instanceof Action.Output o) || PortNumbers.isReserved(o.port())) {
                    return fail(PathVerdict.NOT_A_PLAIN_OUTPUT);
                }
                applied.add(o.port());
                if (applied.size() > 1) {
                    return fail(PathVerdict.NOT_A_PLAIN_OUTPUT);
                }
            }
            if (ins.clearActions()) {
                setOutput = null;
                setOther = false;
            }
            int outputsWritten = 0;
            for (Action act : ins.writeActions()) {
                if (act instanceof Action.Output o && !PortNumbers.isReserved(o.port())) {
                    setOutput = o.port();
                    outputsWritten++;
                } else {
                    setOther = true;
                }
            }
            if (outputsWritten > 1) {
                setOther = true;
            }
            if (ins.gotoTable() == Instructions.NO_GOTO) {
                break;
            }
            table = ins.gotoTable();
        }
        if (setOther) {
            return fail(PathVerdict.NOT_A_PLAIN_OUTPUT);
        }
        List<Integer> outputs = new ArrayList<>(applied);
        if (setOutput != null) {
            outputs.add(setOutput);
        }
        if (outputs.size() != 1) {
            return fail(PathVerdict.NOT_A_PLAIN_OUTPUT);
        }
        int b = outputs.getFirst();
        if (b == inPort) {
            return fail(PathVerdict.OUTPUT_TO_IN_PORT);
        }
        PortView target = ports.get(b);
        if (target == null) {
            return fail(PathVerdict.TARGET_PORT_REMOVED);
        }
        if (!target.dpdkr()) {
            return fail(PathVerdict.TARGET_NOT_DPDKR);
        }
        if (!target.trustDomain().equals(a.trustDomain())) {
            return fail(PathVerdict.TARGET_OTHER_TRUST_DOMAIN);
        }
        if (!target.up()) {
            return fail(PathVerdict.TARGET_PORT_DOWN);
        }
        return new Outcome(PathVerdict.DIRECT_PATH, b, chain.stream().mapToLong(Long::longValue).toArray());
    }

    /** Metadata is 0 when a packet enters table 0; in later tables we assume it can be anything. */
    private static boolean canMatchSomePacketFrom(FlowEntry e, int inPort) {
        MatchSummary m = e.match();
        if (m.inPortMatched() && m.inPort() != inPort) {
            return false;
        }
        return !(e.tableId() == 0 && m.metadataMask() != 0 && (m.metadataValue() & m.metadataMask()) != 0);
    }

    private static boolean matchesEveryPacketFrom(FlowEntry e) {
        MatchSummary m = e.match();
        return !m.otherFieldsMatched() && (m.metadataMask() == 0 || e.tableId() == 0);
    }
}
