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

    /** The value as an unsigned number; for IPv6 addresses the high 64 bits. */
    static long raw(OFValueType<?> v) {
        return switch (v) {
            case OFPort p -> p.getPortNumber() & 0xffffffffL;
            case OFMetadata m -> m.getValue().getValue();
            case MacAddress m -> m.getLong();
            case EthType t -> t.getValue() & 0xffff;
            case OFVlanVidMatch vid -> vid.getRawVid() & 0xffff;
            case VlanPcp p -> p.getValue() & 0xff;
            case IpDscp d -> d.getDscpValue() & 0xff;
            case IpEcn e -> e.getEcnValue() & 0xff;
            case IpProtocol p -> p.getIpProtocolNumber() & 0xff;
            case IPv4Address a -> a.getInt() & 0xffffffffL;
            case TransportPort p -> p.getPort() & 0xffff;
            case ICMPv4Type t -> t.getType() & 0xff;
            case ICMPv4Code c -> c.getCode() & 0xff;
            case ArpOpcode o -> o.getOpcode() & 0xffff;
            case IPv6FlowLabel l -> l.getIPv6FlowLabelValue() & 0xffffffffL;
            case U8 u -> u.getValue();
            case U16 u -> u.getValue();
            case U32 u -> u.getValue();
            case U64 u -> u.getValue();
            case OFBooleanValue b -> b.getValue() ? 1 : 0;
            case IPv6Address a -> half(a.getBytes(), 0);
            default -> throw new IllegalArgumentException("no raw form for " + v.getClass().getSimpleName());
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
