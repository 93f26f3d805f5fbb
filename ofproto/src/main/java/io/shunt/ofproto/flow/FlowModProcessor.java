package io.shunt.ofproto.flow;

import io.shunt.ofproto.OfErrorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowModFailedCode;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;

/**
 * The semantics of FLOW_MOD (OF1.3 section 6.4): add, modify,
 * modify-strict, delete, delete-strict, with cookies and cookie masks,
 * out_port/out_group filters, CHECK_OVERLAP, RESET_COUNTS and
 * SEND_FLOW_REM. Applies into a caller's {@link Txn}, so a bundle can
 * apply many and roll them all back.
 */
public final class FlowModProcessor {
    private static final int OFPTT_ALL = 0xff;

    private final FlowStore store;
    private final ActionEnv env;
    private final LongSupplier clock;

    public FlowModProcessor(FlowStore store, ActionEnv env, LongSupplier nanoClock) {
        this.store = store;
        this.env = env;
        this.clock = nanoClock;
    }

    public void apply(Txn txn, OFFlowMod fm) throws OfErrorException {
        switch (fm.getCommand()) {
            case ADD -> add(txn, fm);
            case MODIFY -> modify(txn, fm, false);
            case MODIFY_STRICT -> modify(txn, fm, true);
            case DELETE -> delete(txn, fm, false);
            case DELETE_STRICT -> delete(txn, fm, true);
            default -> throw OfErrorException.flowModFailed(OFFlowModFailedCode.BAD_COMMAND,
                    "flow_mod command " + fm.getCommand() + " is not supported");
        }
    }

    private static int tableOf(OFFlowMod fm, boolean isDelete) {
        if (fm.getVersion() == OFVersion.OF_10) return isDelete ? OFPTT_ALL : 0;
        return fm.getTableId().getValue() & 0xff;
    }

    private int checkedTable(OFFlowMod fm) throws OfErrorException {
        int t = tableOf(fm, false);
        if (t >= env.tableCount()) {
            throw OfErrorException.flowModFailed(OFFlowModFailedCode.BAD_TABLE_ID,
                    "table " + t + " does not exist (tables 0-" + (env.tableCount() - 1) + ")");
        }
        return t;
    }

    /** OF1.0 has an action list; it becomes one apply-actions instruction. */
    static List<OFInstruction> instructionsOf(OFFlowMod fm) {
        if (fm.getVersion() == OFVersion.OF_10) {
            if (fm.getActions().isEmpty()) return List.of();
            return List.of(OFFactories.getFactory(OFVersion.OF_13).instructions().applyActions(fm.getActions()));
        }
        return fm.getInstructions();
    }

    private static long cookieMask(OFFlowMod fm) {
        return fm.getVersion() == OFVersion.OF_10 ? 0 : fm.getCookieMask().getValue();
    }

    private void add(Txn txn, OFFlowMod fm) throws OfErrorException {
        int tableId = checkedTable(fm);
        CompiledMatch match = MatchCompiler.compile(fm.getMatch(), fm.getVersion());
        Set<OFFlowModFlags> flags = fm.getFlags();
        FlowTable table = store.tables().table(tableId);
        long version = txn.version();
        if (flags.contains(OFFlowModFlags.CHECK_OVERLAP)
                && table.classifier.overlaps(match.value(), match.mask(), fm.getPriority(), version)) {
            throw OfErrorException.flowModFailed(OFFlowModFailedCode.OVERLAP,
                    "an entry of priority " + fm.getPriority() + " in table " + tableId + " overlaps " + fm.getMatch());
        }
        List<OFInstruction> instructions = instructionsOf(fm);
        Program program = InstructionCompiler.compile(instructions, tableId, match, env);
        FlowEntry old = (FlowEntry) table.classifier.findExact(match.value(), match.mask(), fm.getPriority(), version);
        if (old == null && table.liveCount >= table.maxEntries()) {
            throw OfErrorException.flowModFailed(OFFlowModFailedCode.TABLE_FULL,
                    "table " + tableId + " holds its maximum of " + table.maxEntries() + " entries");
        }
        long now = clock.getAsLong();
        boolean reset = flags.contains(OFFlowModFlags.RESET_COUNTS);
        // An ADD over an identical entry replaces it; its counters carry over unless RESET_COUNTS (section 6.4).
        FlowCounters counters = old == null || reset ? new FlowCounters(now) : old.counters();
        int importance = fm.getVersion().compareTo(OFVersion.OF_14) >= 0 ? fm.getImportance() : 0;
        FlowEntry e = new FlowEntry(tableId, match, fm.getPriority(), fm.getCookie().getValue(), fm.getIdleTimeout(),
                fm.getHardTimeout(), flags, importance, instructions, program, counters, now);
        if (old == null) store.insert(txn, e);
        else store.replace(txn, old, e);
    }

    private List<FlowEntry> candidates(OFFlowMod fm, int tableId, CompiledMatch match, boolean strict, long version) {
        List<FlowEntry> out = new ArrayList<>();
        long cookieMask = cookieMask(fm);
        long cookie = fm.getCookie().getValue() & cookieMask;
        int from = tableId == OFPTT_ALL ? 0 : tableId;
        int to = tableId == OFPTT_ALL ? env.tableCount() - 1 : tableId;
        for (int t = from; t <= to; t++) {
            FlowTable table = store.tables().table(t);
            if (table.liveCount == 0) continue;
            if (strict) {
                FlowEntry e = (FlowEntry) table.classifier.findExact(match.value(), match.mask(), fm.getPriority(), version);
                if (e != null && (e.cookie() & cookieMask) == cookie) out.add(e);
            } else {
                table.classifier.forEachCovered(match.value(), match.mask(), version, r -> {
                    FlowEntry e = (FlowEntry) r;
                    if ((e.cookie() & cookieMask) == cookie) out.add(e);
                });
            }
        }
        return out;
    }

    private void modify(Txn txn, OFFlowMod fm, boolean strict) throws OfErrorException {
        int tableId = checkedTable(fm);
        CompiledMatch match = MatchCompiler.compile(fm.getMatch(), fm.getVersion());
        List<FlowEntry> hits = candidates(fm, tableId, match, strict, txn.version());
        if (hits.isEmpty()) {
            // OF1.0 treats a modify that matches nothing as an add; 1.1+ do nothing (section 6.4).
            if (fm.getVersion() == OFVersion.OF_10) add(txn, fm);
            return;
        }
        // One immutable copy shared by every modified entry (FlowEntry's List.copyOf then keeps it as is):
        // Loxi's lists are Guava's, which List.copyOf would copy again for each of possibly 100,000 entries.
        List<OFInstruction> instructions = List.copyOf(instructionsOf(fm));
        boolean reset = fm.getFlags().contains(OFFlowModFlags.RESET_COUNTS);
        for (FlowEntry old : hits) {
            Program p = InstructionCompiler.compile(instructions, old.tableId(), old.compiledMatch(), env);
            FlowEntry now = old.withInstructions(instructions, p, old.cookie());
            store.replace(txn, old, now);
            if (reset) txn.onCommit(() -> now.counters().reset());
        }
    }

    private void delete(Txn txn, OFFlowMod fm, boolean strict) throws OfErrorException {
        int tableId = tableOf(fm, true);
        if (tableId != OFPTT_ALL && tableId >= env.tableCount()) {
            throw OfErrorException.flowModFailed(OFFlowModFailedCode.BAD_TABLE_ID,
                    "table " + tableId + " does not exist (tables 0-" + (env.tableCount() - 1) + ")");
        }
        CompiledMatch match = MatchCompiler.compile(fm.getMatch(), fm.getVersion());
        int outPort = fm.getOutPort().getPortNumber();
        int outGroup = fm.getVersion() == OFVersion.OF_10 ? OFGroup.ANY.getGroupNumber() : fm.getOutGroup().getGroupNumber();
        for (FlowEntry e : candidates(fm, tableId, match, strict, txn.version())) {
            if (outPort != OFPort.ANY.getPortNumber() && !InstructionCompiler.outputsTo(e.instructions(), outPort)) continue;
            if (outGroup != OFGroup.ANY.getGroupNumber() && !InstructionCompiler.usesGroup(e.instructions(), outGroup)) continue;
            store.remove(txn, e, OFFlowRemovedReason.DELETE);
        }
    }

    /** The table a request names, for statistics filters: OFPTT_ALL or a table id. */
    static boolean isAll(TableId t) {
        return t.equals(TableId.ALL);
    }
}
