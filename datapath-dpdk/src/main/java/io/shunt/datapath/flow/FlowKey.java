package io.shunt.datapath.flow;

import static io.shunt.datapath.flow.FlowKeyLayout.*;

import java.util.Arrays;

/**
 * A parsed packet's flow key: {@link FlowKeyLayout#WORDS} 64-bit words laid out as
 * {@link FlowKeyLayout} documents. A mutable flyweight: a PMD thread owns one (or one
 * per packet of a burst) and the {@link PacketParser} overwrites it for every packet,
 * so parsing allocates nothing.
 *
 * <p>The low 16 bits of word 0 are the parser's status: whether, and at which layer,
 * a header was truncated or malformed. They are part of the key (an exact-match cache
 * never confuses a truncated packet with a whole one); megaflow masks decide whether
 * they matter.
 */
public final class FlowKey {
    /** The Ethernet header or a VLAN tag was cut short: the key has no L3 fields. */
    public static final int L2_TRUNCATED = 1;
    /** The L3 header (MPLS, ARP, IPv4, IPv6 and its extension headers) was cut short or had inconsistent lengths. */
    public static final int L3_TRUNCATED = 1 << 1;
    /** The TCP/UDP/SCTP/ICMP header was cut short or had an inconsistent length: the key has no L4 fields. */
    public static final int L4_TRUNCATED = 1 << 2;
    /** ICMPv6 neighbour discovery options were malformed or repeated: nd_target, nd_sll and nd_tll are zero (as OVS does). */
    public static final int ND_INVALID = 1 << 3;
    /** The given (offset, length) did not lie within the segment: nothing was read, only in_port is set. */
    public static final int BAD_WINDOW = 1 << 4;

    final long[] words = new long[WORDS];

    public FlowKey() {
    }

    /** One 64-bit word of the key (see {@link FlowKeyLayout}). */
    public long word(int index) {
        return words[index];
    }

    /** Sets one word; for building keys by hand (tests, the text form). */
    public void setWord(int index, long value) {
        words[index] = value;
    }

    public void clear() {
        Arrays.fill(words, 0L);
    }

    public void copyFrom(FlowKey other) {
        System.arraycopy(other.words, 0, words, 0, WORDS);
    }

    /** Copies the words into {@code dst[dstOffset .. dstOffset + WORDS)}: how the caches store keys. */
    public void copyTo(long[] dst, int dstOffset) {
        System.arraycopy(words, 0, dst, dstOffset, WORDS);
    }

    /** True if {@code stored[offset .. offset + WORDS)} holds exactly this key. */
    public boolean equalsWords(long[] stored, int offset) {
        // a plain loop the JIT unrolls: for 15 words it beats Arrays.equals' range checks and mismatch stub
        long diff = 0;
        for (int i = 0; i < WORDS; i++) {
            diff |= words[i] ^ stored[offset + i];
        }
        return diff == 0;
    }

    /** Hash of all words: the exact-match cache's index. */
    public int hash() {
        long h = 0;
        for (int i = 0; i < WORDS; i++) {
            h += FlowHash.term(i, words[i]);
        }
        return FlowHash.finish(h);
    }

    /**
     * Hash of the key masked by {@code mask}, over the mask's non-zero words only: the
     * megaflow subtable's index (a subtable of this mask computes the same value).
     */
    public int maskedHash(FlowMask mask) {
        int[] idx = mask.nonZeroWords;
        long[] m = mask.words;
        long h = 0;
        for (int i = 0; i < idx.length; i++) {
            int w = idx[i];
            h += FlowHash.term(w, words[w] & m[w]);
        }
        return FlowHash.finish(h);
    }

    /** Writes this key AND {@code mask} into {@code dst} (which may be this key). */
    public void maskInto(FlowMask mask, FlowKey dst) {
        for (int i = 0; i < WORDS; i++) {
            dst.words[i] = words[i] & mask.words[i];
        }
    }

    // ---- field accessors (right-aligned values) ----

    public int inPort() {
        return (int) (words[W_META] >>> IN_PORT_SHIFT);
    }

    public int dlType() {
        return (int) (words[W_META] >>> DL_TYPE_SHIFT) & 0xffff;
    }

    /** The parser's status bits ({@link #L2_TRUNCATED}, ...); 0 when every header was whole. */
    public int status() {
        return (int) words[W_META] & 0xffff;
    }

    public long dlDst() {
        return words[W_DL_DST] >>> MAC_SHIFT;
    }

    public long dlSrc() {
        return words[W_DL_SRC] >>> MAC_SHIFT;
    }

    /** Outer VLAN TCI with {@link FlowKeyLayout#VLAN_PRESENT} set when tagged, 0 when untagged. */
    public int vlanTci() {
        return (int) words[W_DL_DST] & 0xffff;
    }

    public int vlanTpid() {
        return (int) words[W_DL_SRC] & 0xffff;
    }

    public int vlanTci2() {
        return (int) (words[W_VLAN2_MPLS] >>> VLAN_TCI2_SHIFT) & 0xffff;
    }

    public int vlanTpid2() {
        return (int) (words[W_VLAN2_MPLS] >>> VLAN_TPID2_SHIFT) & 0xffff;
    }

    /** The top MPLS label stack entry as on the wire (label 20 | tc 3 | bos 1 | ttl 8). */
    public int mplsLse() {
        return (int) words[W_VLAN2_MPLS];
    }

    public int nwSrc() {
        return (int) (words[W_NW_ADDR] >>> NW_SRC_SHIFT);
    }

    public int nwDst() {
        return (int) words[W_NW_ADDR];
    }

    /** IP protocol / final IPv6 next header; for ARP the low 8 bits of the opcode. */
    public int nwProto() {
        return (int) (words[W_NW_ATTR] >>> NW_PROTO_SHIFT) & 0xff;
    }

    /** The whole TOS / traffic class byte (DSCP in the top 6 bits, ECN in the low 2). */
    public int nwTos() {
        return (int) (words[W_NW_ATTR] >>> NW_TOS_SHIFT) & 0xff;
    }

    public int nwTtl() {
        return (int) (words[W_NW_ATTR] >>> NW_TTL_SHIFT) & 0xff;
    }

    /** {@link FlowKeyLayout#FRAG_ANY} | {@link FlowKeyLayout#FRAG_LATER}. */
    public int nwFrag() {
        return (int) (words[W_NW_ATTR] >>> NW_FRAG_SHIFT) & 0xff;
    }

    public int ipv6Label() {
        return (int) words[W_NW_ATTR] & 0xfffff;
    }

    public long ipv6SrcHi() {
        return words[W_IPV6_SRC_HI];
    }

    public long ipv6SrcLo() {
        return words[W_IPV6_SRC_LO];
    }

    public long ipv6DstHi() {
        return words[W_IPV6_DST_HI];
    }

    public long ipv6DstLo() {
        return words[W_IPV6_DST_LO];
    }

    /** Source port, or the ICMP/ICMPv6 type. */
    public int tpSrc() {
        return (int) (words[W_TP] >>> TP_SRC_SHIFT) & 0xffff;
    }

    /** Destination port, or the ICMP/ICMPv6 code. */
    public int tpDst() {
        return (int) (words[W_TP] >>> TP_DST_SHIFT) & 0xffff;
    }

    public int tcpFlags() {
        return (int) (words[W_TP] >>> TCP_FLAGS_SHIFT) & 0xfff;
    }

    /** ARP sender hardware address, or the ND source link-layer address. */
    public long arpSha() {
        return words[W_ARP_SHA] >>> MAC_SHIFT;
    }

    /** ARP target hardware address, or the ND target link-layer address. */
    public long arpTha() {
        return words[W_ARP_THA] >>> MAC_SHIFT;
    }

    public long ndTargetHi() {
        return words[W_ND_TARGET_HI];
    }

    public long ndTargetLo() {
        return words[W_ND_TARGET_LO];
    }

    /** A field's value, right-aligned (cold path). */
    public long get(FlowField field) {
        return field.extract(words[field.word()]);
    }

    /** Sets a field (cold path: tests, the text form); returns this key. */
    public FlowKey set(FlowField field, long value) {
        words[field.word()] = field.insert(words[field.word()], value);
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k && Arrays.equals(words, k.words);
    }

    @Override
    public int hashCode() {
        return hash();
    }

    /** The key in OVS's flow syntax, e.g. {@code udp,in_port=1,dl_src=...,nw_src=10.0.0.1,tp_dst=53}. */
    @Override
    public String toString() {
        return FlowText.format(this, FlowMask.EXACT);
    }
}
