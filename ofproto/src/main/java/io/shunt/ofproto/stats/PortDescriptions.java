package io.shunt.ofproto.stats;

import io.shunt.ofproto.datapath.PortInfo;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.ver14.OFPortFeaturesSerializerVer14;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/** Builds ofp_port descriptions for a connection's version (1.4+ carry the Ethernet fields as a property). */
public final class PortDescriptions {
    private PortDescriptions() {}

    // OF1.0 knows STP config bits and no LIVE/BLOCKED states; 1.1+ dropped the STP bits (ofp_port_config/state).
    private static final Set<OFPortConfig> CONFIG_10 = EnumSet.of(OFPortConfig.PORT_DOWN, OFPortConfig.NO_STP,
            OFPortConfig.NO_RECV, OFPortConfig.NO_RECV_STP, OFPortConfig.NO_FLOOD, OFPortConfig.NO_FWD, OFPortConfig.NO_PACKET_IN);
    private static final Set<OFPortConfig> CONFIG_11 = EnumSet.of(OFPortConfig.PORT_DOWN, OFPortConfig.NO_RECV,
            OFPortConfig.NO_FWD, OFPortConfig.NO_PACKET_IN);
    private static final Set<OFPortState> STATE_10 = EnumSet.of(OFPortState.LINK_DOWN, OFPortState.STP_LISTEN,
            OFPortState.STP_LEARN, OFPortState.STP_FORWARD, OFPortState.STP_BLOCK);
    private static final Set<OFPortState> STATE_11 = EnumSet.of(OFPortState.LINK_DOWN, OFPortState.BLOCKED, OFPortState.LIVE);

    private static <E extends Enum<E>> Set<E> only(Set<E> bits, Set<E> allowed, Class<E> type) {
        EnumSet<E> out = EnumSet.noneOf(type);
        for (E e : bits) if (allowed.contains(e)) out.add(e);
        return out;
    }

    public static OFPortDesc of(OFFactory f, PortInfo p) {
        boolean v10 = f.getVersion() == OFVersion.OF_10;
        OFPortDesc.Builder b = f.buildPortDesc()
                .setPortNo(OFPort.of(p.portNo()))
                .setHwAddr(MacAddress.of(p.hwAddr()))
                .setName(p.name().length() > 15 ? p.name().substring(0, 15) : p.name())
                .setConfig(only(p.config(), v10 ? CONFIG_10 : CONFIG_11, OFPortConfig.class))
                .setState(only(p.state(), v10 ? STATE_10 : STATE_11, OFPortState.class));
        if (f.getVersion().compareTo(OFVersion.OF_14) >= 0) {
            b.setProperties(List.of(f.buildPortDescPropEthernet()
                    .setCurr(OFPortFeaturesSerializerVer14.toWireValue(p.curr()))
                    .setAdvertised(OFPortFeaturesSerializerVer14.toWireValue(p.advertised()))
                    .setSupported(OFPortFeaturesSerializerVer14.toWireValue(p.supported()))
                    .setPeer(OFPortFeaturesSerializerVer14.toWireValue(p.peer()))
                    .setCurrSpeed(p.currSpeedKbps())
                    .setMaxSpeed(p.maxSpeedKbps())
                    .build()));
        } else {
            b.setCurr(p.curr()).setAdvertised(p.advertised()).setSupported(p.supported()).setPeer(p.peer());
            if (f.getVersion() != OFVersion.OF_10) b.setCurrSpeed(p.currSpeedKbps()).setMaxSpeed(p.maxSpeedKbps());
        }
        return b.build();
    }
}
