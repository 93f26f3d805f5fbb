package io.shunt.ofproto.flow;

import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.ICMPv4Code;
import org.projectfloodlight.openflow.types.ICMPv4Type;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.IPv6FlowLabel;
import org.projectfloodlight.openflow.types.IpDscp;
import org.projectfloodlight.openflow.types.IpEcn;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBooleanValue;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFValueType;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U16;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.U8;
import org.projectfloodlight.openflow.types.VlanPcp;

/** Converts Loxi's typed field values to the raw numbers the classifier key holds. */
final class OxmValues {
    private OxmValues() {}

    /**
     * The value of field {@code f} as an unsigned number; for IPv6
     * addresses the high 64 bits. A switch on the field (a table jump) rather
     * than on the value's class: this runs for every field of every FLOW_MOD.
     */
    static long raw(OxmField f, OFValueType<?> v) {
        return switch (f) {
            case IN_PORT, IN_PHY_PORT -> ((OFPort) v).getPortNumber() & 0xffffffffL;
            case METADATA -> ((OFMetadata) v).getValue().getValue();
            case ETH_DST, ETH_SRC, ARP_SHA, ARP_THA, IPV6_ND_SLL, IPV6_ND_TLL -> ((MacAddress) v).getLong();
            case ETH_TYPE -> ((EthType) v).getValue() & 0xffff;
            case VLAN_VID -> ((OFVlanVidMatch) v).getRawVid() & 0xffff;
            case VLAN_PCP -> ((VlanPcp) v).getValue() & 0xff;
            case IP_DSCP -> ((IpDscp) v).getDscpValue() & 0xff;
            case IP_ECN -> ((IpEcn) v).getEcnValue() & 0xff;
            case IP_PROTO -> ((IpProtocol) v).getIpProtocolNumber() & 0xff;
            case IPV4_SRC, IPV4_DST, ARP_SPA, ARP_TPA -> ((IPv4Address) v).getInt() & 0xffffffffL;
            case TCP_SRC, TCP_DST, UDP_SRC, UDP_DST, SCTP_SRC, SCTP_DST -> ((TransportPort) v).getPort() & 0xffff;
            case ICMPV4_TYPE -> ((ICMPv4Type) v).getType() & 0xff;
            case ICMPV4_CODE -> ((ICMPv4Code) v).getCode() & 0xff;
            case ARP_OP -> ((ArpOpcode) v).getOpcode() & 0xffff;
            case IPV6_FLABEL -> ((IPv6FlowLabel) v).getIPv6FlowLabelValue() & 0xffffffffL;
            case ICMPV6_TYPE, ICMPV6_CODE, MPLS_TC -> ((U8) v).getValue();
            case IPV6_EXTHDR -> ((U16) v).getValue();
            case MPLS_LABEL -> ((U32) v).getValue();
            case TUNNEL_ID -> ((U64) v).getValue();
            case MPLS_BOS -> ((OFBooleanValue) v).getValue() ? 1 : 0;
            case IPV6_SRC, IPV6_DST, IPV6_ND_TARGET -> half(((IPv6Address) v).getBytes(), 0);
        };
    }

    /** The low 64 bits of an IPv6 address. */
    static long rawLow(OFValueType<?> v) {
        return half(((IPv6Address) v).getBytes(), 8);
    }

    private static long half(byte[] b, int from) {
        long x = 0;
        for (int i = from; i < from + 8; i++) x = (x << 8) | (b[i] & 0xff);
        return x;
    }
}
