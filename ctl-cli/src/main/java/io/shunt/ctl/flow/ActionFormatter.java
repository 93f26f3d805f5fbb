package io.shunt.ctl.flow;

import java.util.List;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionCopyTtlIn;
import org.projectfloodlight.openflow.protocol.action.OFActionCopyTtlOut;
import org.projectfloodlight.openflow.protocol.action.OFActionDecMplsTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionDecNwTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionGroup;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionPopMpls;
import org.projectfloodlight.openflow.protocol.action.OFActionPopVlan;
import org.projectfloodlight.openflow.protocol.action.OFActionPushMpls;
import org.projectfloodlight.openflow.protocol.action.OFActionPushVlan;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.action.OFActionSetMplsTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionSetNwTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionSetQueue;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionClearActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionGotoTable;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionMeter;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionWriteActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionWriteMetadata;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Prints OpenFlow 1.3 instructions and actions as ovs-ofctl prints them
 * (Open vSwitch's ofpacts_format): {@code output:2}, {@code CONTROLLER:65535},
 * {@code set_field:10.0.0.1->ip_dst}, {@code write_actions(...)},
 * {@code goto_table:1}, and {@code drop} for none.
 */
public final class ActionFormatter {

    private ActionFormatter() {
    }

    public static String formatInstructions(List<OFInstruction> instructions) {
        StringBuilder s = new StringBuilder();
        for (OFInstruction instruction : instructions) {
            String text = switch (instruction) {
                case OFInstructionApplyActions apply -> apply.getActions().isEmpty() ? "" : formatActions(apply.getActions());
                case OFInstructionWriteActions write -> "write_actions(" + formatActions(write.getActions()) + ")";
                case OFInstructionClearActions ignored -> "clear_actions";
                case OFInstructionWriteMetadata wm -> "write_metadata:0x" + Long.toHexString(wm.getMetadata().getValue())
                        + (wm.getMetadataMask().getValue() == -1L ? "" : "/0x" + Long.toHexString(wm.getMetadataMask().getValue()));
                case OFInstructionGotoTable gt -> "goto_table:" + gt.getTableId().getValue();
                case OFInstructionMeter meter -> "meter:" + meter.getMeterId();
                default -> instruction.getType().toString().toLowerCase(java.util.Locale.ROOT);
            };
            if (text.isEmpty()) {
                continue;
            }
            if (!s.isEmpty()) {
                s.append(',');
            }
            s.append(text);
        }
        return s.isEmpty() ? "drop" : s.toString();
    }

    /** A list of actions; an empty list prints as "drop". */
    public static String formatActions(List<OFAction> actions) {
        if (actions.isEmpty()) {
            return "drop";
        }
        StringBuilder s = new StringBuilder();
        for (OFAction action : actions) {
            if (!s.isEmpty()) {
                s.append(',');
            }
            s.append(format(action));
        }
        return s.toString();
    }

    static String format(OFAction action) {
        return switch (action) {
            case OFActionOutput out -> output(out.getPort(), out.getMaxLen());
            case OFActionSetField sf -> "set_field:" + SetFieldSyntax.format(sf.getField());
            case OFActionGroup g -> "group:" + Integer.toUnsignedString(g.getGroup().getGroupNumber());
            case OFActionSetQueue q -> "set_queue:" + q.getQueueId();
            case OFActionPushVlan p -> "push_vlan:0x" + Integer.toHexString(p.getEthertype().getValue());
            case OFActionPopVlan ignored -> "pop_vlan";
            case OFActionPushMpls p -> String.format("push_mpls:0x%04x", p.getEthertype().getValue());
            case OFActionPopMpls p -> String.format("pop_mpls:0x%04x", p.getEthertype().getValue());
            case OFActionSetMplsTtl t -> "set_mpls_ttl(" + t.getMplsTtl() + ")";
            case OFActionDecMplsTtl ignored -> "dec_mpls_ttl";
            case OFActionSetNwTtl t -> "mod_nw_ttl:" + t.getNwTtl();
            case OFActionDecNwTtl ignored -> "dec_ttl";
            case OFActionCopyTtlIn ignored -> "copy_ttl_in";
            case OFActionCopyTtlOut ignored -> "copy_ttl_out";
            default -> action.getType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String output(OFPort port, int maxLen) {
        if (port.equals(OFPort.CONTROLLER)) {
            return "CONTROLLER:" + maxLen;
        }
        if (PortText.isReserved(port)) {
            return PortText.format(port);
        }
        return "output:" + Integer.toUnsignedString(port.getPortNumber());
    }
}
