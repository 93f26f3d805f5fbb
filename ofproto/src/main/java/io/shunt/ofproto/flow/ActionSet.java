package io.shunt.ofproto.flow;

import java.util.Arrays;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionGroup;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.match.MatchFields;

/**
 * The action set of OF1.3 section 5.10: at most one action of each type
 * (one set-field per field), executed at the end of the pipeline in the
 * specification's order. Fixed slots, reused per packet: no allocation.
 */
final class ActionSet {
    // Slots in execution order (section 5.10).
    private static final int COPY_TTL_IN = 0, POP = 1, PUSH_MPLS = 2, PUSH_PBB = 3, PUSH_VLAN = 4,
            COPY_TTL_OUT = 5, DEC_TTL = 6, SET_TTL = 7, SET_FIELD_BASE = 8;
    private static final int SET_FIELDS = MatchFields.values().length;
    private static final int LEGACY_SET = SET_FIELD_BASE + SET_FIELDS; // OF1.0 set actions, by type
    private static final int LEGACY_SLOTS = 16;
    private static final int QOS = LEGACY_SET + LEGACY_SLOTS, GROUP = QOS + 1, OUTPUT = GROUP + 1, SLOTS = OUTPUT + 1;

    private final OFAction[] slots = new OFAction[SLOTS];
    private int used;

    void clear() {
        if (used != 0) {
            Arrays.fill(slots, null);
            used = 0;
        }
    }

    void write(OFAction[] actions) {
        for (OFAction a : actions) {
            slots[slotOf(a)] = a;
            used++;
        }
    }

    /** Appends the set's actions in execution order; an output is dropped when a group is present (section 5.10). */
    int drainTo(OFAction[] out, int count) {
        if (used == 0) return count;
        for (int i = 0; i < SLOTS; i++) {
            OFAction a = slots[i];
            if (a == null) continue;
            if (i == OUTPUT && slots[GROUP] != null) continue;
            out[count++] = a;
        }
        return count;
    }

    private static int slotOf(OFAction a) {
        return switch (a.getType()) {
            case COPY_TTL_IN -> COPY_TTL_IN;
            case POP_VLAN, POP_MPLS, POP_PBB, STRIP_VLAN -> POP;
            case PUSH_MPLS -> PUSH_MPLS;
            case PUSH_PBB -> PUSH_PBB;
            case PUSH_VLAN -> PUSH_VLAN;
            case COPY_TTL_OUT -> COPY_TTL_OUT;
            case DEC_MPLS_TTL, DEC_NW_TTL -> DEC_TTL;
            case SET_MPLS_TTL, SET_NW_TTL -> SET_TTL;
            case SET_FIELD -> SET_FIELD_BASE + ((OFActionSetField) a).getField().getMatchField().id.ordinal();
            case SET_VLAN_VID, SET_VLAN_PCP, SET_DL_SRC, SET_DL_DST, SET_NW_SRC, SET_NW_DST, SET_NW_TOS,
                 SET_TP_SRC, SET_TP_DST, SET_NW_ECN, SET_MPLS_LABEL, SET_MPLS_TC ->
                    LEGACY_SET + (a.getType().ordinal() % LEGACY_SLOTS);
            case SET_QUEUE, ENQUEUE -> QOS;
            case GROUP -> GROUP;
            case OUTPUT -> OUTPUT;
            default -> QOS; // experimenter actions were refused at install; keep the slot deterministic
        };
    }

    static boolean isOutput(OFAction a) {
        return a instanceof OFActionOutput;
    }

    static boolean isGroup(OFAction a) {
        return a instanceof OFActionGroup;
    }
}
