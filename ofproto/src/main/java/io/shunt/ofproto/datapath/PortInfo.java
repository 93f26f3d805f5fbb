package io.shunt.ofproto.datapath;

import java.util.EnumSet;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortFeatures;
import org.projectfloodlight.openflow.protocol.OFPortState;

/**
 * A port as OpenFlow describes it (OF1.3 section 7.2.1, ofp_port): number,
 * hardware address, name, administrative config, state, features and
 * speeds. Immutable; a change is a new PortInfo.
 *
 * @param portNo     OpenFlow port number (1 .. OFPP_MAX, or OFPP_LOCAL)
 * @param hwAddr     MAC address, 48 bits
 * @param name       interface name, at most 15 characters on the wire
 * @param config     OFPPC_* bits (PORT_DOWN, NO_RECV, NO_FWD, NO_PACKET_IN, NO_FLOOD...)
 * @param state      OFPPS_* bits (LINK_DOWN, BLOCKED, LIVE)
 * @param curr       current features (speed, duplex, medium)
 * @param currSpeedKbps current bit rate in kbit/s
 * @param maxSpeedKbps  maximum bit rate in kbit/s
 */
public record PortInfo(int portNo, long hwAddr, String name, Set<OFPortConfig> config, Set<OFPortState> state,
                       Set<OFPortFeatures> curr, Set<OFPortFeatures> advertised, Set<OFPortFeatures> supported,
                       Set<OFPortFeatures> peer, long currSpeedKbps, long maxSpeedKbps) {

    public PortInfo {
        config = config.isEmpty() ? Set.of() : Set.copyOf(config);
        state = state.isEmpty() ? Set.of() : Set.copyOf(state);
        curr = Set.copyOf(curr);
        advertised = Set.copyOf(advertised);
        supported = Set.copyOf(supported);
        peer = Set.copyOf(peer);
    }

    /** A 10 Gb/s copper-less virtual port that is up and live. */
    public static PortInfo virtual(int portNo, long hwAddr, String name) {
        return new PortInfo(portNo, hwAddr, name, Set.of(), Set.of(OFPortState.LIVE),
                Set.of(OFPortFeatures.PF_10GB_FD), Set.of(), Set.of(), Set.of(), 10_000_000, 10_000_000);
    }

    /** Live for fast-failover: link up, not blocked, not administratively down (OF1.3 section 6.5). */
    public boolean isLive() {
        return !state.contains(OFPortState.LINK_DOWN) && !state.contains(OFPortState.BLOCKED)
                && !config.contains(OFPortConfig.PORT_DOWN);
    }

    /** This port with the OFPPC bits under {@code mask} set to {@code newConfig}. */
    public PortInfo withConfig(Set<OFPortConfig> newConfig, Set<OFPortConfig> mask) {
        EnumSet<OFPortConfig> c = EnumSet.noneOf(OFPortConfig.class);
        c.addAll(config);
        for (OFPortConfig bit : mask) {
            if (newConfig.contains(bit)) c.add(bit); else c.remove(bit);
        }
        return new PortInfo(portNo, hwAddr, name, c, state, curr, advertised, supported, peer, currSpeedKbps, maxSpeedKbps);
    }

    public PortInfo withState(Set<OFPortState> newState) {
        return new PortInfo(portNo, hwAddr, name, config, newState, curr, advertised, supported, peer, currSpeedKbps, maxSpeedKbps);
    }
}
