package io.shunt.p2p.model;

import java.util.Objects;

/**
 * What the detector needs to know of one bridge port.
 *
 * @param portNo      the OpenFlow port number (unsigned 32-bit)
 * @param dpdkr       whether the port is a {@code dpdkr} port (a VNF's shared-memory rings);
 *                    only such ports can be either end of a direct path
 * @param trustDomain the trust domain whose packet pool the port shares; A and B of a direct
 *                    path must be in the same one (DESIGN section 2: crossing domains copies)
 * @param up          whether the port forwards at all: the adapter sets it to false when the
 *                    port is administratively down ({@code OFPPC_PORT_DOWN}), its link is down
 *                    ({@code OFPPS_LINK_DOWN}), or it drops received or forwarded packets
 *                    ({@code OFPPC_NO_RECV}, {@code OFPPC_NO_FWD}). A port that is not up is
 *                    never either end of a direct path.
 */
public record PortView(int portNo, boolean dpdkr, String trustDomain, boolean up) {
    public PortView {
        Objects.requireNonNull(trustDomain, () -> "trustDomain of port " + PortNumbers.format(portNo));
    }

    /** Whether this port can be the A or the B of a direct path, trust domains aside. */
    public boolean canCarryDirectPath() {
        return dpdkr && up && !PortNumbers.isReserved(portNo);
    }

    @Override
    public String toString() {
        return "port " + PortNumbers.format(portNo) + (dpdkr ? " dpdkr" : " other")
                + " domain=" + trustDomain + (up ? " up" : " down");
    }
}
