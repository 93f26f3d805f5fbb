package io.shunt.ctl.flow;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.types.ArpOpcode;
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
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.U8;
import org.projectfloodlight.openflow.types.VlanPcp;

/**
 * The fields of {@code set_field:VALUE->FIELD}, both ways: the names
 * ovs-actions(7) accepts, and the one name and value format ovs-ofctl prints
 * for each OXM (so that shunt-ctl's dump-flows lines equal ovs-ofctl's).
 */
final class SetFieldSyntax {

    enum Kind { MAC, IPV4, IPV6, DECIMAL, HEX, PORT }

    /** One settable field: the OXM, how its value is written, its width, and how to build it from a number. */
    record FieldDef(String name, MatchField<?> field, Kind kind, int bits, LongFunction<OFValueType<?>> fromNumber) {
    }

    /** Canonical definitions, by the name ovs-ofctl prints. */
    private static final Map<MatchField<?>, FieldDef> BY_FIELD = new LinkedHashMap<>();
    private static final Map<String, FieldDef> BY_NAME = new HashMap<>();

    static {
        def("in_port", MatchField.IN_PORT, Kind.PORT, 32, v -> OFPort.ofInt((int) v));
        def("eth_src", MatchField.ETH_SRC, Kind.MAC, 48, null, "dl_src");
        def("eth_dst", MatchField.ETH_DST, Kind.MAC, 48, null, "dl_dst");
        def("vlan_vid", MatchField.VLAN_VID, Kind.DECIMAL, 13, v -> OFVlanVidMatch.ofRawVid((short) (v | 0x1000)));
        def("vlan_pcp", MatchField.VLAN_PCP, Kind.DECIMAL, 3, v -> VlanPcp.of((byte) v), "dl_vlan_pcp");
        def("ip_dscp", MatchField.IP_DSCP, Kind.DECIMAL, 6, v -> IpDscp.of((byte) v));
        def("nw_ecn", MatchField.IP_ECN, Kind.DECIMAL, 2, v -> IpEcn.of((byte) v), "ip_ecn");
        def("nw_proto", MatchField.IP_PROTO, Kind.DECIMAL, 8, v -> IpProtocol.of((short) v), "ip_proto");
        def("ip_src", MatchField.IPV4_SRC, Kind.IPV4, 32, null, "nw_src");
        def("ip_dst", MatchField.IPV4_DST, Kind.IPV4, 32, null, "nw_dst");
        def("tcp_src", MatchField.TCP_SRC, Kind.DECIMAL, 16, v -> TransportPort.of((int) v));
        def("tcp_dst", MatchField.TCP_DST, Kind.DECIMAL, 16, v -> TransportPort.of((int) v));
        def("udp_src", MatchField.UDP_SRC, Kind.DECIMAL, 16, v -> TransportPort.of((int) v));
        def("udp_dst", MatchField.UDP_DST, Kind.DECIMAL, 16, v -> TransportPort.of((int) v));
        def("sctp_src", MatchField.SCTP_SRC, Kind.DECIMAL, 16, v -> TransportPort.of((int) v));
        def("sctp_dst", MatchField.SCTP_DST, Kind.DECIMAL, 16, v -> TransportPort.of((int) v));
        def("icmp_type", MatchField.ICMPV4_TYPE, Kind.DECIMAL, 8, v -> ICMPv4Type.of((short) v), "icmpv4_type");
        def("icmp_code", MatchField.ICMPV4_CODE, Kind.DECIMAL, 8, v -> ICMPv4Code.of((short) v), "icmpv4_code");
        def("arp_op", MatchField.ARP_OP, Kind.DECIMAL, 16, v -> ArpOpcode.of((int) v));
        def("arp_spa", MatchField.ARP_SPA, Kind.IPV4, 32, null);
        def("arp_tpa", MatchField.ARP_TPA, Kind.IPV4, 32, null);
        def("arp_sha", MatchField.ARP_SHA, Kind.MAC, 48, null);
        def("arp_tha", MatchField.ARP_THA, Kind.MAC, 48, null);
        def("ipv6_src", MatchField.IPV6_SRC, Kind.IPV6, 128, null);
        def("ipv6_dst", MatchField.IPV6_DST, Kind.IPV6, 128, null);
        def("ipv6_label", MatchField.IPV6_FLABEL, Kind.HEX, 20, v -> IPv6FlowLabel.of((int) v));
        def("icmpv6_type", MatchField.ICMPV6_TYPE, Kind.DECIMAL, 8, v -> U8.of((short) v));
        def("icmpv6_code", MatchField.ICMPV6_CODE, Kind.DECIMAL, 8, v -> U8.of((short) v));
        def("nd_target", MatchField.IPV6_ND_TARGET, Kind.IPV6, 128, null);
        def("nd_sll", MatchField.IPV6_ND_SLL, Kind.MAC, 48, null);
        def("nd_tll", MatchField.IPV6_ND_TLL, Kind.MAC, 48, null);
        def("mpls_label", MatchField.MPLS_LABEL, Kind.DECIMAL, 20, U32::of);
        def("mpls_tc", MatchField.MPLS_TC, Kind.DECIMAL, 3, v -> U8.of((short) v));
        def("mpls_bos", MatchField.MPLS_BOS, Kind.DECIMAL, 1, v -> OFBooleanValue.of(v == 1));
        def("tun_id", MatchField.TUNNEL_ID, Kind.HEX, 64, U64::of, "tunnel_id");
        def("metadata", MatchField.METADATA, Kind.HEX, 64, OFMetadata::ofRaw);
    }

    private static void def(String name, MatchField<?> field, Kind kind, int bits, LongFunction<OFValueType<?>> fromNumber,
                            String... aliases) {
        FieldDef d = new FieldDef(name, field, kind, bits, fromNumber);
        BY_FIELD.put(field, d);
        BY_NAME.put(name, d);
        for (String alias : aliases) {
            BY_NAME.put(alias, d);
        }
    }

    private SetFieldSyntax() {
    }

    static FieldDef byName(String name) {
        return BY_NAME.get(name);
    }

    /** Parses {@code VALUE->FIELD} (the text after "set_field:") into an OXM. */
    static OFOxm<?> parse(OFFactory factory, String text, int column) throws FlowSyntaxException {
        int arrow = text.lastIndexOf("->");
        if (arrow < 0) {
            throw new FlowSyntaxException("set_field needs VALUE->FIELD (for example 'set_field:10.0.0.1->ip_dst')", column);
        }
        String valueText = text.substring(0, arrow);
        String name = text.substring(arrow + 2);
        FieldDef def = BY_NAME.get(name);
        if (def == null) {
            throw new FlowSyntaxException("set_field: unknown or read-only field '" + name + "'", column + arrow + 2);
        }
        if (valueText.contains("/")) {
            throw new FlowSyntaxException("set_field: OpenFlow 1.3 cannot set part of a field (no /mask)", column);
        }
        return oxm(factory, def, value(def, valueText, column));
    }

    static OFValueType<?> value(FieldDef def, String text, int column) throws FlowSyntaxException {
        return switch (def.kind()) {
            case MAC -> ValueSyntax.mac(text, def.name(), column);
            case IPV4 -> ValueSyntax.ipv4(text, def.name(), column);
            case IPV6 -> ValueSyntax.ipv6(text, def.name(), column);
            case PORT -> ValueSyntax.port(text, def.name(), column);
            case DECIMAL, HEX -> def.fromNumber().apply(ValueSyntax.unsigned(text, def.bits(), def.name(), column));
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static OFOxm<?> oxm(OFFactory factory, FieldDef def, OFValueType<?> value) {
        return factory.oxms().fromValue((OFValueType) value, (MatchField) def.field());
    }

    /** {@code VALUE->NAME} as ovs-ofctl prints a set_field action. */
    static String format(OFOxm<?> oxm) {
        FieldDef def = BY_FIELD.get(oxm.getMatchField());
        if (def == null) {
            return oxm.getValue() + "->" + oxm.getMatchField().getName();
        }
        return formatValue(def, oxm.getValue()) + "->" + def.name();
    }

    static String formatValue(FieldDef def, OFValueType<?> value) {
        return switch (def.kind()) {
            case MAC, IPV4 -> value.toString();
            case IPV6 -> Ipv6Text.format((IPv6Address) value);
            case PORT -> PortText.format((OFPort) value);
            case DECIMAL -> Long.toUnsignedString(NumericValue.of(value));
            case HEX -> "0x" + Long.toHexString(NumericValue.of(value));
        };
    }
}
