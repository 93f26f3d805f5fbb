package io.shunt.datapath.flow;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The value layouts for reading and writing packet headers: network byte order
 * (RFC 1700 "big-endian") and no alignment, since headers start at any offset
 * after a VLAN tag or IP options. Kept in one place so that the parser and the
 * packet edits agree, and {@code static final} so the JIT folds them.
 */
public final class NetworkOrder {
    /** Unsigned 16-bit header fields are read as {@code short} and widened with {@code & 0xffff}. */
    public static final ValueLayout.OfShort U16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** 32-bit header fields (IPv4 addresses, MPLS label stack entries, sequence numbers). */
    public static final ValueLayout.OfInt U32 =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Halves of IPv6 addresses. */
    public static final ValueLayout.OfLong U64 =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private NetworkOrder() {
    }
}
