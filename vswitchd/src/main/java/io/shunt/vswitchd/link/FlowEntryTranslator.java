package io.shunt.vswitchd.link;

import io.shunt.ofproto.classifier.KeyLayout;
import io.shunt.ofproto.flow.CompiledMatch;
import io.shunt.p2p.model.Action;
import io.shunt.p2p.model.FlowEntry;
import io.shunt.p2p.model.Instructions;
import io.shunt.p2p.model.MatchSummary;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionEnqueue;
import org.projectfloodlight.openflow.protocol.action.OFActionExperimenter;
import org.projectfloodlight.openflow.protocol.action.OFActionGroup;
import org.projectfloodlight.openflow.protocol.action.OFActionMeter;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionSetQueue;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionClearActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionGotoTable;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionMeter;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionWriteActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionWriteMetadata;

/**
 * Reduces one of ofproto's flow entries to the detector's model (docs/p2p-detector.md, "The
 * model"). The match is read from the compiled classifier rule rather than from the Loxi
 * match, so OpenFlow 1.0 and 1.3+ entries look the same (in_port already widened to 32 bits)
 * and a field sent with an all-zero mask is already gone. Wherever the reduction could err,
 * it errs towards "not a plain output": an unknown action is a {@link Action.Modify}, an
 * unknown instruction sets {@code otherInstructions}.
 */
final class FlowEntryTranslator {
    /** in_port: bits 0-31 of {@link KeyLayout#PORTS_WORD}; in_phy_port is bits 32-63. */
    private static final long IN_PORT_BITS = 0xffff_ffffL;

    private FlowEntryTranslator() {
    }

    static FlowEntry translate(long id, io.shunt.ofproto.flow.FlowEntry e) {
        return new FlowEntry(id, e.tableId(), e.priority(), summarize(e.compiledMatch()), instructions(e.instructions()),
                e.idleTimeout(), e.hardTimeout());
    }

    static MatchSummary summarize(CompiledMatch m) {
        long[] value = m.value();
        long[] mask = m.mask();
        long portsMask = mask[KeyLayout.PORTS_WORD];
        boolean inPortMatched = (portsMask & IN_PORT_BITS) == IN_PORT_BITS;
        // A partly masked in_port (not valid OpenFlow, but cheap to be safe about) or any
        // in_phy_port bit takes only some of the port's packets: "another field".
        boolean other = (portsMask & IN_PORT_BITS) != 0 && !inPortMatched || (portsMask & ~IN_PORT_BITS) != 0;
        for (int w = 0; w < KeyLayout.WORDS && !other; w++) {
            if (w != KeyLayout.PORTS_WORD && w != KeyLayout.METADATA_WORD && mask[w] != 0) {
                other = true;
            }
        }
        int inPort = inPortMatched ? (int) value[KeyLayout.PORTS_WORD] : 0;
        return new MatchSummary(inPortMatched, inPort, other, value[KeyLayout.METADATA_WORD],
                mask[KeyLayout.METADATA_WORD]);
    }

    static Instructions instructions(List<OFInstruction> list) {
        boolean meter = false;
        boolean clear = false;
        boolean writeMetadata = false;
        boolean other = false;
        int gotoTable = Instructions.NO_GOTO;
        List<Action> apply = List.of();
        List<Action> write = List.of();
        for (OFInstruction i : list) {
            switch (i) {
                case OFInstructionApplyActions a -> apply = actions(a.getActions());
                case OFInstructionWriteActions a -> write = actions(a.getActions());
                case OFInstructionClearActions c -> clear = true;
                case OFInstructionWriteMetadata w -> writeMetadata = true;
                case OFInstructionGotoTable g -> gotoTable = g.getTableId().getValue();
                case OFInstructionMeter m -> meter = true;
                default -> other = true;
            }
        }
        return new Instructions(meter, apply, clear, write, writeMetadata, gotoTable, other);
    }

    static List<Action> actions(List<OFAction> list) {
        List<Action> out = new ArrayList<>(list.size());
        for (OFAction a : list) {
            out.add(switch (a) {
                case OFActionOutput o -> new Action.Output(o.getPort().getPortNumber());
                case OFActionGroup g -> new Action.Group(g.getGroup().getGroupNumber());
                case OFActionMeter m -> new Action.Meter((int) m.getMeterId());
                case OFActionSetQueue q -> new Action.Other("set_queue");
                case OFActionEnqueue q -> new Action.Other("enqueue");
                case OFActionExperimenter x -> new Action.Other("experimenter");
                // set-field, push/pop, TTL edits and OpenFlow 1.0's set_* actions all change the packet.
                default -> new Action.Modify(a.getType().name().toLowerCase(java.util.Locale.ROOT));
            });
        }
        return out;
    }
}
