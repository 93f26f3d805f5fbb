package io.shunt.ofproto.channel;

import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFAsyncConfigProp;
import org.projectfloodlight.openflow.protocol.OFAsyncConfigPropFlowRemovedMaster;
import org.projectfloodlight.openflow.protocol.OFAsyncConfigPropFlowRemovedSlave;
import org.projectfloodlight.openflow.protocol.OFAsyncConfigPropPacketInMaster;
import org.projectfloodlight.openflow.protocol.OFAsyncConfigPropPacketInSlave;
import org.projectfloodlight.openflow.protocol.OFAsyncConfigPropPortStatusMaster;
import org.projectfloodlight.openflow.protocol.OFAsyncConfigPropPortStatusSlave;
import org.projectfloodlight.openflow.protocol.OFAsyncConfigPropRequestforwardMaster;
import org.projectfloodlight.openflow.protocol.OFAsyncConfigPropRequestforwardSlave;
import org.projectfloodlight.openflow.protocol.OFAsyncConfigPropRoleStatusMaster;
import org.projectfloodlight.openflow.protocol.OFAsyncConfigPropRoleStatusSlave;
import org.projectfloodlight.openflow.protocol.OFAsyncConfigPropTableStatusMaster;
import org.projectfloodlight.openflow.protocol.OFAsyncConfigPropTableStatusSlave;
import org.projectfloodlight.openflow.protocol.OFAsyncGetReply;
import org.projectfloodlight.openflow.protocol.OFAsyncSet;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * Which asynchronous messages one connection receives, per role and reason
 * (OF1.3 section 6.1.1 and 7.3.10 SET_ASYNC; OF1.4 section 7.3.10 with
 * properties). Each mask has bit {@code 1 << reason} set for a wanted reason;
 * index 0 is for the master and equal roles, index 1 for slave.
 *
 * <p>Defaults, as the specification describes and Open vSwitch applies: a
 * master or equal controller gets every PACKET_IN reason but INVALID_TTL,
 * every PORT_STATUS and FLOW_REMOVED reason; a slave gets PORT_STATUS only;
 * ROLE_STATUS and TABLE_STATUS (1.4+) go to both; REQUESTFORWARD to none.
 */
final class AsyncConfig {

    enum Kind { PACKET_IN, PORT_STATUS, FLOW_REMOVED, ROLE_STATUS, TABLE_STATUS, REQUESTFORWARD }

    private static final int MASTER = 0;
    private static final int SLAVE = 1;

    private final long[][] masks = new long[2][Kind.values().length];

    static AsyncConfig defaults(OFVersion version) {
        AsyncConfig c = new AsyncConfig();
        boolean of14 = version.getWireVersion() >= OFVersion.OF_14.getWireVersion();
        // PACKET_IN reasons: NO_MATCH 0, ACTION 1, INVALID_TTL 2, ACTION_SET 3, GROUP 4, PACKET_OUT 5 (1.4).
        c.set(MASTER, Kind.PACKET_IN, of14 ? 0b111011 : 0b011);
        // PORT_STATUS reasons: ADD 0, DELETE 1, MODIFY 2.
        c.set(MASTER, Kind.PORT_STATUS, 0b111);
        c.set(SLAVE, Kind.PORT_STATUS, 0b111);
        // FLOW_REMOVED reasons: IDLE 0, HARD 1, DELETE 2, GROUP_DELETE 3, METER_DELETE 4, EVICTION 5 (1.4).
        c.set(MASTER, Kind.FLOW_REMOVED, of14 ? 0b111111 : 0b1111);
        // ROLE_STATUS reasons: MASTER_REQUEST 0, CONFIG 1, EXPERIMENTER 2; TABLE_STATUS: VACANCY_DOWN 3, UP 4.
        c.set(MASTER, Kind.ROLE_STATUS, 0b111);
        c.set(SLAVE, Kind.ROLE_STATUS, 0b111);
        c.set(MASTER, Kind.TABLE_STATUS, 0b11000);
        c.set(SLAVE, Kind.TABLE_STATUS, 0b11000);
        return c;
    }

    boolean wants(OFControllerRole role, OFType type, int reason) {
        Kind kind = switch (type) {
            case PACKET_IN -> Kind.PACKET_IN;
            case PORT_STATUS -> Kind.PORT_STATUS;
            case FLOW_REMOVED -> Kind.FLOW_REMOVED;
            case ROLE_STATUS -> Kind.ROLE_STATUS;
            case TABLE_STATUS -> Kind.TABLE_STATUS;
            case REQUESTFORWARD -> Kind.REQUESTFORWARD;
            default -> null;
        };
        if (kind == null || reason < 0 || reason >= 64) {
            return false;
        }
        int index = role == OFControllerRole.ROLE_SLAVE ? SLAVE : MASTER;
        return (masks[index][kind.ordinal()] & (1L << reason)) != 0;
    }

    /** Applies a SET_ASYNC: OF1.3 carries all six masks; 1.4+ carries only the properties it changes. */
    void apply(OFAsyncSet set) {
        if (set.getVersion() == OFVersion.OF_13) {
            set(MASTER, Kind.PACKET_IN, set.getPacketInMaskEqualMaster());
            set(SLAVE, Kind.PACKET_IN, set.getPacketInMaskSlave());
            set(MASTER, Kind.PORT_STATUS, set.getPortStatusMaskEqualMaster());
            set(SLAVE, Kind.PORT_STATUS, set.getPortStatusMaskSlave());
            set(MASTER, Kind.FLOW_REMOVED, set.getFlowRemovedMaskEqualMaster());
            set(SLAVE, Kind.FLOW_REMOVED, set.getFlowRemovedMaskSlave());
            return;
        }
        for (OFAsyncConfigProp p : set.getProperties()) {
            switch (p) {
                case OFAsyncConfigPropPacketInMaster m -> set(MASTER, Kind.PACKET_IN, m.getMask());
                case OFAsyncConfigPropPacketInSlave m -> set(SLAVE, Kind.PACKET_IN, m.getMask());
                case OFAsyncConfigPropPortStatusMaster m -> set(MASTER, Kind.PORT_STATUS, m.getMask());
                case OFAsyncConfigPropPortStatusSlave m -> set(SLAVE, Kind.PORT_STATUS, m.getMask());
                case OFAsyncConfigPropFlowRemovedMaster m -> set(MASTER, Kind.FLOW_REMOVED, m.getMask());
                case OFAsyncConfigPropFlowRemovedSlave m -> set(SLAVE, Kind.FLOW_REMOVED, m.getMask());
                case OFAsyncConfigPropRoleStatusMaster m -> set(MASTER, Kind.ROLE_STATUS, m.getMask());
                case OFAsyncConfigPropRoleStatusSlave m -> set(SLAVE, Kind.ROLE_STATUS, m.getMask());
                case OFAsyncConfigPropTableStatusMaster m -> set(MASTER, Kind.TABLE_STATUS, m.getMask());
                case OFAsyncConfigPropTableStatusSlave m -> set(SLAVE, Kind.TABLE_STATUS, m.getMask());
                case OFAsyncConfigPropRequestforwardMaster m -> set(MASTER, Kind.REQUESTFORWARD, m.getMask());
                case OFAsyncConfigPropRequestforwardSlave m -> set(SLAVE, Kind.REQUESTFORWARD, m.getMask());
                default -> throw new IllegalArgumentException("unsupported async config property type " + p.getType());
            }
        }
    }

    OFAsyncGetReply reply(OFFactory f, long xid) {
        OFAsyncGetReply.Builder b = f.buildAsyncGetReply().setXid(xid);
        if (f.getVersion() == OFVersion.OF_13) {
            return b.setPacketInMaskEqualMaster(get(MASTER, Kind.PACKET_IN))
                    .setPacketInMaskSlave(get(SLAVE, Kind.PACKET_IN))
                    .setPortStatusMaskEqualMaster(get(MASTER, Kind.PORT_STATUS))
                    .setPortStatusMaskSlave(get(SLAVE, Kind.PORT_STATUS))
                    .setFlowRemovedMaskEqualMaster(get(MASTER, Kind.FLOW_REMOVED))
                    .setFlowRemovedMaskSlave(get(SLAVE, Kind.FLOW_REMOVED))
                    .build();
        }
        List<OFAsyncConfigProp> props = new ArrayList<>();
        props.add(f.asyncConfigPropPacketInSlave(get(SLAVE, Kind.PACKET_IN)));
        props.add(f.asyncConfigPropPacketInMaster(get(MASTER, Kind.PACKET_IN)));
        props.add(f.asyncConfigPropPortStatusSlave(get(SLAVE, Kind.PORT_STATUS)));
        props.add(f.asyncConfigPropPortStatusMaster(get(MASTER, Kind.PORT_STATUS)));
        props.add(f.asyncConfigPropFlowRemovedSlave(get(SLAVE, Kind.FLOW_REMOVED)));
        props.add(f.asyncConfigPropFlowRemovedMaster(get(MASTER, Kind.FLOW_REMOVED)));
        props.add(f.asyncConfigPropRoleStatusSlave(get(SLAVE, Kind.ROLE_STATUS)));
        props.add(f.asyncConfigPropRoleStatusMaster(get(MASTER, Kind.ROLE_STATUS)));
        props.add(f.asyncConfigPropTableStatusSlave(get(SLAVE, Kind.TABLE_STATUS)));
        props.add(f.asyncConfigPropTableStatusMaster(get(MASTER, Kind.TABLE_STATUS)));
        props.add(f.asyncConfigPropRequestforwardSlave(get(SLAVE, Kind.REQUESTFORWARD)));
        props.add(f.asyncConfigPropRequestforwardMaster(get(MASTER, Kind.REQUESTFORWARD)));
        return b.setProperties(props).build();
    }

    private void set(int index, Kind kind, long mask) {
        masks[index][kind.ordinal()] = mask & 0xFFFF_FFFFL;
    }

    private long get(int index, Kind kind) {
        return masks[index][kind.ordinal()];
    }
}
