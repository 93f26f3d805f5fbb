package io.shunt.datapath.action;

import static io.shunt.datapath.flow.NetworkOrder.U16;

import io.shunt.datapath.flow.IpProto;
import java.lang.foreign.MemorySegment;

/**
 * Keeps the transport checksum right when a field it covers changes: TCP and UDP
 * cover the IP pseudo-header (RFC 9293 3.1, RFC 768, RFC 8200 8.1), so do ICMPv6
 * (RFC 4443 2.3); ICMPv4 does not.
 */
final class TransportChecksum {
    private TransportChecksum() {
    }

    /** Offset of the checksum field in the transport header when it covers the pseudo-header, else -1. */
    static int pseudoHeaderField(int proto, boolean ipv6) {
        return switch (proto) {
            case IpProto.TCP -> 16;
            case IpProto.UDP -> 6;
            case IpProto.ICMPV6 -> ipv6 ? 2 : -1;
            default -> -1;
        };
    }

    /** Applies an RFC 1624 update for a 32-bit change to the checksum at {@code l4 + field}, if it is present. */
    static void update32(Frame f, long l4, boolean ipv6, int oldValue, int newValue) {
        long at = checksumAt(f, l4, ipv6);
        if (at >= 0) {
            MemorySegment s = f.segment;
            write(s, at, l4, InternetChecksum.update32(s.get(U16, at) & 0xffff, oldValue, newValue));
        }
    }

    /** As {@link #update32} for a 64-bit change (half an IPv6 address). */
    static void update64(Frame f, long l4, boolean ipv6, long oldValue, long newValue) {
        long at = checksumAt(f, l4, ipv6);
        if (at >= 0) {
            MemorySegment s = f.segment;
            write(s, at, l4, InternetChecksum.update64(s.get(U16, at) & 0xffff, oldValue, newValue));
        }
    }

    /** As {@link #update32} for a 16-bit change (a port). */
    static void update16(Frame f, long l4, boolean ipv6, int oldValue, int newValue) {
        long at = checksumAt(f, l4, ipv6);
        if (at >= 0) {
            MemorySegment s = f.segment;
            write(s, at, l4, InternetChecksum.update16(s.get(U16, at) & 0xffff, oldValue, newValue));
        }
    }

    /** Absolute position of the checksum to update, or -1 if none (no L4, no field, or an IPv4 UDP packet without checksum). */
    private static long checksumAt(Frame f, long l4, boolean ipv6) {
        if (l4 < 0) {
            return -1;
        }
        int proto = FrameHeaders.proto(l4);
        int field = pseudoHeaderField(proto, ipv6);
        if (field < 0 || field + 2 > FrameHeaders.length(l4)) {
            return -1;
        }
        long at = f.offset + FrameHeaders.offset(l4) + field;
        // RFC 768: a zero UDP checksum over IPv4 means "not computed" and must stay zero
        if (proto == IpProto.UDP && !ipv6 && f.segment.get(U16, at) == 0) {
            return -1;
        }
        return at;
    }

    private static void write(MemorySegment s, long at, long l4, int checksum) {
        // RFC 768: a computed UDP checksum of zero is sent as all ones
        if (checksum == 0 && FrameHeaders.proto(l4) == IpProto.UDP) {
            checksum = 0xffff;
        }
        s.set(U16, at, (short) checksum);
    }
}
