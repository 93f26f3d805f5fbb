package io.shunt.ofproto.stats;

import io.shunt.ofproto.datapath.PortInfo;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.ver14.OFPortFeaturesSerializerVer14;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/** Builds ofp_port descriptions for a connection's version (1.4+ carry the Ethernet fields as a property). */
public final class PortDescriptions {
    private PortDescriptions() {}

    public static OFPortDesc of(OFFactory f, PortInfo p) {
        OFPortDesc.Builder b = f.buildPortDesc()
                .setPortNo(OFPort.of(p.portNo()))
                .setHwAddr(MacAddress.of(p.hwAddr()))
                .setName(p.name().length() > 15 ? p.name().substring(0, 15) : p.name())
                .setConfig(p.config())
                .setState(stateFor(f.getVersion(), p.state()));
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

    /** OFPPS_LIVE exists from 1.1 on; an OF1.0 port description cannot carry it (Loxi refuses to encode it). */
    private static java.util.Set<org.projectfloodlight.openflow.protocol.OFPortState> stateFor(
            OFVersion v, java.util.Set<org.projectfloodlight.openflow.protocol.OFPortState> state) {
        if (v != OFVersion.OF_10 || !state.contains(org.projectfloodlight.openflow.protocol.OFPortState.LIVE)) {
            return state;
        }
        java.util.Set<org.projectfloodlight.openflow.protocol.OFPortState> s =
                java.util.EnumSet.noneOf(org.projectfloodlight.openflow.protocol.OFPortState.class);
        s.addAll(state);
        s.remove(org.projectfloodlight.openflow.protocol.OFPortState.LIVE);
        return s;
    }
}
