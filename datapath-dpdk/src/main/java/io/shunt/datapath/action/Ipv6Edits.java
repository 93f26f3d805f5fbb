package io.shunt.datapath.action;

import static io.shunt.datapath.flow.NetworkOrder.U32;
import static io.shunt.datapath.flow.NetworkOrder.U64;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * IPv6 header edits. IPv6 has no header checksum; an address change updates the
 * TCP/UDP/ICMPv6 checksum, which covers the pseudo-header (RFC 8200 section 8.1).
 */
public final class Ipv6Edits {
    private static final int SRC = 8;
    private static final int DST = 24;
    private static final int HOP_LIMIT = 7;

    private Ipv6Edits() {
    }

    public static int setSource(Frame f, long high, long low) {
        return setAddress(f, SRC, high, low);
    }

    public static int setDestination(Frame f, long high, long low) {
        return setAddress(f, DST, high, low);
    }

    /** Sets the 8-bit traffic class (bits 4..11 of the first word). */
    public static int setTrafficClass(Frame f, int trafficClass) {
        return setFirstWord(f, 0x0ff00000, (trafficClass & 0xff) << 20);
    }

    /** Sets the DSCP (the upper six bits of the traffic class), keeping the ECN bits. */
    public static int setDscp(Frame f, int dscp) {
        return setFirstWord(f, 0x0fc00000, (dscp & 0x3f) << 22);
    }

    /** Sets the 20-bit flow label. */
    public static int setFlowLabel(Frame f, int label) {
        return setFirstWord(f, 0x000fffff, label & 0xfffff);
    }

    public static int setHopLimit(Frame f, int hopLimit) {
        int l3 = FrameHeaders.ipv6(f);
        if (l3 < 0) {
            return -l3;
        }
        f.segment.set(ValueLayout.JAVA_BYTE, f.offset + l3 + HOP_LIMIT, (byte) hopLimit);
        return EditStatus.OK;
    }

    /** Decrements the hop limit; 0 or 1 is {@link EditStatus#TTL_EXPIRED} (RFC 8200 section 3) and is left as is. */
    public static int decrementHopLimit(Frame f) {
        int l3 = FrameHeaders.ipv6(f);
        if (l3 < 0) {
            return -l3;
        }
        long at = f.offset + l3 + HOP_LIMIT;
        int hl = f.segment.get(ValueLayout.JAVA_BYTE, at) & 0xff;
        if (hl <= 1) {
            return EditStatus.TTL_EXPIRED;
        }
        f.segment.set(ValueLayout.JAVA_BYTE, at, (byte) (hl - 1));
        return EditStatus.OK;
    }

    private static int setAddress(Frame f, int field, long high, long low) {
        int l3 = FrameHeaders.ipv6(f);
        if (l3 < 0) {
            return -l3;
        }
        MemorySegment s = f.segment;
        long p = f.offset + l3 + field;
        long l4 = FrameHeaders.l4OfIpv6(f, l3);
        long oldHigh = s.get(U64, p);
        long oldLow = s.get(U64, p + 8);
        s.set(U64, p, high);
        s.set(U64, p + 8, low);
        TransportChecksum.update64(f, l4, true, oldHigh, high);
        TransportChecksum.update64(f, l4, true, oldLow, low);
        return EditStatus.OK;
    }

    private static int setFirstWord(Frame f, int fieldMask, int bits) {
        int l3 = FrameHeaders.ipv6(f);
        if (l3 < 0) {
            return -l3;
        }
        long p = f.offset + l3;
        int word = f.segment.get(U32, p);
        f.segment.set(U32, p, (word & ~fieldMask) | bits);
        return EditStatus.OK;
    }
}
