package io.shunt.datapath.flow;

/**
 * Where every field of a {@link FlowKey} lives: the word (0..{@link #WORDS}-1) and the
 * bit shift inside that 64-bit word. A {@link FlowMask} has the same shape, so masking
 * is a word-wise AND and a cache compares whole words.
 *
 * <p>Fields are grouped so that the words a typical megaflow mask touches are few
 * (in_port and dl_type share word 0, the IPv4 addresses share word 4, the L4 ports
 * word 10): a subtable then hashes and compares only its non-zero mask words.
 * docs/flow-key.md draws the same table.
 *
 * <pre>
 * word  bits 63 ........................................................ 0
 *  0    in_port[63:32]            dl_type[31:16]        parse status[15:0]
 *  1    dl_dst[63:16]                                   vlan_tci[15:0]   (outer tag)
 *  2    dl_src[63:16]                                   vlan_tpid[15:0]  (outer tag)
 *  3    vlan_tci2[63:48] vlan_tpid2[47:32]  mpls_lse[31:0] (label 20|tc 3|bos 1|ttl 8)
 *  4    nw_src[63:32]                        nw_dst[31:0]  (IPv4, or ARP spa/tpa)
 *  5    nw_proto[63:56] nw_tos[55:48] nw_ttl[47:40] nw_frag[39:32] ipv6_label[19:0]
 *  6,7  ipv6_src (high half, low half)
 *  8,9  ipv6_dst
 * 10    tp_src[63:48] tp_dst[47:32] tcp_flags[27:16]     (ICMP: type in tp_src, code in tp_dst)
 * 11    arp_sha / nd_sll [63:16]
 * 12    arp_tha / nd_tll [63:16]
 * 13,14 nd_target
 * </pre>
 */
public final class FlowKeyLayout {
    /** Number of 64-bit words in a key or a mask. */
    public static final int WORDS = 15;

    /** in_port (32) | dl_type (16) | parse status bits (16). */
    public static final int W_META = 0;
    public static final int IN_PORT_SHIFT = 32;
    public static final int DL_TYPE_SHIFT = 16;
    public static final int STATUS_SHIFT = 0;

    /** Destination MAC in the top 48 bits; the outer VLAN TCI in the low 16. */
    public static final int W_DL_DST = 1;
    /** Source MAC in the top 48 bits; the outer VLAN TPID in the low 16. */
    public static final int W_DL_SRC = 2;
    public static final int MAC_SHIFT = 16;

    /** Inner VLAN TCI (16) | inner TPID (16) | top MPLS label stack entry (32, as on the wire). */
    public static final int W_VLAN2_MPLS = 3;
    public static final int VLAN_TCI2_SHIFT = 48;
    public static final int VLAN_TPID2_SHIFT = 32;
    public static final int MPLS_LSE_SHIFT = 0;

    /** IPv4 source and destination, or the ARP sender and target protocol addresses. */
    public static final int W_NW_ADDR = 4;
    public static final int NW_SRC_SHIFT = 32;
    public static final int NW_DST_SHIFT = 0;

    /** nw_proto (or ARP opcode) | tos byte (DSCP and ECN) | TTL / hop limit | nw_frag | IPv6 flow label. */
    public static final int W_NW_ATTR = 5;
    public static final int NW_PROTO_SHIFT = 56;
    public static final int NW_TOS_SHIFT = 48;
    public static final int NW_TTL_SHIFT = 40;
    public static final int NW_FRAG_SHIFT = 32;
    public static final int IPV6_LABEL_SHIFT = 0;

    public static final int W_IPV6_SRC_HI = 6;
    public static final int W_IPV6_SRC_LO = 7;
    public static final int W_IPV6_DST_HI = 8;
    public static final int W_IPV6_DST_LO = 9;

    /** Transport ports (ICMP type and code) and the 12 TCP flag bits. */
    public static final int W_TP = 10;
    public static final int TP_SRC_SHIFT = 48;
    public static final int TP_DST_SHIFT = 32;
    public static final int TCP_FLAGS_SHIFT = 16;

    /** ARP sender hardware address, or the ND source link-layer address option. */
    public static final int W_ARP_SHA = 11;
    /** ARP target hardware address, or the ND target link-layer address option. */
    public static final int W_ARP_THA = 12;

    public static final int W_ND_TARGET_HI = 13;
    public static final int W_ND_TARGET_LO = 14;

    /** nw_frag bit: the packet is an IP fragment (OVS FLOW_NW_FRAG_ANY). */
    public static final int FRAG_ANY = 1;
    /** nw_frag bit: a fragment with a non-zero offset, so it has no L4 header (OVS FLOW_NW_FRAG_LATER). */
    public static final int FRAG_LATER = 2;

    /** vlan_tci bit set when a tag is present (OVS's VLAN_CFI use of the CFI/DEI position). */
    public static final int VLAN_PRESENT = 0x1000;

    private FlowKeyLayout() {
    }
}
