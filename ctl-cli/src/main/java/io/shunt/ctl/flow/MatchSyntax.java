package io.shunt.ctl.flow;

import io.shunt.ctl.flow.KeyValueScanner.Item;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMatchV3;
import org.projectfloodlight.openflow.protocol.OFOxmList;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
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
import org.projectfloodlight.openflow.types.OFValueType;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U16;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.U8;
import org.projectfloodlight.openflow.types.VlanPcp;

/**
 * The match part of a flow in ovs-ofctl syntax (ovs-fields(7)), turned into
 * an OpenFlow 1.3 OXM {@link Match}.
 *
 * <p>Names are Open vSwitch's ({@code nw_src}, {@code tp_dst}, ...); fields
 * whose OXM depends on the protocol ({@code tp_src} is TCP_SRC, UDP_SRC or
 * SCTP_SRC, {@code nw_src} is IPV4_SRC or ARP_SPA, {@code icmp_type} is
 * ICMPV4_TYPE or ICMPV6_TYPE) are resolved after the whole match is read, so
 * {@code tp_dst=80,tcp} works as in ovs-ofctl. Unlike ovs-ofctl, a field
 * whose prerequisites (OpenFlow 1.3 section 7.2.3.6) are missing is an error,
 * not silently dropped.
 */
final class MatchSyntax {

    static final int ETH_IPV4 = 0x0800;
    static final int ETH_IPV6 = 0x86dd;
    static final int ETH_ARP = 0x0806;
    static final int ETH_RARP = 0x8035;
    static final int ETH_MPLS = 0x8847;
    static final int ETH_MPLS_MCAST = 0x8848;
    static final int PROTO_ICMP = 1;
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;
    static final int PROTO_ICMPV6 = 58;
    static final int PROTO_SCTP = 132;

    /** A protocol shorthand: {@code tcp} is {@code dl_type=0x0800,nw_proto=6}. */
    record Protocol(int ethType, int ipProto) {
    }

    static final Map<String, Protocol> PROTOCOLS = Map.ofEntries(
            Map.entry("ip", new Protocol(ETH_IPV4, -1)),
            Map.entry("ipv4", new Protocol(ETH_IPV4, -1)),
            Map.entry("ipv6", new Protocol(ETH_IPV6, -1)),
            Map.entry("icmp", new Protocol(ETH_IPV4, PROTO_ICMP)),
            Map.entry("icmp6", new Protocol(ETH_IPV6, PROTO_ICMPV6)),
            Map.entry("tcp", new Protocol(ETH_IPV4, PROTO_TCP)),
            Map.entry("tcp6", new Protocol(ETH_IPV6, PROTO_TCP)),
            Map.entry("udp", new Protocol(ETH_IPV4, PROTO_UDP)),
            Map.entry("udp6", new Protocol(ETH_IPV6, PROTO_UDP)),
            Map.entry("sctp", new Protocol(ETH_IPV4, PROTO_SCTP)),
            Map.entry("sctp6", new Protocol(ETH_IPV6, PROTO_SCTP)),
            Map.entry("arp", new Protocol(ETH_ARP, -1)),
            Map.entry("rarp", new Protocol(ETH_RARP, -1)),
            Map.entry("mpls", new Protocol(ETH_MPLS, -1)),
            Map.entry("mplsm", new Protocol(ETH_MPLS_MCAST, -1)));

    /** Sets one field of the match being built; errors point at {@code column} (the value's). */
    @FunctionalInterface
    private interface FieldSetter {
        void set(Builder match, String name, String value, int column) throws FlowSyntaxException;
    }

    private static final Map<String, FieldSetter> FIELDS = new HashMap<>();

    static {
        FIELDS.put("in_port", (m, n, v, c) -> m.exact(MatchField.IN_PORT, ValueSyntax.port(v, n, c)));
        FieldSetter ethSrc = (m, n, v, c) -> m.mac(MatchField.ETH_SRC, ValueSyntax.macMasked(v, n, c));
        FieldSetter ethDst = (m, n, v, c) -> m.mac(MatchField.ETH_DST, ValueSyntax.macMasked(v, n, c));
        FIELDS.put("dl_src", ethSrc);
        FIELDS.put("eth_src", ethSrc);
        FIELDS.put("dl_dst", ethDst);
        FIELDS.put("eth_dst", ethDst);
        FieldSetter ethType = (m, n, v, c) -> m.exact(MatchField.ETH_TYPE, EthType.of((int) ValueSyntax.unsigned(v, 16, n, c)));
        FIELDS.put("dl_type", ethType);
        FIELDS.put("eth_type", ethType);
        FIELDS.put("dl_vlan", (m, n, v, c) -> {
            long vid = ValueSyntax.unsigned(v, 16, n, c);
            if (vid == 0xffff) {
                m.exact(MatchField.VLAN_VID, OFVlanVidMatch.NONE);
            } else if (vid > 4095) {
                throw new FlowSyntaxException("dl_vlan " + v + " is outside 0..4095 (or 0xffff for 'no VLAN')", c);
            } else {
                m.exact(MatchField.VLAN_VID, OFVlanVidMatch.ofVlan((int) vid));
            }
        });
        // The OXM field itself (ovs-fields(7)): 12 bits of VID plus the OFPVID_PRESENT bit 0x1000, as in vlan_vid=0x1005.
        FIELDS.put("vlan_vid", (m, n, v, c) -> {
            long[] vm = ValueSyntax.unsignedMasked(v, 13, n, c);
            if (vm[1] < 0 || vm[1] == 0x1fff) {
                m.exact(MatchField.VLAN_VID, OFVlanVidMatch.ofRawVid((short) vm[0]));
            } else {
                m.masked(MatchField.VLAN_VID, OFVlanVidMatch.ofRawVid((short) vm[0]), OFVlanVidMatch.ofRawVid((short) vm[1]));
            }
        });
        FieldSetter pcp = (m, n, v, c) -> m.exact(MatchField.VLAN_PCP, VlanPcp.of((byte) ValueSyntax.unsigned(v, 3, n, c)));
        FIELDS.put("dl_vlan_pcp", pcp);
        FIELDS.put("vlan_pcp", pcp);
        FIELDS.put("vlan_tci", MatchSyntax::vlanTci);
        FieldSetter nwSrc = (m, n, v, c) -> m.ipv4(m.isArp() ? MatchField.ARP_SPA : MatchField.IPV4_SRC,
                m.requireIpv4OrArp(n, c), ValueSyntax.ipv4Masked(v, n, c));
        FieldSetter nwDst = (m, n, v, c) -> m.ipv4(m.isArp() ? MatchField.ARP_TPA : MatchField.IPV4_DST,
                m.requireIpv4OrArp(n, c), ValueSyntax.ipv4Masked(v, n, c));
        FIELDS.put("nw_src", nwSrc);
        FIELDS.put("ip_src", nwSrc);
        FIELDS.put("nw_dst", nwDst);
        FIELDS.put("ip_dst", nwDst);
        FieldSetter nwProto = (m, n, v, c) -> {
            if (m.isArp()) {
                m.exact(MatchField.ARP_OP, ArpOpcode.of((int) ValueSyntax.unsigned(v, 8, n, c)));
            } else {
                m.requireIp(n, c);
                m.exact(MatchField.IP_PROTO, IpProtocol.of((short) ValueSyntax.unsigned(v, 8, n, c)));
            }
        };
        FIELDS.put("nw_proto", nwProto);
        FIELDS.put("ip_proto", nwProto);
        FIELDS.put("nw_tos", (m, n, v, c) -> {
            m.requireIp(n, c);
            long tos = ValueSyntax.unsigned(v, 8, n, c);
            if ((tos & 3) != 0) {
                throw new FlowSyntaxException("nw_tos " + v + " has ECN bits set: it must be a multiple of 4"
                        + " (match ECN with nw_ecn, or give the DSCP with ip_dscp)", c);
            }
            m.exact(MatchField.IP_DSCP, IpDscp.of((byte) (tos >> 2)));
        });
        FIELDS.put("ip_dscp", (m, n, v, c) -> {
            m.requireIp(n, c);
            m.exact(MatchField.IP_DSCP, IpDscp.of((byte) ValueSyntax.unsigned(v, 6, n, c)));
        });
        FieldSetter ecn = (m, n, v, c) -> {
            m.requireIp(n, c);
            m.exact(MatchField.IP_ECN, IpEcn.of((byte) ValueSyntax.unsigned(v, 2, n, c)));
        };
        FIELDS.put("nw_ecn", ecn);
        FIELDS.put("ip_ecn", ecn);
        FIELDS.put("nw_ttl", (m, n, v, c) -> {
            throw new FlowSyntaxException("OpenFlow 1.3 has no match field for the IP TTL (nw_ttl)", c);
        });
        FIELDS.put("tp_src", (m, n, v, c) -> m.transport(n, v, c, true, null));
        FIELDS.put("tp_dst", (m, n, v, c) -> m.transport(n, v, c, false, null));
        FIELDS.put("tcp_src", (m, n, v, c) -> m.transport(n, v, c, true, PROTO_TCP));
        FIELDS.put("tcp_dst", (m, n, v, c) -> m.transport(n, v, c, false, PROTO_TCP));
        FIELDS.put("udp_src", (m, n, v, c) -> m.transport(n, v, c, true, PROTO_UDP));
        FIELDS.put("udp_dst", (m, n, v, c) -> m.transport(n, v, c, false, PROTO_UDP));
        FIELDS.put("sctp_src", (m, n, v, c) -> m.transport(n, v, c, true, PROTO_SCTP));
        FIELDS.put("sctp_dst", (m, n, v, c) -> m.transport(n, v, c, false, PROTO_SCTP));
        FIELDS.put("icmp_type", (m, n, v, c) -> m.icmp(n, v, c, true, null));
        FIELDS.put("icmp_code", (m, n, v, c) -> m.icmp(n, v, c, false, null));
        FIELDS.put("icmpv4_type", (m, n, v, c) -> m.icmp(n, v, c, true, ETH_IPV4));
        FIELDS.put("icmpv4_code", (m, n, v, c) -> m.icmp(n, v, c, false, ETH_IPV4));
        FIELDS.put("icmpv6_type", (m, n, v, c) -> m.icmp(n, v, c, true, ETH_IPV6));
        FIELDS.put("icmpv6_code", (m, n, v, c) -> m.icmp(n, v, c, false, ETH_IPV6));
        FIELDS.put("arp_op", (m, n, v, c) -> {
            m.requireArp(n, c);
            m.exact(MatchField.ARP_OP, ArpOpcode.of((int) ValueSyntax.unsigned(v, 16, n, c)));
        });
        FIELDS.put("arp_spa", (m, n, v, c) -> m.ipv4(MatchField.ARP_SPA, m.requireArp(n, c), ValueSyntax.ipv4Masked(v, n, c)));
        FIELDS.put("arp_tpa", (m, n, v, c) -> m.ipv4(MatchField.ARP_TPA, m.requireArp(n, c), ValueSyntax.ipv4Masked(v, n, c)));
        FIELDS.put("arp_sha", (m, n, v, c) -> {
            m.requireArp(n, c);
            m.mac(MatchField.ARP_SHA, ValueSyntax.macMasked(v, n, c));
        });
        FIELDS.put("arp_tha", (m, n, v, c) -> {
            m.requireArp(n, c);
            m.mac(MatchField.ARP_THA, ValueSyntax.macMasked(v, n, c));
        });
        FIELDS.put("ipv6_src", (m, n, v, c) -> m.ipv6(MatchField.IPV6_SRC, n, ValueSyntax.ipv6Masked(v, n, c), c));
        FIELDS.put("ipv6_dst", (m, n, v, c) -> m.ipv6(MatchField.IPV6_DST, n, ValueSyntax.ipv6Masked(v, n, c), c));
        FIELDS.put("ipv6_label", (m, n, v, c) -> {
            m.requireEthType(n, c, "ipv6", ETH_IPV6);
            long[] vm = ValueSyntax.unsignedMasked(v, 20, n, c);
            m.maybeMasked(MatchField.IPV6_FLABEL, IPv6FlowLabel.of((int) vm[0]),
                    vm[1] < 0 || vm[1] == 0xfffff ? null : IPv6FlowLabel.of((int) vm[1]));
        });
        FIELDS.put("nd_target", (m, n, v, c) -> {
            m.requireIcmp6(n, c);
            IPv6Address[] vm = ValueSyntax.ipv6Masked(v, n, c);
            m.maybeMasked(MatchField.IPV6_ND_TARGET, vm[0], isAllOnes(vm[1]) ? null : vm[1]);
        });
        FIELDS.put("nd_sll", (m, n, v, c) -> {
            m.requireIcmp6(n, c);
            m.mac(MatchField.IPV6_ND_SLL, ValueSyntax.macMasked(v, n, c));
        });
        FIELDS.put("nd_tll", (m, n, v, c) -> {
            m.requireIcmp6(n, c);
            m.mac(MatchField.IPV6_ND_TLL, ValueSyntax.macMasked(v, n, c));
        });
        FIELDS.put("mpls_label", (m, n, v, c) -> {
            m.requireMpls(n, c);
            m.exact(MatchField.MPLS_LABEL, U32.of(ValueSyntax.unsigned(v, 20, n, c)));
        });
        FIELDS.put("mpls_tc", (m, n, v, c) -> {
            m.requireMpls(n, c);
            m.exact(MatchField.MPLS_TC, U8.of((short) ValueSyntax.unsigned(v, 3, n, c)));
        });
        FIELDS.put("mpls_bos", (m, n, v, c) -> {
            m.requireMpls(n, c);
            m.exact(MatchField.MPLS_BOS, OFBooleanValue.of(ValueSyntax.unsigned(v, 1, n, c) == 1));
        });
        FieldSetter tunId = (m, n, v, c) -> {
            long[] vm = ValueSyntax.unsignedMasked(v, 64, n, c);
            m.maybeMasked(MatchField.TUNNEL_ID, U64.of(vm[0]), vm[1] == -1 ? null : U64.of(vm[1]));
        };
        FIELDS.put("tun_id", tunId);
        FIELDS.put("tunnel_id", tunId);
        FIELDS.put("metadata", (m, n, v, c) -> {
            long[] vm = ValueSyntax.unsignedMasked(v, 64, n, c);
            m.maybeMasked(MatchField.METADATA, OFMetadata.ofRaw(vm[0]), vm[1] == -1 ? null : OFMetadata.ofRaw(vm[1]));
        });
        FIELDS.put("tcp_flags", (m, n, v, c) -> {
            if (m.ipProto == null || m.ipProto != PROTO_TCP) {
                throw new FlowSyntaxException(n + " needs tcp or tcp6 (for example 'tcp," + n + "=+syn')", m.currentKeyColumn);
            }
            int[] vm = TcpFlagsSyntax.parse(v, c);
            // OpenFlow 1.3 has no tcp_flags OXM (it came in 1.5); Open vSwitch and ovs-ofctl use their own experimenter OXM.
            m.maybeMasked(MatchField.OVS_TCP_FLAGS, U16.of(vm[0]), vm[1] == TcpFlagsSyntax.ALL ? null : U16.of(vm[1]));
        });
    }

    private MatchSyntax() {
    }

    static boolean isProtocol(String word) {
        return PROTOCOLS.containsKey(word);
    }

    static boolean isField(String name) {
        return FIELDS.containsKey(name);
    }

    /**
     * Builds the match from its items, in order: protocol shorthands and
     * fields. {@code dl_type}/{@code nw_proto} and shorthands are looked at
     * first so that every other field knows the protocol it belongs to.
     */
    static Match build(OFFactory factory, List<Item> items) throws FlowSyntaxException {
        Builder m = new Builder(factory.buildMatch());
        for (Item item : items) {
            Protocol p = PROTOCOLS.get(item.key());
            if (p != null && item.value() == null) {
                m.ethType = p.ethType();
                if (p.ipProto() >= 0) {
                    m.ipProto = p.ipProto();
                }
            } else if (item.key().equals("dl_type") || item.key().equals("eth_type")) {
                m.ethType = (int) ValueSyntax.unsigned(item.value(), 16, item.key(), item.valueColumn());
            }
        }
        for (Item item : items) {
            if ((item.key().equals("nw_proto") || item.key().equals("ip_proto")) && !m.isArp()) {
                m.ipProto = (int) ValueSyntax.unsigned(item.value(), 8, item.key(), item.valueColumn());
            }
        }
        for (Item item : items) {
            Protocol p = PROTOCOLS.get(item.key());
            if (p != null && item.value() == null) {
                m.exact(MatchField.ETH_TYPE, EthType.of(m.ethType));
                if (p.ipProto() >= 0) {
                    m.exact(MatchField.IP_PROTO, IpProtocol.of((short) p.ipProto()));
                }
                continue;
            }
            FieldSetter setter = FIELDS.get(item.key());
            if (setter == null) {
                throw new FlowSyntaxException("unknown field '" + item.key() + "'", item.keyColumn());
            }
            if (item.value() == null || item.value().isEmpty()) {
                throw new FlowSyntaxException("field '" + item.key() + "' needs a value ('" + item.key() + "=...')",
                        item.keyColumn());
            }
            if (item.separator() != '=') {
                throw new FlowSyntaxException("expected '" + item.key() + "=value'", item.keyColumn());
            }
            m.currentKeyColumn = item.keyColumn();
            setter.set(m, item.key(), item.value(), item.valueColumn());
        }
        m.finishVlan();
        return m.match.build();
    }

    private static void vlanTci(Builder m, String name, String value, int column) throws FlowSyntaxException {
        long[] vm = ValueSyntax.unsignedMasked(value, 16, name, column);
        int tci = (int) vm[0];
        int mask = vm[1] < 0 ? 0xffff : (int) vm[1];
        int vidMask = mask & 0x1fff;
        int pcpMask = mask & 0xe000;
        if (pcpMask != 0 && pcpMask != 0xe000) {
            throw new FlowSyntaxException("vlan_tci mask 0x" + Integer.toHexString(mask)
                    + " covers some but not all PCP bits: OpenFlow 1.3 matches the PCP whole or not at all", column);
        }
        if (vidMask != 0) {
            OFVlanVidMatch vid = OFVlanVidMatch.ofRawVid((short) (tci & 0x1fff));
            m.maybeMasked(MatchField.VLAN_VID, vid, vidMask == 0x1fff ? null : OFVlanVidMatch.ofRawVid((short) vidMask));
        }
        if (pcpMask != 0) {
            if ((tci & 0x1000) == 0) {
                throw new FlowSyntaxException("vlan_tci " + value + " matches a PCP on packets without a VLAN header", column);
            }
            m.exact(MatchField.VLAN_PCP, VlanPcp.of((byte) (tci >>> 13)));
        }
    }

    static boolean isAllOnes(IPv6Address mask) {
        return mask == null || mask.equals(IPv6Address.NO_MASK);
    }

    /** The match under construction, with the protocol it is for. */
    private static final class Builder {
        final Match.Builder match;
        Integer ethType;
        Integer ipProto;
        int currentKeyColumn;

        Builder(Match.Builder match) {
            this.match = match;
        }

        boolean isArp() {
            return ethType != null && (ethType == ETH_ARP || ethType == ETH_RARP);
        }

        <F extends OFValueType<F>> void exact(MatchField<F> field, F value) {
            match.setExact(field, value);
        }

        <F extends OFValueType<F>> void masked(MatchField<F> field, F value, F mask) {
            match.setMasked(field, value, mask);
        }

        <F extends OFValueType<F>> void maybeMasked(MatchField<F> field, F value, F mask) {
            if (mask == null) {
                match.setExact(field, value);
            } else {
                match.setMasked(field, value, mask);
            }
        }

        void mac(MatchField<MacAddress> field, MacAddress[] valueMask) {
            boolean exact = valueMask[1] == null || valueMask[1].equals(MacAddress.NO_MASK);
            maybeMasked(field, valueMask[0], exact ? null : valueMask[1]);
        }

        void ipv4(MatchField<IPv4Address> field, boolean unused, IPv4Address[] valueMask) {
            boolean exact = valueMask[1] == null || valueMask[1].equals(IPv4Address.NO_MASK);
            maybeMasked(field, valueMask[0], exact ? null : valueMask[1]);
        }

        void ipv6(MatchField<IPv6Address> field, String name, IPv6Address[] valueMask, int column) throws FlowSyntaxException {
            requireEthType(name, column, "ipv6", ETH_IPV6);
            maybeMasked(field, valueMask[0], isAllOnes(valueMask[1]) ? null : valueMask[1]);
        }

        void requireEthType(String name, int column, String shorthand, int type) throws FlowSyntaxException {
            if (ethType == null || ethType != type) {
                throw new FlowSyntaxException(name + " needs " + shorthand + " (for example '" + shorthand + "," + name
                        + "=...')", currentKeyColumn);
            }
        }

        boolean requireIpv4OrArp(String name, int column) throws FlowSyntaxException {
            if (ethType == null || (ethType != ETH_IPV4 && !isArp())) {
                throw new FlowSyntaxException(name + " needs ip, arp or rarp (for example 'ip," + name + "=10.0.0.0/8')",
                        currentKeyColumn);
            }
            return true;
        }

        void requireIp(String name, int column) throws FlowSyntaxException {
            if (ethType == null || (ethType != ETH_IPV4 && ethType != ETH_IPV6)) {
                throw new FlowSyntaxException(name + " needs ip or ipv6 (for example 'ip," + name + "=...')", currentKeyColumn);
            }
        }

        boolean requireArp(String name, int column) throws FlowSyntaxException {
            if (!isArp()) {
                throw new FlowSyntaxException(name + " needs arp or rarp (for example 'arp," + name + "=...')", currentKeyColumn);
            }
            return true;
        }

        void requireMpls(String name, int column) throws FlowSyntaxException {
            if (ethType == null || (ethType != ETH_MPLS && ethType != ETH_MPLS_MCAST)) {
                throw new FlowSyntaxException(name + " needs mpls or mplsm (for example 'mpls," + name + "=...')",
                        currentKeyColumn);
            }
        }

        void requireIcmp6(String name, int column) throws FlowSyntaxException {
            if (ethType == null || ethType != ETH_IPV6 || ipProto == null || ipProto != PROTO_ICMPV6) {
                throw new FlowSyntaxException(name + " needs icmp6 (for example 'icmp6,icmp_type=135," + name + "=...')",
                        currentKeyColumn);
            }
        }

        void transport(String name, String value, int column, boolean source, Integer proto) throws FlowSyntaxException {
            int p = proto != null ? proto : (ipProto == null ? -1 : ipProto);
            boolean ip = ethType != null && (ethType == ETH_IPV4 || ethType == ETH_IPV6);
            if (!ip || ipProto == null || ipProto != p || (p != PROTO_TCP && p != PROTO_UDP && p != PROTO_SCTP)) {
                String needs = proto == null ? "tcp, udp or sctp" : protocolName(proto);
                throw new FlowSyntaxException(name + " needs " + needs + " (for example '"
                        + (proto == null ? "tcp" : protocolName(proto)) + "," + name + "=80')", currentKeyColumn);
            }
            long[] vm = ValueSyntax.unsignedMasked(value, 16, name, column);
            MatchField<TransportPort> field = switch (p) {
                case PROTO_TCP -> source ? MatchField.TCP_SRC : MatchField.TCP_DST;
                case PROTO_UDP -> source ? MatchField.UDP_SRC : MatchField.UDP_DST;
                default -> source ? MatchField.SCTP_SRC : MatchField.SCTP_DST;
            };
            maybeMasked(field, TransportPort.of((int) vm[0]), vm[1] < 0 || vm[1] == 0xffff ? null : TransportPort.of((int) vm[1]));
        }

        void icmp(String name, String value, int column, boolean type, Integer family) throws FlowSyntaxException {
            boolean v4 = ethType != null && ethType == ETH_IPV4 && ipProto != null && ipProto == PROTO_ICMP;
            boolean v6 = ethType != null && ethType == ETH_IPV6 && ipProto != null && ipProto == PROTO_ICMPV6;
            if ((family == null && !v4 && !v6) || (family != null && family == ETH_IPV4 && !v4)
                    || (family != null && family == ETH_IPV6 && !v6)) {
                String needs = family == null ? "icmp or icmp6" : family == ETH_IPV4 ? "icmp" : "icmp6";
                throw new FlowSyntaxException(name + " needs " + needs + " (for example '"
                        + (family != null && family == ETH_IPV6 ? "icmp6" : "icmp") + "," + name + "=8')", currentKeyColumn);
            }
            short n = (short) ValueSyntax.unsigned(value, 8, name, column);
            if (v4) {
                if (type) {
                    exact(MatchField.ICMPV4_TYPE, ICMPv4Type.of(n));
                } else {
                    exact(MatchField.ICMPV4_CODE, ICMPv4Code.of(n));
                }
            } else if (type) {
                exact(MatchField.ICMPV6_TYPE, U8.of(n));
            } else {
                exact(MatchField.ICMPV6_CODE, U8.of(n));
            }
        }

        /** OpenFlow 1.3 section 7.2.3.7: VLAN_PCP needs VLAN_VID != NONE; ovs-ofctl adds the "VLAN present" match. */
        void finishVlan() {
            // Read the OXM list itself: Loxi's Match.isExact() reports VLAN_PCP as wildcarded while its prerequisite is missing.
            OFOxmList oxms = ((OFMatchV3) match.build()).getOxmList();
            if (oxms.get(MatchField.VLAN_PCP) != null && oxms.get(MatchField.VLAN_VID) == null) {
                match.setMasked(MatchField.VLAN_VID, OFVlanVidMatch.PRESENT, OFVlanVidMatch.PRESENT);
            }
        }
    }

    static String protocolName(int proto) {
        return switch (proto) {
            case PROTO_TCP -> "tcp";
            case PROTO_UDP -> "udp";
            case PROTO_SCTP -> "sctp";
            case PROTO_ICMP -> "icmp";
            case PROTO_ICMPV6 -> "icmp6";
            default -> "nw_proto=" + proto;
        };
    }
}
