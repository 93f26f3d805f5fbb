package io.shunt.datapath.action;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the SCTP checksum
 * (RFC 9260 appendix A, formerly RFC 3309), computed straight from a memory segment
 * with slicing-by-8 tables: allocation-free, unlike {@code java.util.zip.CRC32C} on a
 * segment, which needs a ByteBuffer view per call.
 */
public final class Crc32c {
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int[][] T = tables();

    private Crc32c() {
    }

    /** CRC-32C of {@code segment[offset, offset + length)} (initial value and final xor included). */
    public static int compute(MemorySegment segment, long offset, int length) {
        int crc = ~0;
        int i = 0;
        int[] t0 = T[0], t1 = T[1], t2 = T[2], t3 = T[3], t4 = T[4], t5 = T[5], t6 = T[6], t7 = T[7];
        for (; i + 8 <= length; i += 8) {
            long v = segment.get(LE64, offset + i) ^ (crc & 0xffffffffL);
            crc = t7[(int) v & 0xff] ^ t6[(int) (v >>> 8) & 0xff] ^ t5[(int) (v >>> 16) & 0xff]
                    ^ t4[(int) (v >>> 24) & 0xff] ^ t3[(int) (v >>> 32) & 0xff] ^ t2[(int) (v >>> 40) & 0xff]
                    ^ t1[(int) (v >>> 48) & 0xff] ^ t0[(int) (v >>> 56) & 0xff];
        }
        for (; i < length; i++) {
            crc = (crc >>> 8) ^ t0[(crc ^ segment.get(ValueLayout.JAVA_BYTE, offset + i)) & 0xff];
        }
        return ~crc;
    }

    private static int[][] tables() {
        int[][] t = new int[8][256];
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            t[0][n] = c;
        }
        for (int n = 0; n < 256; n++) {
            for (int k = 1; k < 8; k++) {
                t[k][n] = (t[k - 1][n] >>> 8) ^ t[0][t[k - 1][n] & 0xff];
            }
        }
        return t;
    }
}
