package io.shunt.ofproto.flow;

import io.shunt.ofproto.OfErrorException;
import io.shunt.ofproto.classifier.KeyField;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFBadActionCode;
import org.projectfloodlight.openflow.protocol.action.*;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Validates action lists (OF1.3 section 7.2.5, errors of section 7.4.4.6)
 * and computes each action's effect on the classifier key. Used for flow
 * instructions, group buckets and packet-out.
 */
public final class ActionValidator {
    private ActionValidator() {}

    /** Where an action list appears: output to OFPP_TABLE is only valid in a packet-out. */
    public enum Context { FLOW, GROUP_BUCKET, PACKET_OUT }

    private static final int OFPP_MAX = OFPort.MAX.getPortNumber();

    /**
     * Validates the actions; {@code match} is the flow's match for
     * set-field consistency (null outside flows). Returns the key edits,
     * aligned with the actions.
     */
    public static KeyEdit[] validate(List<OFAction> actions, CompiledMatch match, ActionEnv env, Context ctx)
            throws OfErrorException {
        KeyEdit[] edits = new KeyEdit[actions.size()];
        for (int i = 0; i < actions.size(); i++) {
            edits[i] = validate(actions.get(i), match, env, ctx);
        }
        return edits;
    }

    private static KeyEdit validate(OFAction a, CompiledMatch match, ActionEnv env, Context ctx) throws OfErrorException {
        switch (a) {
            case OFActionOutput o -> {
                checkOutPort(o.getPort(), env, ctx);
                return null;
            }
            case OFActionGroup g -> {
                if (!env.groupExists(g.getGroup().getGroupNumber())) {
                    throw OfErrorException.badAction(OFBadActionCode.BAD_OUT_GROUP,
                            "group " + Integer.toUnsignedString(g.getGroup().getGroupNumber()) + " does not exist");
                }
                return null;
            }
            case OFActionSetField sf -> {
                return setField(sf.getField(), match);
            }
            case OFActionPushVlan p -> {
                int t = p.getEthertype().getValue();
                if (t != 0x8100 && t != 0x88a8) {
                    throw OfErrorException.badAction(OFBadActionCode.BAD_ARGUMENT,
                            "push_vlan ethertype 0x" + Integer.toHexString(t) + " is not 0x8100 or 0x88a8");
                }
                return KeyEdit.pushVlan();
            }
            case OFActionPopVlan p -> {
                return KeyEdit.popVlan();
            }
            case OFActionPushMpls p -> {
                int t = p.getEthertype().getValue();
                if (t != 0x8847 && t != 0x8848) {
                    throw OfErrorException.badAction(OFBadActionCode.BAD_ARGUMENT,
                            "push_mpls ethertype 0x" + Integer.toHexString(t) + " is not 0x8847 or 0x8848");
                }
                return KeyEdit.pushMpls(t);
            }
            case OFActionPopMpls p -> {
                return KeyEdit.popMpls(p.getEthertype().getValue());
            }
            case OFActionPushPbb p -> {
                if (p.getEthertype().getValue() != 0x88e7) {
                    throw OfErrorException.badAction(OFBadActionCode.BAD_ARGUMENT, "push_pbb ethertype must be 0x88e7");
                }
                return null;
            }
            case OFActionPopPbb p -> {
                return null;
            }
            case OFActionSetQueue q -> {
                return null;
            }
            case OFActionSetMplsTtl t -> {
                return null;
            }
            case OFActionDecMplsTtl t -> {
                return null;
            }
            case OFActionSetNwTtl t -> {
                return null;
            }
            case OFActionDecNwTtl t -> {
                return null;
            }
            case OFActionCopyTtlIn t -> {
                return null;
            }
            case OFActionCopyTtlOut t -> {
                return null;
            }
            // OpenFlow 1.0 actions (Loxi only decodes them from 1.0 connections).
            case OFActionSetVlanVid v -> {
                return KeyEdit.set(KeyField.VLAN_VID, 0x1000 | v.getVlanVid().getVlan());
            }
            case OFActionSetVlanPcp v -> {
                return KeyEdit.set(KeyField.VLAN_PCP, v.getVlanPcp().getValue());
            }
            case OFActionStripVlan v -> {
                return KeyEdit.popVlan();
            }
            case OFActionSetDlSrc d -> {
                return KeyEdit.set(KeyField.ETH_SRC, d.getDlAddr().getLong());
            }
            case OFActionSetDlDst d -> {
                return KeyEdit.set(KeyField.ETH_DST, d.getDlAddr().getLong());
            }
            case OFActionSetNwSrc n -> {
                return KeyEdit.set(KeyField.NW_SRC, n.getNwAddr().getInt() & 0xffffffffL);
            }
            case OFActionSetNwDst n -> {
                return KeyEdit.set(KeyField.NW_DST, n.getNwAddr().getInt() & 0xffffffffL);
            }
            case OFActionSetNwTos n -> {
                return KeyEdit.set(KeyField.IP_DSCP, (n.getNwTos() & 0xff) >>> 2);
            }
            case OFActionSetTpSrc t -> {
                return KeyEdit.set(KeyField.TP_SRC, t.getTpPort().getPort());
            }
            case OFActionSetTpDst t -> {
                return KeyEdit.set(KeyField.TP_DST, t.getTpPort().getPort());
            }
            case OFActionEnqueue e -> {
                checkOutPort(e.getPort(), env, ctx);
                return null;
            }
            case OFActionExperimenter e -> throw OfErrorException.badAction(OFBadActionCode.BAD_EXPERIMENTER,
                    "experimenter action 0x" + Long.toHexString(e.getExperimenter()) + " is not supported");
            default -> throw OfErrorException.badAction(OFBadActionCode.BAD_TYPE,
                    "action " + a.getType() + " is not supported");
        }
    }

    private static void checkOutPort(OFPort port, ActionEnv env, Context ctx) throws OfErrorException {
        int p = port.getPortNumber();
        if (p == OFPort.IN_PORT.getPortNumber() || p == OFPort.ALL.getPortNumber() || p == OFPort.FLOOD.getPortNumber()
                || p == OFPort.CONTROLLER.getPortNumber() || p == OFPort.NORMAL.getPortNumber()) {
            return;
        }
        if (p == OFPort.LOCAL.getPortNumber()) return;
        if (p == OFPort.TABLE.getPortNumber()) {
            if (ctx == Context.PACKET_OUT) return;
            throw OfErrorException.badAction(OFBadActionCode.BAD_OUT_PORT, "output to TABLE is only valid in a packet-out");
        }
        if (p != 0 && Integer.compareUnsigned(p, OFPP_MAX) <= 0 && env.portExists(p)) return;
        throw OfErrorException.badAction(OFBadActionCode.BAD_OUT_PORT,
                "output port " + Integer.toUnsignedString(p) + " does not exist");
    }

    private static KeyEdit setField(OFOxm<?> oxm, CompiledMatch match) throws OfErrorException {
        OxmField f = OxmField.of(oxm.getMatchField().id);
        if (f == null || !f.settable) {
            throw OfErrorException.badAction(OFBadActionCode.BAD_SET_TYPE,
                    "set_field of " + oxm.getMatchField().getName() + " is not supported");
        }
        if (oxm.isMasked()) {
            throw OfErrorException.badAction(OFBadActionCode.BAD_SET_MASK,
                    "set_field of " + oxm.getMatchField().getName() + " cannot be masked in OpenFlow 1.3");
        }
        if (match != null && !MatchCompiler.setFieldConsistent(f, match)) {
            throw OfErrorException.badAction(OFBadActionCode.MATCH_INCONSISTENT,
                    "set_field of " + oxm.getMatchField().getName() + " without its prerequisite in the match");
        }
        long v = OxmValues.raw(f, oxm.getValue());
        if (f.is128()) return KeyEdit.set128(f.key, v, f.lowHalf(), OxmValues.rawLow(oxm.getValue()));
        if ((v & ~f.key.valueMask) != 0) {
            throw OfErrorException.badAction(OFBadActionCode.BAD_SET_ARGUMENT,
                    "set_field " + oxm.getMatchField().getName() + " value 0x" + Long.toHexString(v) + " is too wide");
        }
        if (f == OxmField.VLAN_VID) v |= 0x1000; // setting a VID keeps the tag present
        return KeyEdit.set(f.key, v);
    }
}
