package io.shunt.ofproto.classifier;

/**
 * Where each OpenFlow 1.3 match field lives in a {@link FlowKey}: the key is
 * an array of {@value #WORDS} 64-bit words, and a field is a bit range of one
 * word (a 128-bit IPv6 address takes two words). Masks use the same layout,
 * so matching a key against a rule is a word-wise AND and compare, and a
 * subtable only visits the words its mask touches (OVS's miniflow idea).
 *
 * <p>Fields that can never be present together in one valid match share
 * bits, as in OVS's {@code struct flow}: the prerequisites of OpenFlow 1.3
 * section 7.2.3.6 guarantee that a rule matching {@code tcp_src} also
 * matches {@code ip_proto=6}, so it can never match a UDP packet through the
 * shared transport-port bits. The sharing: ARP SPA/TPA with IPv4 src/dst;
 * TCP/UDP/SCTP ports, ICMPv4 and ICMPv6 type/code in the transport bits;
 * ARP SHA/THA with IPv6 ND SLL/TLL.
 *
 * <p>Field ranges are named {@code *_WORD} (word index) and {@code *_SHIFT}
 * (lowest bit); widths are in {@link KeyField}.
 */
public final class KeyLayout {
    private KeyLayout() {}

    /** Word 0: in_port (bits 0-31), in_phy_port (bits 32-63). */
    public static final int PORTS_WORD = 0;
    /** Word 1: metadata, all 64 bits. */
    public static final int METADATA_WORD = 1;
    /** Word 2: eth_dst (bits 0-47), eth_type (bits 48-63). */
    public static final int ETH_DST_WORD = 2;
    /** Word 3: eth_src (bits 0-47), vlan_vid incl. OFPVID_PRESENT (bits 48-60), vlan_pcp (bits 61-63). */
    public static final int ETH_SRC_WORD = 3;
    /** Word 4: ipv4_src / arp_spa (bits 0-31), ipv4_dst / arp_tpa (bits 32-63). */
    public static final int IPV4_WORD = 4;
    /** Word 5: ip_proto (0-7), ip_dscp (8-13), ip_ecn (14-15), transport src (16-31), transport dst (32-47), arp_op (48-63). */
    public static final int L4_WORD = 5;
    /** Words 6-7: ipv6_src high and low 64 bits. */
    public static final int IPV6_SRC_HI_WORD = 6;
    public static final int IPV6_SRC_LO_WORD = 7;
    /** Words 8-9: ipv6_dst high and low 64 bits. */
    public static final int IPV6_DST_HI_WORD = 8;
    public static final int IPV6_DST_LO_WORD = 9;
    /** Words 10-11: ipv6_nd_target high and low 64 bits. */
    public static final int ND_TARGET_HI_WORD = 10;
    public static final int ND_TARGET_LO_WORD = 11;
    /** Word 12: arp_sha / ipv6_nd_sll (bits 0-47), mpls_tc (48-50), mpls_bos (51). */
    public static final int SHA_WORD = 12;
    /** Word 13: arp_tha / ipv6_nd_tll (bits 0-47). */
    public static final int THA_WORD = 13;
    /** Word 14: ipv6_flabel (bits 0-19), mpls_label (bits 20-39), ipv6_exthdr (bits 40-48). */
    public static final int MISC_WORD = 14;
    /** Word 15: tunnel_id, all 64 bits. */
    public static final int TUNNEL_WORD = 15;

    /** Number of 64-bit words in a key or mask. */
    public static final int WORDS = 16;
}
