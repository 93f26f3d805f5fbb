package io.shunt.ofproto.classifier;

import java.util.Arrays;

/**
 * The header fields of one packet (plus its in_port and pipeline metadata),
 * as the classifier matches them: OpenFlow 1.3's match fields, each a
 * primitive bit range of a fixed array of 64-bit words laid out by
 * {@link KeyLayout}. Absent headers are zero (an untagged frame has
 * {@code vlan_vid} 0, as OFPVID_NONE).
 *
 * <p>A key is a mutable flyweight: a parser fills one per packet and the
 * pipeline edits a scratch copy (set-field, write-metadata) without
 * allocating. Not thread-safe; one per thread.
 */
public final class FlowKey {
    final long[] words = new long[KeyLayout.WORDS];

    public FlowKey() {}

    /** Copies every field from {@code other}. */
    public FlowKey copyFrom(FlowKey other) {
        System.arraycopy(other.words, 0, words, 0, KeyLayout.WORDS);
        return this;
    }

    /** Resets every field to zero. */
    public FlowKey clear() {
        Arrays.fill(words, 0L);
        return this;
    }

    public long get(KeyField f) {
        return f.get(words);
    }

    public FlowKey set(KeyField f, long value) {
        f.set(words, value);
        return this;
    }

    /**
     * The key's own word array (not a copy), for code that edits keys in
     * bulk without allocating (the pipeline, packet parsers). Layout:
     * {@link KeyLayout}.
     */
    public long[] words() {
        return words;
    }

    /** The raw word {@code i} (see {@link KeyLayout}). */
    public long word(int i) {
        return words[i];
    }

    public int inPort() { return (int) KeyField.IN_PORT.get(words); }
    public FlowKey inPort(int port) { return set(KeyField.IN_PORT, port & 0xffffffffL); }
    public long metadata() { return words[KeyLayout.METADATA_WORD]; }
    public FlowKey metadata(long md) { words[KeyLayout.METADATA_WORD] = md; return this; }
    public long ethDst() { return get(KeyField.ETH_DST); }
    public FlowKey ethDst(long mac) { return set(KeyField.ETH_DST, mac); }
    public long ethSrc() { return get(KeyField.ETH_SRC); }
    public FlowKey ethSrc(long mac) { return set(KeyField.ETH_SRC, mac); }
    public int ethType() { return (int) get(KeyField.ETH_TYPE); }
    public FlowKey ethType(int type) { return set(KeyField.ETH_TYPE, type); }
    /** OFPVID_PRESENT | vid, or 0 when untagged. */
    public int vlanVid() { return (int) get(KeyField.VLAN_VID); }
    public FlowKey vlanVid(int vidWithPresentBit) { return set(KeyField.VLAN_VID, vidWithPresentBit); }
    public int vlanPcp() { return (int) get(KeyField.VLAN_PCP); }
    public FlowKey vlanPcp(int pcp) { return set(KeyField.VLAN_PCP, pcp); }
    public int ipv4Src() { return (int) get(KeyField.NW_SRC); }
    public FlowKey ipv4Src(int a) { return set(KeyField.NW_SRC, a & 0xffffffffL); }
    public int ipv4Dst() { return (int) get(KeyField.NW_DST); }
    public FlowKey ipv4Dst(int a) { return set(KeyField.NW_DST, a & 0xffffffffL); }
    public int ipProto() { return (int) get(KeyField.IP_PROTO); }
    public FlowKey ipProto(int p) { return set(KeyField.IP_PROTO, p); }
    public int ipDscp() { return (int) get(KeyField.IP_DSCP); }
    public FlowKey ipDscp(int d) { return set(KeyField.IP_DSCP, d); }
    public int ipEcn() { return (int) get(KeyField.IP_ECN); }
    public FlowKey ipEcn(int e) { return set(KeyField.IP_ECN, e); }
    /** TCP/UDP/SCTP source port, or ICMP type. */
    public int tpSrc() { return (int) get(KeyField.TP_SRC); }
    public FlowKey tpSrc(int p) { return set(KeyField.TP_SRC, p); }
    /** TCP/UDP/SCTP destination port, or ICMP code. */
    public int tpDst() { return (int) get(KeyField.TP_DST); }
    public FlowKey tpDst(int p) { return set(KeyField.TP_DST, p); }
    public int arpOp() { return (int) get(KeyField.ARP_OP); }
    public FlowKey arpOp(int op) { return set(KeyField.ARP_OP, op); }
    public FlowKey ipv6Src(long hi, long lo) { set(KeyField.IPV6_SRC_HI, hi); return set(KeyField.IPV6_SRC_LO, lo); }
    public FlowKey ipv6Dst(long hi, long lo) { set(KeyField.IPV6_DST_HI, hi); return set(KeyField.IPV6_DST_LO, lo); }
    public FlowKey tunnelId(long id) { return set(KeyField.TUNNEL_ID, id); }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k && Arrays.equals(words, k.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FlowKey{");
        for (KeyField f : KeyField.values()) {
            long v = f.get(words);
            if (v != 0) sb.append(f.name().toLowerCase()).append('=').append(Long.toHexString(v)).append(',');
        }
        if (sb.charAt(sb.length() - 1) == ',') sb.setLength(sb.length() - 1);
        return sb.append('}').toString();
    }
}
