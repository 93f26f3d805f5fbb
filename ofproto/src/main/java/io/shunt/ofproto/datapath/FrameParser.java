package io.shunt.ofproto.datapath;

import io.shunt.ofproto.classifier.FlowKey;
import io.shunt.ofproto.classifier.KeyField;

/**
 * Parses an Ethernet frame into a {@link FlowKey} (OF1.3 match fields):
 * Ethernet, one 802.1Q/802.1ad tag, MPLS (outer label), ARP, IPv4, IPv6
 * (fixed header; no extension-header walk), TCP, UDP, SCTP, ICMPv4,
 * ICMPv6 with neighbour discovery. Truncated headers end the parse: the
 * fields read so far stay, the rest are zero (as a packet too short to
 * carry them matches no rule on them). No allocation.
 */
public final class FrameParser {
    private FrameParser() {}

    private static int u8(byte[] b, int i) { return b[i] & 0xff; }
    private static int u16(byte[] b, int i) { return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff); }
    private static long u32(byte[] b, int i) { return ((long) u16(b, i) << 16) | u16(b, i + 2); }
    private static long u48(byte[] b, int i) { return ((long) u16(b, i) << 32) | u32(b, i + 2); }
    private static long u64(byte[] b, int i) { return (u32(b, i) << 32) | u32(b, i + 4); }

    /** Fills {@code key} (cleared first) from {@code frame[0..len)} received on {@code inPort}. */
    public static FlowKey parse(byte[] frame, int len, int inPort, FlowKey key) {
        key.clear();
        key.inPort(inPort);
        key.set(KeyField.IN_PHY_PORT, inPort & 0xffffffffL);
        if (len < 14) return key;
        key.ethDst(u48(frame, 0));
        key.ethSrc(u48(frame, 6));
        int off = 12;
        int type = u16(frame, off);
        if ((type == 0x8100 || type == 0x88a8) && len >= off + 6) {
            int tci = u16(frame, off + 2);
            key.vlanVid(0x1000 | (tci & 0xfff));
            key.vlanPcp(tci >>> 13);
            off += 4;
            type = u16(frame, off);
        }
        key.ethType(type);
        off += 2;
        switch (type) {
            case 0x0806 -> arp(frame, len, off, key);
            case 0x0800 -> ipv4(frame, len, off, key);
            case 0x86dd -> ipv6(frame, len, off, key);
            case 0x8847, 0x8848 -> {
                if (len >= off + 4) {
                    long e = u32(frame, off);
                    key.set(KeyField.MPLS_LABEL, e >>> 12);
                    key.set(KeyField.MPLS_TC, (e >>> 9) & 7);
                    key.set(KeyField.MPLS_BOS, (e >>> 8) & 1);
                }
            }
            default -> { }
        }
        return key;
    }

    private static void arp(byte[] f, int len, int off, FlowKey key) {
        if (len < off + 28) return;
        key.arpOp(u16(f, off + 6));
        key.set(KeyField.ARP_SHA, u48(f, off + 8));
        key.set(KeyField.NW_SRC, u32(f, off + 14));
        key.set(KeyField.ARP_THA, u48(f, off + 18));
        key.set(KeyField.NW_DST, u32(f, off + 24));
    }

    private static void ipv4(byte[] f, int len, int off, FlowKey key) {
        if (len < off + 20) return;
        int ihl = (u8(f, off) & 0xf) * 4;
        int tos = u8(f, off + 1);
        key.ipDscp(tos >>> 2).ipEcn(tos & 3);
        int proto = u8(f, off + 9);
        key.ipProto(proto);
        key.set(KeyField.NW_SRC, u32(f, off + 12));
        key.set(KeyField.NW_DST, u32(f, off + 16));
        boolean firstFragment = (u16(f, off + 6) & 0x1fff) == 0;
        if (ihl < 20 || !firstFragment) return;
        transport(f, len, off + ihl, proto, key);
    }

    private static void ipv6(byte[] f, int len, int off, FlowKey key) {
        if (len < off + 40) return;
        long first = u32(f, off);
        int tc = (int) ((first >>> 20) & 0xff);
        key.ipDscp(tc >>> 2).ipEcn(tc & 3);
        key.set(KeyField.IPV6_FLABEL, first & 0xfffff);
        int next = u8(f, off + 6);
        key.ipProto(next);
        key.ipv6Src(u64(f, off + 8), u64(f, off + 16));
        key.ipv6Dst(u64(f, off + 24), u64(f, off + 32));
        transport(f, len, off + 40, next, key);
    }

    private static void transport(byte[] f, int len, int off, int proto, FlowKey key) {
        switch (proto) {
            case 6, 17, 132 -> {
                if (len >= off + 4) key.tpSrc(u16(f, off)).tpDst(u16(f, off + 2));
            }
            case 1 -> {
                if (len >= off + 2) key.tpSrc(u8(f, off)).tpDst(u8(f, off + 1));
            }
            case 58 -> {
                if (len < off + 4) return;
                int type = u8(f, off);
                key.tpSrc(type).tpDst(u8(f, off + 1));
                if ((type == 135 || type == 136) && len >= off + 24) {
                    key.set(KeyField.ND_TARGET_HI, u64(f, off + 8));
                    key.set(KeyField.ND_TARGET_LO, u64(f, off + 16));
                    int opt = off + 24;
                    if (len >= opt + 8 && u8(f, opt + 1) == 1) {
                        int optType = u8(f, opt);
                        if (optType == 1 && type == 135) key.set(KeyField.ARP_SHA, u48(f, opt + 2));
                        if (optType == 2 && type == 136) key.set(KeyField.ARP_THA, u48(f, opt + 2));
                    }
                }
            }
            default -> { }
        }
    }
}
