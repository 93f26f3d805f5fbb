package io.shunt.ofproto.datapath;

/**
 * Counters of one port (OF1.3 section 7.3.5.6, ofp_port_stats). For a
 * dpdkr port with a direct link, the datapath adds the link ring's counters
 * (DESIGN section 4.4).
 *
 * @param uptimeNanos time since the port was added
 */
public record PortCounters(long rxPackets, long txPackets, long rxBytes, long txBytes, long rxDropped,
                           long txDropped, long rxErrors, long txErrors, long uptimeNanos) {
    public static final PortCounters ZERO = new PortCounters(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
