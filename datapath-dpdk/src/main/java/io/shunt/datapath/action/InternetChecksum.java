package io.shunt.datapath.action;

import static io.shunt.datapath.flow.NetworkOrder.U16;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The Internet checksum (RFC 1071): one's complement of the one's complement sum of
 * 16-bit words. Edits update it incrementally by RFC 1624 equation 3,
 * {@code HC' = ~(~HC + ~m + m')}, which stays correct where the older equation of
 * RFC 1141 produced -0.
 */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /** The checksum after a 16-bit word of the covered data changed from {@code oldWord} to {@code newWord}. */
    public static int update16(int checksum, int oldWord, int newWord) {
        int sum = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        return ~fold(sum) & 0xffff;
    }

    /** The checksum after a 32-bit value (two words) changed. */
    public static int update32(int checksum, int oldValue, int newValue) {
        int sum = (~checksum & 0xffff)
                + (~oldValue >>> 16 & 0xffff) + (newValue >>> 16 & 0xffff)
                + (~oldValue & 0xffff) + (newValue & 0xffff);
        return ~fold(sum) & 0xffff;
    }

    /** The checksum after a 64-bit value (four words, e.g. half an IPv6 address) changed. */
    public static int update64(int checksum, long oldValue, long newValue) {
        int c = update32(checksum, (int) (oldValue >>> 32), (int) (newValue >>> 32));
        return update32(c, (int) oldValue, (int) newValue);
    }

    /** The one's complement sum (not complemented, folded to 16 bits) of {@code length} bytes; an odd tail is padded with zero. */
    public static int sum(MemorySegment segment, long offset, int length) {
        long sum = 0;
        int i = 0;
        for (; i + 1 < length; i += 2) {
            sum += segment.get(U16, offset + i) & 0xffff;
        }
        if (i < length) {
            sum += (segment.get(ValueLayout.JAVA_BYTE, offset + i) & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static int fold(int sum) {
        sum = (sum & 0xffff) + (sum >>> 16);
        return (sum & 0xffff) + (sum >>> 16);
    }
}
