package io.shunt.datapath.action;

import static io.shunt.datapath.flow.NetworkOrder.U16;
import static io.shunt.datapath.flow.NetworkOrder.U32;

import io.shunt.datapath.flow.EtherType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * MPLS label stack edits (RFC 3032): push and pop of the top label stack entry between
 * the L2 header (with its VLAN tags) and what follows, and edits of the top entry's
 * fields. The caller computes the label stack entry to push (label, TC, BoS and TTL are
 * OpenFlow semantics the datapath does not decide), as OVS's datapath push_mpls action.
 */
public final class MplsEdits {
    private static final int LSE = 4;
    private static final int IPV4_TTL = 8;
    private static final int IPV6_HOP_LIMIT = 7;
    private static final int DEFAULT_TTL = 64;

    private MplsEdits() {
    }

    /** Pushes {@code lse} as the new top entry and sets the EtherType to {@code ethertype} (0x8847 or 0x8848). */
    public static int push(Frame f, int ethertype, int lse) {
        if (!EtherType.isMpls(ethertype)) {
            return EditStatus.NOT_APPLICABLE;
        }
        int l3 = FrameHeaders.l3Offset(f);
        if (l3 < 0) {
            return EditStatus.TRUNCATED;
        }
        if (f.offset - LSE < f.bufferStart) {
            return EditStatus.NO_HEADROOM;
        }
        MemorySegment s = f.segment;
        long start = f.offset - LSE;
        FrameHeaders.moveHeader(s, f.offset, start, l3);
        s.set(U16, start + l3 - 2, (short) ethertype);
        s.set(U32, start + l3, lse);
        f.offset = start;
        f.length += LSE;
        return EditStatus.OK;
    }

    /**
     * Pushes a new top entry whose fields follow OpenFlow 1.3 section 5.12.1 (as Open vSwitch
     * does): on an MPLS packet, a copy of the current top entry with BoS 0; otherwise label 0,
     * TC 0, BoS 1 and the TTL of the IPv4 or IPv6 header (64 for a non-IP packet).
     */
    public static int pushDerived(Frame f, int ethertype) {
        int l3 = FrameHeaders.l3Offset(f);
        if (l3 < 0) {
            return EditStatus.TRUNCATED;
        }
        int type = FrameHeaders.etherType(f, l3);
        int lse;
        if (EtherType.isMpls(type)) {
            if (f.length - l3 < LSE) {
                return EditStatus.TRUNCATED;
            }
            lse = f.segment.get(U32, f.offset + l3) & ~0x100;
        } else {
            int ttl = DEFAULT_TTL;
            if (type == EtherType.IPV4) {
                int at = FrameHeaders.ipv4(f);
                if (at < 0) {
                    return -at;
                }
                ttl = f.segment.get(ValueLayout.JAVA_BYTE, f.offset + at + IPV4_TTL) & 0xff;
            } else if (type == EtherType.IPV6) {
                int at = FrameHeaders.ipv6(f);
                if (at < 0) {
                    return -at;
                }
                ttl = f.segment.get(ValueLayout.JAVA_BYTE, f.offset + at + IPV6_HOP_LIMIT) & 0xff;
            }
            lse = 0x100 | ttl;
        }
        return push(f, ethertype, lse);
    }

    /** Pops the top entry and sets the EtherType to {@code ethertype} (what the remaining stack or payload is). */
    public static int pop(Frame f, int ethertype) {
        int l3 = top(f);
        if (l3 < 0) {
            return -l3;
        }
        MemorySegment s = f.segment;
        long start = f.offset + LSE;
        FrameHeaders.moveHeader(s, f.offset, start, l3);
        s.set(U16, start + l3 - 2, (short) ethertype);
        f.offset = start;
        f.length -= LSE;
        return EditStatus.OK;
    }

    public static int setLabel(Frame f, int label) {
        return setBits(f, 0xfffff000, (label & 0xfffff) << 12);
    }

    public static int setTc(Frame f, int tc) {
        return setBits(f, 0x00000e00, (tc & 0x7) << 9);
    }

    public static int setBos(Frame f, int bos) {
        return setBits(f, 0x00000100, (bos & 0x1) << 8);
    }

    public static int setTtl(Frame f, int ttl) {
        return setBits(f, 0x000000ff, ttl & 0xff);
    }

    /** Decrements the top entry's TTL; 0 or 1 is {@link EditStatus#TTL_EXPIRED} (RFC 3032 2.4.1) and is left as is. */
    public static int decrementTtl(Frame f) {
        int l3 = top(f);
        if (l3 < 0) {
            return -l3;
        }
        long at = f.offset + l3;
        int lse = f.segment.get(U32, at);
        int ttl = lse & 0xff;
        if (ttl <= 1) {
            return EditStatus.TTL_EXPIRED;
        }
        f.segment.set(U32, at, (lse & ~0xff) | (ttl - 1));
        return EditStatus.OK;
    }

    private static int setBits(Frame f, int fieldMask, int bits) {
        int l3 = top(f);
        if (l3 < 0) {
            return -l3;
        }
        long at = f.offset + l3;
        int lse = f.segment.get(U32, at);
        f.segment.set(U32, at, (lse & ~fieldMask) | bits);
        return EditStatus.OK;
    }

    /** Offset of the top label stack entry, or a negative {@link EditStatus}. */
    private static int top(Frame f) {
        int l3 = FrameHeaders.l3Offset(f);
        if (l3 < 0) {
            return -EditStatus.TRUNCATED;
        }
        if (!EtherType.isMpls(FrameHeaders.etherType(f, l3))) {
            return -EditStatus.NOT_APPLICABLE;
        }
        if (f.length - l3 < LSE) {
            return -EditStatus.TRUNCATED;
        }
        return l3;
    }
}
