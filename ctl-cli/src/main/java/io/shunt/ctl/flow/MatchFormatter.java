package io.shunt.ctl.flow;

import org.projectfloodlight.openflow.protocol.OFMatchV3;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.Masked;
import org.projectfloodlight.openflow.types.OFValueType;

/**
 * Prints an OpenFlow 1.3 match the way ovs-ofctl prints it (Open vSwitch's
 * match_format): the same field names, the same order, protocol shorthands
 * ({@code tcp}, {@code arp}, ...) in place of dl_type and nw_proto, priority
 * first unless it is the default 32768. Lines printed by shunt-ctl
 * dump-flows can thus be compared with ovs-ofctl's by diff.
 */
public final class MatchFormatter {

    private MatchFormatter() {
    }

    public static String format(Match match, int priority) {
        StringBuilder s = new StringBuilder();
        if (priority != FlowSpec.DEFAULT_PRIORITY) {
            s.append("priority=").append(priority).append(',');
        }
        Integer ethType = exactNumber(match, MatchField.ETH_TYPE);
        Integer proto = exactNumber(match, MatchField.IP_PROTO);
        boolean skipType = false;
        boolean skipProto = false;
        if (ethType != null) {
            skipType = true;
            if (ethType == MatchSyntax.ETH_IPV4 || ethType == MatchSyntax.ETH_IPV6) {
                boolean v6 = ethType == MatchSyntax.ETH_IPV6;
                String name = null;
                if (proto != null) {
                    name = switch (proto) {
                        case MatchSyntax.PROTO_ICMP -> v6 ? null : "icmp";
                        case MatchSyntax.PROTO_ICMPV6 -> v6 ? "icmp6" : null;
                        case MatchSyntax.PROTO_TCP -> v6 ? "tcp6" : "tcp";
                        case MatchSyntax.PROTO_UDP -> v6 ? "udp6" : "udp";
                        case MatchSyntax.PROTO_SCTP -> v6 ? "sctp6" : "sctp";
                        default -> null;
                    };
                }
                skipProto = name != null;
                s.append(name != null ? name : v6 ? "ipv6" : "ip").append(',');
            } else if (ethType == MatchSyntax.ETH_ARP) {
                s.append("arp,");
            } else if (ethType == MatchSyntax.ETH_RARP) {
                s.append("rarp,");
            } else if (ethType == MatchSyntax.ETH_MPLS) {
                s.append("mpls,");
            } else if (ethType == MatchSyntax.ETH_MPLS_MCAST) {
                s.append("mplsm,");
            } else {
                skipType = false;
            }
        }
        hex64(s, match, MatchField.TUNNEL_ID, "tun_id");
        if (has(match, MatchField.METADATA)) {
            Masked<?> m = masked(match, MatchField.METADATA);
            hex64Value(s, "metadata", NumericValue.of((OFValueType<?>) m.getValue()),
                    isExact(match, MatchField.METADATA) ? -1 : NumericValue.of((OFValueType<?>) m.getMask()));
        }
        if (has(match, MatchField.IN_PORT)) {
            s.append("in_port=").append(PortText.format(value(match, MatchField.IN_PORT))).append(',');
        }
        vlan(s, match);
        mac(s, match, MatchField.ETH_SRC, "dl_src");
        mac(s, match, MatchField.ETH_DST, "dl_dst");
        if (!skipType && ethType != null) {
            s.append("dl_type=0x").append(String.format("%04x", ethType)).append(',');
        }
        boolean arp = ethType != null && (ethType == MatchSyntax.ETH_ARP || ethType == MatchSyntax.ETH_RARP);
        if (ethType != null && ethType == MatchSyntax.ETH_IPV6) {
            ipv6(s, match, MatchField.IPV6_SRC, "ipv6_src");
            ipv6(s, match, MatchField.IPV6_DST, "ipv6_dst");
            if (has(match, MatchField.IPV6_FLABEL)) {
                Masked<?> m = masked(match, MatchField.IPV6_FLABEL);
                s.append("ipv6_label=0x").append(String.format("%05x", NumericValue.of((OFValueType<?>) m.getValue())));
                if (!isExact(match, MatchField.IPV6_FLABEL)) {
                    s.append("/0x").append(String.format("%05x", NumericValue.of((OFValueType<?>) m.getMask())));
                }
                s.append(',');
            }
        } else if (arp) {
            ipv4(s, match, MatchField.ARP_SPA, "arp_spa");
            ipv4(s, match, MatchField.ARP_TPA, "arp_tpa");
        } else {
            ipv4(s, match, MatchField.IPV4_SRC, "nw_src");
            ipv4(s, match, MatchField.IPV4_DST, "nw_dst");
        }
        if (!skipProto && proto != null) {
            s.append("nw_proto=").append(proto).append(',');
        }
        if (arp) {
            decimal(s, match, MatchField.ARP_OP, "arp_op");
            mac(s, match, MatchField.ARP_SHA, "arp_sha");
            mac(s, match, MatchField.ARP_THA, "arp_tha");
        }
        if (has(match, MatchField.IP_DSCP)) {
            s.append("nw_tos=").append(value(match, MatchField.IP_DSCP).getDscpValue() << 2).append(',');
        }
        if (has(match, MatchField.IP_ECN)) {
            s.append("nw_ecn=").append(value(match, MatchField.IP_ECN).getEcnValue()).append(',');
        }
        decimal(s, match, MatchField.MPLS_LABEL, "mpls_label");
        decimal(s, match, MatchField.MPLS_TC, "mpls_tc");
        decimal(s, match, MatchField.MPLS_BOS, "mpls_bos");
        if (ethType != null && ethType == MatchSyntax.ETH_IPV4 && proto != null && proto == MatchSyntax.PROTO_ICMP) {
            decimal(s, match, MatchField.ICMPV4_TYPE, "icmp_type");
            decimal(s, match, MatchField.ICMPV4_CODE, "icmp_code");
        } else if (ethType != null && ethType == MatchSyntax.ETH_IPV6 && proto != null && proto == MatchSyntax.PROTO_ICMPV6) {
            decimal(s, match, MatchField.ICMPV6_TYPE, "icmp_type");
            decimal(s, match, MatchField.ICMPV6_CODE, "icmp_code");
            ipv6(s, match, MatchField.IPV6_ND_TARGET, "nd_target");
            mac(s, match, MatchField.IPV6_ND_SLL, "nd_sll");
            mac(s, match, MatchField.IPV6_ND_TLL, "nd_tll");
        } else {
            transport(s, match, MatchField.TCP_SRC, MatchField.UDP_SRC, MatchField.SCTP_SRC, "tp_src");
            transport(s, match, MatchField.TCP_DST, MatchField.UDP_DST, MatchField.SCTP_DST, "tp_dst");
        }
        MatchField<?> flagsField = has(match, MatchField.OVS_TCP_FLAGS) ? MatchField.OVS_TCP_FLAGS : MatchField.TCP_FLAGS;
        if (proto != null && proto == MatchSyntax.PROTO_TCP && has(match, flagsField)) {
            Masked<?> m = masked(match, flagsField);
            int value = (int) NumericValue.of((OFValueType<?>) m.getValue());
            int mask = isExact(match, flagsField) ? TcpFlagsSyntax.ALL
                    : (int) NumericValue.of((OFValueType<?>) m.getMask()) & TcpFlagsSyntax.ALL;
            s.append("tcp_flags=").append(TcpFlagsSyntax.format(value & TcpFlagsSyntax.ALL, mask)).append(',');
        }
        if (!s.isEmpty() && s.charAt(s.length() - 1) == ',') {
            s.setLength(s.length() - 1);
        }
        return s.toString();
    }

    private static boolean has(Match match, MatchField<?> field) {
        return oxm(match, field) != null;
    }

    private static boolean isExact(Match match, MatchField<?> field) {
        OFOxm<?> oxm = oxm(match, field);
        return oxm != null && !oxm.isMasked();
    }

    /**
     * The OXM of {@code field} as it came on the wire. Read from the OXM list
     * rather than through Match.get(): Loxi hides fields whose OpenFlow 1.3
     * prerequisites it does not see (arp_tpa under rarp, for one), and
     * ovs-ofctl prints them.
     */
    private static OFOxm<?> oxm(Match match, MatchField<?> field) {
        if (match instanceof OFMatchV3 v3) {
            for (OFOxm<?> oxm : v3.getOxmList()) {
                if (oxm.getMatchField().equals(field)) {
                    return oxm;
                }
            }
            return null;
        }
        throw new IllegalArgumentException("not an OpenFlow 1.2+ OXM match: " + match.getVersion());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Masked<?> masked(Match match, MatchField<?> field) {
        OFOxm<?> oxm = oxm(match, field);
        OFValueType v = oxm.getValue();
        return Masked.of(v, oxm.isMasked() ? (OFValueType) oxm.getMask() : v);
    }

    private static Integer exactNumber(Match match, MatchField<?> field) {
        OFOxm<?> oxm = oxm(match, field);
        if (oxm == null || oxm.isMasked()) {
            return null;
        }
        return (int) NumericValue.of(oxm.getValue());
    }

    @SuppressWarnings("unchecked")
    private static <F extends OFValueType<F>> F value(Match match, MatchField<F> field) {
        return (F) oxm(match, field).getValue();
    }

    @SuppressWarnings("unchecked")
    private static <F extends OFValueType<F>> F mask(Match match, MatchField<F> field) {
        return (F) oxm(match, field).getMask();
    }

    /** OVS keeps VLAN_VID and VLAN_PCP as one TCI: prints dl_vlan/dl_vlan_pcp when it can, vlan_tci otherwise. */
    private static void vlan(StringBuilder s, Match match) {
        boolean hasVid = has(match, MatchField.VLAN_VID);
        boolean hasPcp = has(match, MatchField.VLAN_PCP);
        if (!hasVid && !hasPcp) {
            return;
        }
        int tci = 0;
        int mask = 0;
        if (hasVid) {
            if (isExact(match, MatchField.VLAN_VID)) {
                tci = value(match, MatchField.VLAN_VID).getRawVid() & 0x1fff;
                mask = 0x1fff;
            } else {
                mask = mask(match, MatchField.VLAN_VID).getRawVid() & 0x1fff;
                tci = value(match, MatchField.VLAN_VID).getRawVid() & mask;
            }
        }
        if (hasPcp) {
            tci |= value(match, MatchField.VLAN_PCP).getValue() << 13;
            mask |= 0xe000;
        }
        int vidMask = mask & 0x0fff;
        int pcpMask = mask & 0xe000;
        boolean cfi = (mask & 0x1000) != 0 && (tci & 0x1000) != 0;
        if (cfi && (vidMask == 0 || vidMask == 0x0fff) && (pcpMask == 0 || pcpMask == 0xe000) && (vidMask | pcpMask) != 0) {
            if (vidMask != 0) {
                s.append("dl_vlan=").append(tci & 0x0fff).append(',');
            }
            if (pcpMask != 0) {
                s.append("dl_vlan_pcp=").append(tci >>> 13).append(',');
            }
        } else if (mask == 0xffff) {
            s.append(String.format("vlan_tci=0x%04x,", tci));
        } else {
            s.append(String.format("vlan_tci=0x%04x/0x%04x,", tci, mask));
        }
    }

    private static void mac(StringBuilder s, Match match, MatchField<MacAddress> field, String name) {
        if (!has(match, field)) {
            return;
        }
        s.append(name).append('=');
        if (isExact(match, field)) {
            s.append(value(match, field));
        } else {
            s.append(value(match, field)).append('/').append(mask(match, field));
        }
        s.append(',');
    }

    private static void ipv4(StringBuilder s, Match match, MatchField<IPv4Address> field, String name) {
        if (!has(match, field)) {
            return;
        }
        s.append(name).append('=');
        if (isExact(match, field)) {
            s.append(value(match, field));
        } else {
            IPv4Address mask = mask(match, field);
            s.append(value(match, field));
            if (mask.isCidrMask()) {
                s.append('/').append(mask.asCidrMaskLength());
            } else {
                s.append('/').append(mask);
            }
        }
        s.append(',');
    }

    private static void ipv6(StringBuilder s, Match match, MatchField<org.projectfloodlight.openflow.types.IPv6Address> field,
                             String name) {
        if (!has(match, field)) {
            return;
        }
        s.append(name).append('=');
        if (isExact(match, field)) {
            s.append(Ipv6Text.format(value(match, field)));
        } else {
            s.append(Ipv6Text.formatMasked(value(match, field), mask(match, field)));
        }
        s.append(',');
    }

    private static void decimal(StringBuilder s, Match match, MatchField<?> field, String name) {
        if (!has(match, field)) {
            return;
        }
        Masked<?> m = masked(match, field);
        long value = NumericValue.of((OFValueType<?>) m.getValue());
        s.append(name).append('=');
        if (isExact(match, field)) {
            s.append(value);
        } else {
            s.append("0x").append(Long.toHexString(value)).append("/0x")
                    .append(Long.toHexString(NumericValue.of((OFValueType<?>) m.getMask())));
        }
        s.append(',');
    }

    private static void transport(StringBuilder s, Match match, MatchField<?> tcp, MatchField<?> udp, MatchField<?> sctp,
                                  String name) {
        for (MatchField<?> field : new MatchField<?>[] {tcp, udp, sctp}) {
            if (has(match, field)) {
                decimal(s, match, field, name);
                return;
            }
        }
    }

    private static void hex64(StringBuilder s, Match match, MatchField<?> field, String name) {
        if (!has(match, field)) {
            return;
        }
        Masked<?> m = masked(match, field);
        hex64Value(s, name, NumericValue.of((OFValueType<?>) m.getValue()),
                isExact(match, field) ? -1 : NumericValue.of((OFValueType<?>) m.getMask()));
    }

    private static void hex64Value(StringBuilder s, String name, long value, long mask) {
        s.append(name).append("=0x").append(Long.toHexString(value));
        if (mask != -1) {
            s.append("/0x").append(Long.toHexString(mask));
        }
        s.append(',');
    }
}
