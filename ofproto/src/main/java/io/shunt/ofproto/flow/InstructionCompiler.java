package io.shunt.ofproto.flow;

import io.shunt.ofproto.OfErrorException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFBadInstructionCode;
import org.projectfloodlight.openflow.protocol.OFInstructionType;
import org.projectfloodlight.openflow.protocol.OFMeterModFailedCode;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.*;

/**
 * Validates a flow entry's instructions (OF1.3 sections 5.9 and 7.2.4) and
 * compiles them to a {@link Program}.
 */
public final class InstructionCompiler {
    private InstructionCompiler() {}

    private static final OFAction[] NO_ACTIONS = new OFAction[0];
    private static final KeyEdit[] NO_EDITS = new KeyEdit[0];

    public static Program compile(List<OFInstruction> instructions, int tableId, CompiledMatch match, ActionEnv env)
            throws OfErrorException {
        Set<OFInstructionType> seen = EnumSet.noneOf(OFInstructionType.class);
        long meterId = -1;
        OFAction[] apply = NO_ACTIONS;
        KeyEdit[] edits = NO_EDITS;
        boolean clear = false;
        OFAction[] write = null;
        boolean writeMd = false;
        long mdValue = 0, mdMask = 0;
        int gotoTable = -1;
        for (OFInstruction ins : instructions) {
            if (!seen.add(ins.getType())) {
                throw OfErrorException.badInstruction(OFBadInstructionCode.DUP_INST,
                        "instruction " + ins.getType() + " appears twice");
            }
            switch (ins) {
                case OFInstructionApplyActions a -> {
                    edits = ActionValidator.validate(a.getActions(), match, env, ActionValidator.Context.FLOW);
                    apply = a.getActions().toArray(NO_ACTIONS);
                }
                case OFInstructionWriteActions w -> {
                    ActionValidator.validate(w.getActions(), match, env, ActionValidator.Context.FLOW);
                    write = w.getActions().toArray(NO_ACTIONS);
                }
                case OFInstructionClearActions c -> clear = true;
                case OFInstructionWriteMetadata m -> {
                    writeMd = true;
                    mdValue = m.getMetadata().getValue();
                    mdMask = m.getMetadataMask().getValue();
                }
                case OFInstructionGotoTable g -> {
                    int next = g.getTableId().getValue();
                    if (next <= tableId || next >= env.tableCount()) {
                        throw OfErrorException.badInstruction(OFBadInstructionCode.BAD_TABLE_ID,
                                "goto_table " + next + " from table " + tableId + ": must be a higher table below "
                                        + env.tableCount());
                    }
                    gotoTable = next;
                }
                case OFInstructionMeter m -> {
                    long id = m.getMeterId();
                    if (!env.meterExists(id)) {
                        throw OfErrorException.meterModFailed(OFMeterModFailedCode.UNKNOWN_METER,
                                "meter " + id + " does not exist");
                    }
                    meterId = id;
                }
                case OFInstructionExperimenter e -> throw OfErrorException.badInstruction(
                        OFBadInstructionCode.UNSUP_EXP_INST, "experimenter instruction 0x"
                                + Long.toHexString(e.getExperimenter()) + " is not supported");
                default -> throw OfErrorException.badInstruction(OFBadInstructionCode.UNSUP_INST,
                        "instruction " + ins.getType() + " is not supported");
            }
        }
        return new Program(meterId, apply, edits, clear, write, writeMd, mdValue, mdMask, gotoTable);
    }

    /** Groups a flow entry's instructions refer to through group actions. */
    public static void forEachGroup(List<OFInstruction> instructions, java.util.function.IntConsumer action) {
        for (OFInstruction ins : instructions) {
            List<OFAction> acts = switch (ins) {
                case OFInstructionApplyActions a -> a.getActions();
                case OFInstructionWriteActions w -> w.getActions();
                default -> List.of();
            };
            for (OFAction a : acts) {
                if (a instanceof org.projectfloodlight.openflow.protocol.action.OFActionGroup g) {
                    action.accept(g.getGroup().getGroupNumber());
                }
            }
        }
    }

    /** Whether any apply/write action outputs to {@code port} (OF1.3 out_port filter). */
    public static boolean outputsTo(List<OFInstruction> instructions, int port) {
        for (OFInstruction ins : instructions) {
            List<OFAction> acts = switch (ins) {
                case OFInstructionApplyActions a -> a.getActions();
                case OFInstructionWriteActions w -> w.getActions();
                default -> List.of();
            };
            for (OFAction a : acts) {
                if (a instanceof org.projectfloodlight.openflow.protocol.action.OFActionOutput o
                        && o.getPort().getPortNumber() == port) {
                    return true;
                }
                if (a instanceof org.projectfloodlight.openflow.protocol.action.OFActionEnqueue e
                        && e.getPort().getPortNumber() == port) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether any action forwards to group {@code group} (OF1.3 out_group filter). */
    public static boolean usesGroup(List<OFInstruction> instructions, int group) {
        boolean[] hit = {false};
        forEachGroup(instructions, g -> hit[0] |= g == group);
        return hit[0];
    }
}
