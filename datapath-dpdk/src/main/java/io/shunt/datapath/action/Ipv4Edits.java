package io.shunt.datapath.action;

import static io.shunt.datapath.flow.NetworkOrder.U16;
import static io.shunt.datapath.flow.NetworkOrder.U32;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * IPv4 header edits. The header checksum (RFC 791) is updated incrementally
 * (RFC 1624), and so is the TCP/UDP checksum when an address in the pseudo-header
 * changes. Each returns an {@link EditStatus}; on failure the frame is unchanged.
 */
public final class Ipv4Edits {
    private static final int TOS = 1;
    private static final int TTL = 8;
    private static final int CHECKSUM = 10;
    private static final int SRC = 12;
    private static final int DST = 16;

    private Ipv4Edits() {
    }

    public static int setSource(Frame f, int address) {
        return setAddress(f, SRC, address);
    }

    public static int setDestination(Frame f, int address) {
        return setAddress(f, DST, address);
    }

    /** Sets the 6 DSCP bits of the TOS byte, keeping ECN (OpenFlow's set_field ip_dscp / OVS's nw_tos). */
    public static int setDscp(Frame f, int dscp) {
        return setTos(f, 0xfc, (dscp & 0x3f) << 2);
    }

    /** Sets the 2 ECN bits of the TOS byte, keeping DSCP. */
    public static int setEcn(Frame f, int ecn) {
        return setTos(f, 0x03, ecn & 0x3);
    }

    public static int setTtl(Frame f, int ttl) {
        int l3 = FrameHeaders.ipv4(f);
        if (l3 < 0) {
            return -l3;
        }
        writeTtl(f.segment, f.offset + l3, ttl & 0xff);
        return EditStatus.OK;
    }

    /** Decrements the TTL; a TTL of 0 or 1 is {@link EditStatus#TTL_EXPIRED} and is left as is (RFC 1812 5.3.1). */
    public static int decrementTtl(Frame f) {
        int l3 = FrameHeaders.ipv4(f);
        if (l3 < 0) {
            return -l3;
        }
        long p = f.offset + l3;
        int ttl = f.segment.get(ValueLayout.JAVA_BYTE, p + TTL) & 0xff;
        if (ttl <= 1) {
            return EditStatus.TTL_EXPIRED;
        }
        writeTtl(f.segment, p, ttl - 1);
        return EditStatus.OK;
    }

    private static int setAddress(Frame f, int field, int address) {
        int l3 = FrameHeaders.ipv4(f);
        if (l3 < 0) {
            return -l3;
        }
        MemorySegment s = f.segment;
        long p = f.offset + l3;
        int old = s.get(U32, p + field);
        if (old == address) {
            return EditStatus.OK;
        }
        long l4 = FrameHeaders.l4OfIpv4(f, l3);
        s.set(U32, p + field, address);
        int checksum = s.get(U16, p + CHECKSUM) & 0xffff;
        s.set(U16, p + CHECKSUM, (short) InternetChecksum.update32(checksum, old, address));
        TransportChecksum.update32(f, l4, false, old, address);
        return EditStatus.OK;
    }

    private static int setTos(Frame f, int keepMask, int bits) {
        int l3 = FrameHeaders.ipv4(f);
        if (l3 < 0) {
            return -l3;
        }
        MemorySegment s = f.segment;
        long p = f.offset + l3;
        // the checksum covers TOS as the low byte of the first 16-bit word (version/IHL, TOS)
        int oldWord = s.get(U16, p) & 0xffff;
        int tos = ((oldWord & 0xff) & ~keepMask) | bits;
        int newWord = (oldWord & 0xff00) | tos;
        s.set(ValueLayout.JAVA_BYTE, p + TOS, (byte) tos);
        int checksum = s.get(U16, p + CHECKSUM) & 0xffff;
        s.set(U16, p + CHECKSUM, (short) InternetChecksum.update16(checksum, oldWord, newWord));
        return EditStatus.OK;
    }

    private static void writeTtl(MemorySegment s, long p, int ttl) {
        // TTL is the high byte of the 16-bit word (TTL, protocol) the checksum covers
        int oldWord = s.get(U16, p + TTL) & 0xffff;
        int newWord = (ttl << 8) | (oldWord & 0xff);
        s.set(ValueLayout.JAVA_BYTE, p + TTL, (byte) ttl);
        int checksum = s.get(U16, p + CHECKSUM) & 0xffff;
        s.set(U16, p + CHECKSUM, (short) InternetChecksum.update16(checksum, oldWord, newWord));
    }
}
