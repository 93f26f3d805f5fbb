package io.shunt.datapath.action;

import static io.shunt.datapath.flow.NetworkOrder.U16;

import io.shunt.datapath.flow.EtherType;
import io.shunt.datapath.flow.IpProto;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Finds headers in a frame for the edits, re-reading the frame itself (the edits do
 * not trust a flow key that an earlier push or pop may have made out of date). Every
 * offset returned lies inside the frame with the whole header it names.
 */
final class FrameHeaders {
    static final int ETH_MACS = 12;
    static final int ETH_HEADER = 14;
    static final int VLAN_TAG = 4;
    static final int IPV4_MIN = 20;
    static final int IPV6_HEADER = 40;

    private FrameHeaders() {
    }

    /**
     * Offset (from the frame start) of the L3 header, after the MACs and all VLAN tags;
     * the EtherType is the 16 bits just before it. -1 if the L2 header is truncated.
     */
    static int l3Offset(Frame f) {
        MemorySegment s = f.segment;
        long base = f.offset;
        int len = f.length;
        if (len < ETH_HEADER) {
            return -1;
        }
        int p = ETH_MACS;
        while (EtherType.isVlan(s.get(U16, base + p) & 0xffff)) {
            if (len - p < VLAN_TAG + 2) {
                return -1;
            }
            p += VLAN_TAG;
        }
        return p + 2;
    }

    /**
     * Moves the {@code length} bytes of the L2 header at {@code from} to {@code to} (4 bytes
     * either way, so the ranges overlap). Up to 24 bytes (MACs and up to three tags) are
     * read into registers in at most three 8-byte loads, the last one overlapping, and then
     * written: MemorySegment.copy's generic path costs more than the move itself for 12 bytes.
     */
    static void moveHeader(MemorySegment s, long from, long to, int length) {
        if (length < 8 || length > 24) {
            MemorySegment.copy(s, from, s, to, length);
            return;
        }
        long head = s.get(ValueLayout.JAVA_LONG_UNALIGNED, from);
        long tail = s.get(ValueLayout.JAVA_LONG_UNALIGNED, from + length - 8);
        if (length > 16) {
            long middle = s.get(ValueLayout.JAVA_LONG_UNALIGNED, from + 8);
            s.set(ValueLayout.JAVA_LONG_UNALIGNED, to + 8, middle);
        }
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, to, head);
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, to + length - 8, tail);
    }

    static int etherType(Frame f, int l3) {
        return f.segment.get(U16, f.offset + l3 - 2) & 0xffff;
    }

    /** Offset of a whole IPv4 header of the given frame, or a negative {@link EditStatus} code. */
    static int ipv4(Frame f) {
        int l3 = l3Offset(f);
        if (l3 < 0) {
            return -EditStatus.TRUNCATED;
        }
        if (etherType(f, l3) != EtherType.IPV4) {
            return -EditStatus.NOT_APPLICABLE;
        }
        int left = f.length - l3;
        if (left < IPV4_MIN) {
            return -EditStatus.TRUNCATED;
        }
        MemorySegment s = f.segment;
        long p = f.offset + l3;
        int verIhl = s.get(ValueLayout.JAVA_BYTE, p) & 0xff;
        int ihl = (verIhl & 0xf) * 4;
        int total = s.get(U16, p + 2) & 0xffff;
        if ((verIhl >>> 4) != 4 || ihl < IPV4_MIN || total < ihl || total > left) {
            return -EditStatus.TRUNCATED;
        }
        return l3;
    }

    /** Offset of a whole IPv6 header, or a negative {@link EditStatus} code. */
    static int ipv6(Frame f) {
        int l3 = l3Offset(f);
        if (l3 < 0) {
            return -EditStatus.TRUNCATED;
        }
        if (etherType(f, l3) != EtherType.IPV6) {
            return -EditStatus.NOT_APPLICABLE;
        }
        int left = f.length - l3;
        if (left < IPV6_HEADER) {
            return -EditStatus.TRUNCATED;
        }
        MemorySegment s = f.segment;
        long p = f.offset + l3;
        int payload = s.get(U16, p + 4) & 0xffff;
        if ((s.get(ValueLayout.JAVA_BYTE, p) & 0xf0) != 0x60 || payload > left - IPV6_HEADER) {
            return -EditStatus.TRUNCATED;
        }
        return l3;
    }

    /**
     * The transport header of an IPv4 packet whose header is at {@code l3}: packed as
     * {@code proto << 48 | l4Length << 24 | l4Offset}, or -1 when there is none (a later
     * fragment carries no transport header).
     */
    static long l4OfIpv4(Frame f, int l3) {
        MemorySegment s = f.segment;
        long p = f.offset + l3;
        if ((s.get(U16, p + 6) & 0x1fff) != 0) {
            return -1;
        }
        int ihl = (s.get(ValueLayout.JAVA_BYTE, p) & 0xf) * 4;
        int total = s.get(U16, p + 2) & 0xffff;
        int proto = s.get(ValueLayout.JAVA_BYTE, p + 9) & 0xff;
        return pack(proto, total - ihl, l3 + ihl);
    }

    /** As {@link #l4OfIpv4}, walking the IPv6 extension headers (RFC 8200 section 4) the way the parser does. */
    static long l4OfIpv6(Frame f, int l3) {
        MemorySegment s = f.segment;
        long base = f.offset;
        int next = s.get(ValueLayout.JAVA_BYTE, base + l3 + 6) & 0xff;
        int left = s.get(U16, base + l3 + 4) & 0xffff;
        int q = l3 + IPV6_HEADER;
        while (true) {
            switch (next) {
                case IpProto.HOPOPTS, IpProto.ROUTING, IpProto.DSTOPTS, IpProto.AH -> {
                    if (left < 8) {
                        return -1;
                    }
                    int lenField = s.get(ValueLayout.JAVA_BYTE, base + q + 1) & 0xff;
                    int len = next == IpProto.AH ? (lenField + 2) * 4 : (lenField + 1) * 8;
                    if (len > left) {
                        return -1;
                    }
                    next = s.get(ValueLayout.JAVA_BYTE, base + q) & 0xff;
                    q += len;
                    left -= len;
                }
                case IpProto.FRAGMENT -> {
                    if (left < 8 || (s.get(U16, base + q + 2) & 0xfff8) != 0) {
                        return -1;
                    }
                    next = s.get(ValueLayout.JAVA_BYTE, base + q) & 0xff;
                    q += 8;
                    left -= 8;
                }
                default -> {
                    return pack(next, left, q);
                }
            }
        }
    }

    static int proto(long l4) {
        return (int) (l4 >>> 48);
    }

    static int length(long l4) {
        return (int) (l4 >>> 24) & 0xffffff;
    }

    static int offset(long l4) {
        return (int) l4 & 0xffffff;
    }

    private static long pack(int proto, int length, int offset) {
        return ((long) proto << 48) | ((long) length << 24) | offset;
    }
}
