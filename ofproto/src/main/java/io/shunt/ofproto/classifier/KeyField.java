package io.shunt.ofproto.classifier;

import static io.shunt.ofproto.classifier.KeyLayout.*;

/**
 * One field of the classifier's key: a bit range of one {@link KeyLayout}
 * word. The 128-bit IPv6 fields are split in a high and a low half.
 * Several OpenFlow fields map to the same key field (see {@link KeyLayout}).
 */
public enum KeyField {
    IN_PORT(PORTS_WORD, 0, 32),
    IN_PHY_PORT(PORTS_WORD, 32, 32),
    METADATA(METADATA_WORD, 0, 64),
    ETH_DST(ETH_DST_WORD, 0, 48),
    ETH_TYPE(ETH_DST_WORD, 48, 16),
    ETH_SRC(ETH_SRC_WORD, 0, 48),
    /** 13 bits: OFPVID_PRESENT (0x1000) plus the 12-bit VID; 0 = untagged. */
    VLAN_VID(ETH_SRC_WORD, 48, 13),
    VLAN_PCP(ETH_SRC_WORD, 61, 3),
    /** IPv4 source, or ARP SPA. */
    NW_SRC(IPV4_WORD, 0, 32),
    /** IPv4 destination, or ARP TPA. */
    NW_DST(IPV4_WORD, 32, 32),
    IP_PROTO(L4_WORD, 0, 8),
    IP_DSCP(L4_WORD, 8, 6),
    IP_ECN(L4_WORD, 14, 2),
    /** TCP/UDP/SCTP source port, ICMPv4/ICMPv6 type. */
    TP_SRC(L4_WORD, 16, 16),
    /** TCP/UDP/SCTP destination port, ICMPv4/ICMPv6 code. */
    TP_DST(L4_WORD, 32, 16),
    ARP_OP(L4_WORD, 48, 16),
    IPV6_SRC_HI(IPV6_SRC_HI_WORD, 0, 64),
    IPV6_SRC_LO(IPV6_SRC_LO_WORD, 0, 64),
    IPV6_DST_HI(IPV6_DST_HI_WORD, 0, 64),
    IPV6_DST_LO(IPV6_DST_LO_WORD, 0, 64),
    ND_TARGET_HI(ND_TARGET_HI_WORD, 0, 64),
    ND_TARGET_LO(ND_TARGET_LO_WORD, 0, 64),
    /** ARP SHA, or IPv6 ND source link-layer address. */
    ARP_SHA(SHA_WORD, 0, 48),
    MPLS_TC(SHA_WORD, 48, 3),
    MPLS_BOS(SHA_WORD, 51, 1),
    /** ARP THA, or IPv6 ND target link-layer address. */
    ARP_THA(THA_WORD, 0, 48),
    IPV6_FLABEL(MISC_WORD, 0, 20),
    MPLS_LABEL(MISC_WORD, 20, 20),
    IPV6_EXTHDR(MISC_WORD, 40, 9),
    TUNNEL_ID(TUNNEL_WORD, 0, 64);

    public final int word;
    public final int shift;
    public final int width;
    /** The field's bits within its word (all ones over the field's range). */
    public final long wordMask;
    /** All ones over {@link #width} bits, right-aligned. */
    public final long valueMask;

    KeyField(int word, int shift, int width) {
        this.word = word;
        this.shift = shift;
        this.width = width;
        this.valueMask = width == 64 ? -1L : (1L << width) - 1;
        this.wordMask = valueMask << shift;
    }

    /** The field's value in a word array (key or mask), right-aligned. */
    public long get(long[] words) {
        return (words[word] >>> shift) & valueMask;
    }

    /** Sets the field's value in a word array; bits beyond the width are dropped. */
    public void set(long[] words, long value) {
        words[word] = (words[word] & ~wordMask) | ((value & valueMask) << shift);
    }
}
