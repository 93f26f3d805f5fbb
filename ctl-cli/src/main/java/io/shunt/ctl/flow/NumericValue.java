package io.shunt.ctl.flow;

import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.ICMPv4Code;
import org.projectfloodlight.openflow.types.ICMPv4Type;
import org.projectfloodlight.openflow.types.IPv6FlowLabel;
import org.projectfloodlight.openflow.types.IpDscp;
import org.projectfloodlight.openflow.types.IpEcn;
import org.projectfloodlight.openflow.types.IpProtocol;
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

/** The number inside one of Loxi's small value types (each has its own getter). */
final class NumericValue {

    private NumericValue() {
    }

    static long of(OFValueType<?> value) {
        return switch (value) {
            case U8 v -> v.getValue();
            case U16 v -> v.getValue();
            case U32 v -> v.getValue();
            case U64 v -> v.getValue();
            case OFMetadata v -> v.getValue().getValue();
            case VlanPcp v -> v.getValue();
            case IpDscp v -> v.getDscpValue();
            case IpEcn v -> v.getEcnValue();
            case IpProtocol v -> v.getIpProtocolNumber();
            case TransportPort v -> v.getPort();
            case ICMPv4Type v -> v.getType();
            case ICMPv4Code v -> v.getCode();
            case ArpOpcode v -> v.getOpcode();
            case IPv6FlowLabel v -> v.getIPv6FlowLabelValue();
            case OFVlanVidMatch v -> v.getRawVid() & 0xffff;
            case OFBooleanValue v -> v.getInt();
            case EthType v -> v.getValue();
            case OFPort v -> v.getPortNumber() & 0xffffffffL;
            default -> throw new IllegalArgumentException("not a numeric field value: " + value.getClass().getSimpleName());
        };
    }
}
