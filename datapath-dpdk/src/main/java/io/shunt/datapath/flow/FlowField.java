package io.shunt.datapath.flow;

import static io.shunt.datapath.flow.FlowKeyLayout.*;

/**
 * The named fields of a flow key, each a bit range of one {@link FlowKeyLayout} word.
 * Names are those of OVS's flow syntax ({@code ovs-ofctl(8)}, {@code ovs-fields(7)}) so
 * that keys and megaflows print as an OVS user expects.
 *
 * <p>For cold paths only (text form, building masks, tests): the parser and the caches
 * work on whole words. 128-bit IPv6 addresses are two fields, {@code _hi} and {@code _lo};
 * {@link FlowText} prints and reads them as one address.
 */
public enum FlowField {
    IN_PORT("in_port", W_META, IN_PORT_SHIFT, 32, Kind.DECIMAL),
    DL_TYPE("dl_type", W_META, DL_TYPE_SHIFT, 16, Kind.HEX),
    /** The parser's status bits ({@link FlowKey#L2_TRUNCATED} ...): not an OpenFlow field. */
    PARSE_STATUS("parse_status", W_META, STATUS_SHIFT, 16, Kind.HEX),
    DL_DST("dl_dst", W_DL_DST, MAC_SHIFT, 48, Kind.MAC),
    VLAN_TCI("vlan_tci", W_DL_DST, 0, 16, Kind.HEX),
    DL_VLAN("dl_vlan", W_DL_DST, 0, 12, Kind.DECIMAL),
    DL_VLAN_PCP("dl_vlan_pcp", W_DL_DST, 13, 3, Kind.DECIMAL),
    DL_SRC("dl_src", W_DL_SRC, MAC_SHIFT, 48, Kind.MAC),
    VLAN_TPID("vlan_tpid", W_DL_SRC, 0, 16, Kind.HEX),
    VLAN_TCI2("vlan_tci2", W_VLAN2_MPLS, VLAN_TCI2_SHIFT, 16, Kind.HEX),
    VLAN_TPID2("vlan_tpid2", W_VLAN2_MPLS, VLAN_TPID2_SHIFT, 16, Kind.HEX),
    MPLS_LSE("mpls_lse", W_VLAN2_MPLS, MPLS_LSE_SHIFT, 32, Kind.HEX),
    MPLS_LABEL("mpls_label", W_VLAN2_MPLS, 12, 20, Kind.DECIMAL),
    MPLS_TC("mpls_tc", W_VLAN2_MPLS, 9, 3, Kind.DECIMAL),
    MPLS_BOS("mpls_bos", W_VLAN2_MPLS, 8, 1, Kind.DECIMAL),
    MPLS_TTL("mpls_ttl", W_VLAN2_MPLS, 0, 8, Kind.DECIMAL),
    NW_SRC("nw_src", W_NW_ADDR, NW_SRC_SHIFT, 32, Kind.IPV4),
    NW_DST("nw_dst", W_NW_ADDR, NW_DST_SHIFT, 32, Kind.IPV4),
    NW_PROTO("nw_proto", W_NW_ATTR, NW_PROTO_SHIFT, 8, Kind.DECIMAL),
    /** The whole IPv4 TOS / IPv6 traffic class byte. */
    NW_TOS_BYTE("nw_tos_byte", W_NW_ATTR, NW_TOS_SHIFT, 8, Kind.DECIMAL),
    /** The DSCP bits, printed as OVS prints nw_tos: the byte with the ECN bits cleared. */
    NW_TOS("nw_tos", W_NW_ATTR, NW_TOS_SHIFT + 2, 6, Kind.TOS),
    IP_DSCP("ip_dscp", W_NW_ATTR, NW_TOS_SHIFT + 2, 6, Kind.DECIMAL),
    NW_ECN("nw_ecn", W_NW_ATTR, NW_TOS_SHIFT, 2, Kind.DECIMAL),
    NW_TTL("nw_ttl", W_NW_ATTR, NW_TTL_SHIFT, 8, Kind.DECIMAL),
    NW_FRAG("nw_frag", W_NW_ATTR, NW_FRAG_SHIFT, 2, Kind.FRAG),
    IPV6_LABEL("ipv6_label", W_NW_ATTR, IPV6_LABEL_SHIFT, 20, Kind.HEX),
    IPV6_SRC_HI("ipv6_src_hi", W_IPV6_SRC_HI, 0, 64, Kind.HEX),
    IPV6_SRC_LO("ipv6_src_lo", W_IPV6_SRC_LO, 0, 64, Kind.HEX),
    IPV6_DST_HI("ipv6_dst_hi", W_IPV6_DST_HI, 0, 64, Kind.HEX),
    IPV6_DST_LO("ipv6_dst_lo", W_IPV6_DST_LO, 0, 64, Kind.HEX),
    TP_SRC("tp_src", W_TP, TP_SRC_SHIFT, 16, Kind.DECIMAL),
    TP_DST("tp_dst", W_TP, TP_DST_SHIFT, 16, Kind.DECIMAL),
    TCP_FLAGS("tcp_flags", W_TP, TCP_FLAGS_SHIFT, 12, Kind.HEX),
    ARP_SHA("arp_sha", W_ARP_SHA, MAC_SHIFT, 48, Kind.MAC),
    ARP_THA("arp_tha", W_ARP_THA, MAC_SHIFT, 48, Kind.MAC),
    ND_TARGET_HI("nd_target_hi", W_ND_TARGET_HI, 0, 64, Kind.HEX),
    ND_TARGET_LO("nd_target_lo", W_ND_TARGET_LO, 0, 64, Kind.HEX);

    /** How a field's value is written in text. */
    public enum Kind { DECIMAL, HEX, MAC, IPV4, TOS, FRAG }

    private final String ovsName;
    private final int word;
    private final int shift;
    private final int width;
    private final Kind kind;

    FlowField(String ovsName, int word, int shift, int width, Kind kind) {
        this.ovsName = ovsName;
        this.word = word;
        this.shift = shift;
        this.width = width;
        this.kind = kind;
    }

    public String ovsName() {
        return ovsName;
    }

    public int word() {
        return word;
    }

    public int shift() {
        return shift;
    }

    public int width() {
        return width;
    }

    public Kind kind() {
        return kind;
    }

    /** All ones over the field's width, right-aligned. */
    public long valueMask() {
        return width == 64 ? -1L : (1L << width) - 1;
    }

    /** The field's bits in its word. */
    public long wordMask() {
        return valueMask() << shift;
    }

    /** The field's value (right-aligned) in a word. */
    public long extract(long wordValue) {
        return (wordValue >>> shift) & valueMask();
    }

    /** The word with this field replaced by {@code value} (truncated to the width). */
    public long insert(long wordValue, long value) {
        return (wordValue & ~wordMask()) | ((value & valueMask()) << shift);
    }

    /** Looks a field up by its OVS name, or returns null. */
    public static FlowField byName(String name) {
        for (FlowField f : values()) {
            if (f.ovsName.equals(name)) {
                return f;
            }
        }
        return null;
    }
}
