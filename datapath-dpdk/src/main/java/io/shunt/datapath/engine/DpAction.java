package io.shunt.datapath.engine;

/**
 * One step of a datapath action program ({@link ActionProgram}): what the engine does to a
 * packet, with every OpenFlow decision already taken by the layer above. Immutable; the
 * PMD dispatches on the record type (a switch over a sealed hierarchy, no allocation).
 */
public sealed interface DpAction {

    /** Sends the packet (as it is now) to a port; a missing or down port counts a drop. */
    record Output(int portNo) implements DpAction { }

    /** Sends the packet back to the port it came from (OFPP_IN_PORT). */
    record OutputInPort() implements DpAction { }

    /** Sends the packet to every port but the input port; {@code all} ignores no-flood ports (OFPP_ALL). */
    record Flood(boolean all) implements DpAction { }

    /** Forwards as a MAC-learning switch (OFPP_NORMAL), with the bridge's {@link MacLearningTable}. */
    record Normal() implements DpAction { }

    /** Hands a copy of the packet to the layer above (a packet-in to the controllers). */
    record Userspace(PacketUpcall upcall) implements DpAction { }

    /** Runs the packet through the flow caches again, as received on the input port (OFPP_TABLE in a packet-out). */
    record Table() implements DpAction { }

    /** Applies a meter: when {@code gate} refuses the packet, it is dropped and the program ends. */
    record Meter(MeterGate gate) implements DpAction { }

    /** Runs {@code program} on a copy of the packet (a bucket of an ALL group), then continues on the original. */
    record Clone(ActionProgram program) implements DpAction { }

    record SetEthSrc(long mac) implements DpAction { }

    record SetEthDst(long mac) implements DpAction { }

    /** Sets the VID of the outermost tag; an untagged packet is left alone (OF1.3 set-field prerequisite). */
    record SetVlanVid(int vid) implements DpAction { }

    record SetVlanPcp(int pcp) implements DpAction { }

    record PushVlan(int tpid) implements DpAction { }

    record PopVlan() implements DpAction { }

    record SetIpv4Src(int address) implements DpAction { }

    record SetIpv4Dst(int address) implements DpAction { }

    record SetIpDscp(int dscp) implements DpAction { }

    /** Sets the IPv4 TTL (checksum updated) or the IPv6 hop limit. */
    record SetNwTtl(int ttl) implements DpAction { }

    /** Decrements the IPv4 TTL (checksum updated) or the IPv6 hop limit; a packet whose TTL expires is dropped. */
    record DecTtl() implements DpAction { }

    /** Sets the IPv6 source address ({@code high}, {@code low}: its two halves in network order); the L4 checksum follows. */
    record SetIpv6Src(long high, long low) implements DpAction { }

    record SetIpv6Dst(long high, long low) implements DpAction { }

    record SetIpv6FlowLabel(int label) implements DpAction { }

    /** Sets the TCP, UDP or SCTP source port (whichever the packet carries); its checksum follows. */
    record SetTransportSrc(int port) implements DpAction { }

    record SetTransportDst(int port) implements DpAction { }

    /**
     * Pushes an MPLS label stack entry after the VLAN tags and sets the EtherType to
     * {@code ethertype}; the entry's fields are taken from the packet as it is then
     * ({@link io.shunt.datapath.action.MplsEdits#pushDerived}).
     */
    record PushMpls(int ethertype) implements DpAction { }

    /** Pops the top MPLS entry; {@code ethertype} is what follows it. A packet without MPLS is left alone. */
    record PopMpls(int ethertype) implements DpAction { }

    record SetMplsLabel(int label) implements DpAction { }

    record SetMplsTc(int tc) implements DpAction { }

    record SetMplsTtl(int ttl) implements DpAction { }

    /** Decrements the top MPLS entry's TTL; a packet whose TTL expires is dropped. */
    record DecMplsTtl() implements DpAction { }

    /** Drops the packet, counted under {@code reason} (e.g. an action this datapath cannot execute). */
    record Drop(DropReason reason) implements DpAction { }
}
