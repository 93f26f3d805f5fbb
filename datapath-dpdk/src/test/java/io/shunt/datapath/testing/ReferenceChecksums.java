package io.shunt.datapath.testing;

/**
 * Checksums computed from scratch over byte arrays, independently of the datapath's
 * incremental code: what the tests verify edited frames against.
 */
public final class ReferenceChecksums {
    private ReferenceChecksums() {
    }

    /** One's complement sum of 16-bit big-endian words over the given ranges (each padded to even length), folded. */
    public static int sum(byte[] b, int off, int len, int initial) {
        long s = initial;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xff;
            int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
            s += (hi << 8) | lo;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    /** The Internet checksum (complemented sum) of a range. */
    public static int checksum(byte[] b, int off, int len) {
        return ~sum(b, off, len, 0) & 0xffff;
    }

    /** Pseudo-header sum for IPv4 (RFC 9293 3.1): src, dst, zero, protocol, transport length. */
    public static int ipv4PseudoSum(byte[] b, int ipOff, int proto, int l4Length) {
        int s = sum(b, ipOff + 12, 8, 0);
        return sum(new byte[] {0, (byte) proto, (byte) (l4Length >>> 8), (byte) l4Length}, 0, 4, s);
    }

    /** Pseudo-header sum for IPv6 (RFC 8200 8.1): src, dst, 32-bit length, zeros, next header. */
    public static int ipv6PseudoSum(byte[] b, int ipOff, int proto, int l4Length) {
        int s = sum(b, ipOff + 8, 32, 0);
        return sum(new byte[] {(byte) (l4Length >>> 24), (byte) (l4Length >>> 16), (byte) (l4Length >>> 8),
                (byte) l4Length, 0, 0, 0, (byte) proto}, 0, 8, s);
    }

    /** The transport checksum a sender would compute for the L4 bytes (checksum field taken as zero). */
    public static int transport(byte[] b, int l4Off, int l4Len, int checksumField, int pseudoSum) {
        byte[] copy = java.util.Arrays.copyOfRange(b, l4Off, l4Off + l4Len);
        copy[checksumField] = 0;
        copy[checksumField + 1] = 0;
        return ~sum(copy, 0, l4Len, pseudoSum) & 0xffff;
    }

    /** CRC-32C the way SCTP stores it (RFC 9260 appendix A), computed with java.util.zip.CRC32C. */
    public static int sctp(byte[] b, int l4Off, int l4Len) {
        byte[] copy = java.util.Arrays.copyOfRange(b, l4Off, l4Off + l4Len);
        copy[8] = copy[9] = copy[10] = copy[11] = 0;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(copy);
        return (int) crc.getValue();
    }

    /** Reads the SCTP checksum field (least significant byte first). */
    public static int sctpField(byte[] b, int l4Off) {
        return (b[l4Off + 8] & 0xff) | (b[l4Off + 9] & 0xff) << 8 | (b[l4Off + 10] & 0xff) << 16 | (b[l4Off + 11] & 0xff) << 24;
    }
}
