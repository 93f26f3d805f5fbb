package io.shunt.datapath.action;

import static io.shunt.datapath.flow.NetworkOrder.U16;

import io.shunt.datapath.flow.EtherType;
import io.shunt.datapath.flow.IpProto;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * TCP, UDP and SCTP port edits over IPv4 or IPv6. TCP and UDP checksums are updated
 * incrementally (RFC 1624); the SCTP checksum, a CRC-32C over the whole SCTP packet,
 * is recomputed (RFC 9260 section 6.8). Later IP fragments have no ports:
 * {@link EditStatus#NOT_APPLICABLE}.
 */
public final class TransportEdits {
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int SCTP_COMMON_HEADER = 12;
    private static final int SCTP_CHECKSUM = 8;

    private TransportEdits() {
    }

    public static int setSourcePort(Frame f, int port) {
        return setPort(f, 0, port & 0xffff);
    }

    public static int setDestinationPort(Frame f, int port) {
        return setPort(f, 2, port & 0xffff);
    }

    private static int setPort(Frame f, int field, int port) {
        int l3 = FrameHeaders.l3Offset(f);
        if (l3 < 0) {
            return EditStatus.TRUNCATED;
        }
        int type = FrameHeaders.etherType(f, l3);
        boolean v6;
        long l4;
        if (type == EtherType.IPV4) {
            int at = FrameHeaders.ipv4(f);
            if (at < 0) {
                return -at;
            }
            v6 = false;
            l4 = FrameHeaders.l4OfIpv4(f, at);
        } else if (type == EtherType.IPV6) {
            int at = FrameHeaders.ipv6(f);
            if (at < 0) {
                return -at;
            }
            v6 = true;
            l4 = FrameHeaders.l4OfIpv6(f, at);
        } else {
            return EditStatus.NOT_APPLICABLE;
        }
        if (l4 < 0) {
            return EditStatus.NOT_APPLICABLE;
        }
        int proto = FrameHeaders.proto(l4);
        int l4Length = FrameHeaders.length(l4);
        int minimum = switch (proto) {
            case IpProto.TCP -> 20;
            case IpProto.UDP -> 8;
            case IpProto.SCTP -> SCTP_COMMON_HEADER;
            default -> -1;
        };
        if (minimum < 0) {
            return EditStatus.NOT_APPLICABLE;
        }
        if (l4Length < minimum) {
            return EditStatus.TRUNCATED;
        }
        MemorySegment s = f.segment;
        long p = f.offset + FrameHeaders.offset(l4);
        int old = s.get(U16, p + field) & 0xffff;
        s.set(U16, p + field, (short) port);
        if (proto == IpProto.SCTP) {
            // the CRC is computed with its own field zeroed, and stored least significant byte first
            // (RFC 9260 appendix A: the same byte order as iSCSI's CRC-32C)
            s.set(ValueLayout.JAVA_INT_UNALIGNED, p + SCTP_CHECKSUM, 0);
            s.set(LE32, p + SCTP_CHECKSUM, f.crc32c.compute(s, p, l4Length));
        } else {
            TransportChecksum.update16(f, l4, v6, old, port);
        }
        return EditStatus.OK;
    }
}
