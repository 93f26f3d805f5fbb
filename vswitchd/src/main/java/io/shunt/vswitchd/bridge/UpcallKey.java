package io.shunt.vswitchd.bridge;

import io.shunt.datapath.flow.EtherType;
import io.shunt.datapath.flow.FlowKey;
import io.shunt.datapath.flow.IpProto;
import io.shunt.ofproto.classifier.KeyField;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Builds ofproto's OpenFlow key for an upcall from the key the PMD already parsed, so a
 * miss does not parse the packet a second time. OpenFlow match semantics stay ofproto's
 * ({@code FrameParser}): the conversion is taken only for the packet shapes where the two
 * parsers provably agree, and {@link #convert} says no for every other one, which the
 * caller then gives to {@code FrameParser} (the oracle test {@code UpcallKeyTest} checks
 * the agreement, field by field, on every shape and on truncated and mutated frames).
 *
 * <p>Taken: a datapath parse without any error flag, at most one 802.1Q/802.1ad tag, an
 * EtherType that is the one on the wire (not an 802.3 length or LLC/SNAP), and an L3 of
 * IPv4 or IPv6 without extension headers (TCP, UDP, SCTP, ICMP, non-ND ICMPv6, anything
 * else without ports), MPLS, or anything the parsers do not look into. Not taken: ARP and
 * RARP (the datapath checks the hardware type, ofproto does not), QinQ, IPv6 extension
 * headers, ND (ofproto reads the first option only), and ICMP in the wrong IP version.
 */
final class UpcallKey {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int ND_NS = 135;
    private static final int ND_NA = 136;

    private UpcallKey() {
    }

    /**
     * Fills {@code of} (cleared first) from {@code dp}, the datapath key of the frame at
     * {@code segment[offset, offset + length)}; false (and {@code of} unspecified) when this
     * packet's shape is not one the conversion covers.
     */
    static boolean convert(FlowKey dp, MemorySegment segment, long offset, int length, int inPort,
                           io.shunt.ofproto.classifier.FlowKey of) {
        if (dp.status() != 0 || dp.vlanTpid2() != 0 || length < 14) {
            return false;
        }
        int tpid = dp.vlanTpid();
        int typeAt = tpid == 0 ? 12 : 16;
        if (tpid != 0 && tpid != EtherType.VLAN_8021Q && tpid != EtherType.VLAN_8021AD) {
            return false;
        }
        int type = dp.dlType();
        // an 802.3 frame's dl_type is not what is on the wire; ofproto keys the raw value
        if ((segment.get(U16, offset + typeAt) & 0xffff) != type) {
            return false;
        }
        of.clear();
        of.inPort(inPort);
        of.set(KeyField.IN_PHY_PORT, inPort & 0xffffffffL);
        of.ethDst(dp.dlDst());
        of.ethSrc(dp.dlSrc());
        if (tpid != 0) {
            int tci = dp.vlanTci();
            of.vlanVid(0x1000 | (tci & 0xfff));
            of.vlanPcp(tci >>> 13);
        }
        of.ethType(type);
        switch (type) {
            case EtherType.IPV4 -> {
                int proto = dp.nwProto();
                if (proto == IpProto.ICMPV6) {
                    return false;
                }
                ip(dp, of);
                of.ipv4Src(dp.nwSrc());
                of.ipv4Dst(dp.nwDst());
            }
            case EtherType.IPV6 -> {
                int proto = dp.nwProto();
                // the fixed header's next header is the upper-layer protocol: no extension headers walked
                int next = segment.get(ValueLayout.JAVA_BYTE, offset + typeAt + 2 + 6) & 0xff;
                if (next != proto || proto == IpProto.ICMP
                        || (proto == IpProto.ICMPV6 && (dp.tpSrc() == ND_NS || dp.tpSrc() == ND_NA))) {
                    return false;
                }
                ip(dp, of);
                of.set(KeyField.IPV6_FLABEL, dp.ipv6Label());
                of.ipv6Src(dp.ipv6SrcHi(), dp.ipv6SrcLo());
                of.ipv6Dst(dp.ipv6DstHi(), dp.ipv6DstLo());
            }
            case EtherType.ARP, EtherType.RARP -> {
                return false;
            }
            case EtherType.MPLS_UNICAST, EtherType.MPLS_MULTICAST -> {
                long lse = dp.mplsLse() & 0xffffffffL;
                of.set(KeyField.MPLS_LABEL, lse >>> 12);
                of.set(KeyField.MPLS_TC, (lse >>> 9) & 7);
                of.set(KeyField.MPLS_BOS, (lse >>> 8) & 1);
            }
            default -> { }
        }
        return true;
    }

    /** The fields IPv4 and IPv6 share; ports are 0 in the datapath key when the packet has none. */
    private static void ip(FlowKey dp, io.shunt.ofproto.classifier.FlowKey of) {
        int tos = dp.nwTos();
        of.ipDscp(tos >>> 2).ipEcn(tos & 3);
        of.ipProto(dp.nwProto());
        of.tpSrc(dp.tpSrc());
        of.tpDst(dp.tpDst());
    }
}
