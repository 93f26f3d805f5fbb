package io.shunt.datapath.testing;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Builds real frames byte by byte, with correct lengths and checksums, for parser and
 * edit tests. Checksums come from {@link ReferenceChecksums}, not from the datapath.
 */
public final class Frames {
    public static final long MAC_A = 0x0200_0000_000aL;
    public static final long MAC_B = 0x0200_0000_000bL;

    private Frames() {
    }

    public static byte[] mac(long m) {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (m >>> (40 - 8 * i));
        }
        return b;
    }

    public static byte[] ipv4(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    public static int ipv4Int(byte[] a) {
        return (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | (a[3] & 0xff);
    }

    /** An IPv6 address from 8 groups. */
    public static byte[] ipv6(int... groups) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[2 * i] = (byte) (groups[i] >>> 8);
            b[2 * i + 1] = (byte) groups[i];
        }
        return b;
    }

    public static long high(byte[] a16) {
        return word(a16, 0);
    }

    public static long low(byte[] a16) {
        return word(a16, 8);
    }

    private static long word(byte[] a, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (a[off + i] & 0xff);
        }
        return v;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    public static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** Ethernet header; {@code tags} are (tpid, tci) pairs, outermost first. */
    public static byte[] ethernet(long dst, long src, int type, byte[] payload, int... tags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(mac(dst));
        out.writeBytes(mac(src));
        for (int i = 0; i < tags.length; i += 2) {
            out.writeBytes(u16(tags[i]));
            out.writeBytes(u16(tags[i + 1]));
        }
        out.writeBytes(u16(type));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    public static byte[] udp(int sport, int dport, byte[] data) {
        return concat(u16(sport), u16(dport), u16(8 + data.length), u16(0), data);
    }

    /** TCP header with {@code optionWords} 32-bit words of NOP options. */
    public static byte[] tcp(int sport, int dport, int flags, int optionWords, byte[] data) {
        byte[] options = new byte[optionWords * 4];
        Arrays.fill(options, (byte) 1);
        int offset = 5 + optionWords;
        return concat(u16(sport), u16(dport), u32(0x01020304), u32(0x0a0b0c0d),
                u16((offset << 12) | (flags & 0xfff)), u16(0xffff), u16(0), u16(0), options, data);
    }

    public static byte[] sctp(int sport, int dport, byte[] chunks) {
        return concat(u16(sport), u16(dport), u32(0x11223344), u32(0), chunks);
    }

    public static byte[] icmp(int type, int code, byte[] body) {
        byte[] m = concat(new byte[] {(byte) type, (byte) code, 0, 0}, body);
        int c = ReferenceChecksums.checksum(m, 0, m.length);
        m[2] = (byte) (c >>> 8);
        m[3] = (byte) c;
        return m;
    }

    /**
     * IPv4 packet with a correct header checksum and, for TCP/UDP, a correct transport
     * checksum. {@code optionWords} 32-bit words of NOP options; {@code fragField} is the
     * flags/offset word.
     */
    public static byte[] ipv4Packet(byte[] src, byte[] dst, int proto, int tos, int ttl, int fragField,
                                    int optionWords, byte[] l4) {
        int ihl = 5 + optionWords;
        byte[] options = new byte[optionWords * 4];
        Arrays.fill(options, (byte) 1);
        byte[] p = concat(new byte[] {(byte) (0x40 | ihl), (byte) tos}, u16(ihl * 4 + l4.length), u16(0x1234),
                u16(fragField), new byte[] {(byte) ttl, (byte) proto}, u16(0), src, dst, options, l4);
        int c = ReferenceChecksums.checksum(p, 0, ihl * 4);
        p[10] = (byte) (c >>> 8);
        p[11] = (byte) c;
        if ((fragField & 0x1fff) == 0) { // a later fragment carries no transport header
            fillTransportChecksum(p, ihl * 4, proto, ReferenceChecksums.ipv4PseudoSum(p, 0, proto, l4.length), false);
        }
        return p;
    }

    /** IPv6 packet; {@code extensions} are already-encoded extension headers, the last one's next header being {@code proto}. */
    public static byte[] ipv6Packet(byte[] src, byte[] dst, int firstNext, int proto, int tclass, int label,
                                    int hopLimit, byte[] extensions, byte[] l4) {
        int vtf = (6 << 28) | ((tclass & 0xff) << 20) | (label & 0xfffff);
        byte[] p = concat(u32(vtf), u16(extensions.length + l4.length), new byte[] {(byte) firstNext, (byte) hopLimit},
                src, dst, extensions, l4);
        int l4Off = 40 + extensions.length;
        fillTransportChecksum(p, l4Off, proto, ReferenceChecksums.ipv6PseudoSum(p, 0, proto, l4.length), true);
        return p;
    }

    /** An 8-byte-unit extension header (hop-by-hop, routing, destination options) of {@code units8} * 8 bytes. */
    public static byte[] extension(int next, int units8) {
        byte[] h = new byte[units8 * 8];
        h[0] = (byte) next;
        h[1] = (byte) (units8 - 1);
        if (units8 * 8 > 2) {
            h[2] = 1; // PadN option covering the rest
            h[3] = (byte) (units8 * 8 - 4);
        }
        return h;
    }

    public static byte[] fragmentHeader(int next, int offset8, boolean more) {
        return concat(new byte[] {(byte) next, 0}, u16((offset8 << 3) | (more ? 1 : 0)), u32(0xcafe));
    }

    public static byte[] arp(int op, long sha, byte[] spa, long tha, byte[] tpa) {
        return concat(u16(1), u16(0x0800), new byte[] {6, 4}, u16(op), mac(sha), spa, mac(tha), tpa);
    }

    /** Neighbour solicitation (135) or advertisement (136) with link-layer options {@code (type, mac)} pairs. */
    public static byte[] nd(int type, byte[] target, long... options) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[4]);
        body.writeBytes(target);
        for (int i = 0; i < options.length; i += 2) {
            body.writeBytes(new byte[] {(byte) options[i], 1});
            body.writeBytes(mac(options[i + 1]));
        }
        return concat(new byte[] {(byte) type, 0, 0, 0}, body.toByteArray());
    }

    private static void fillTransportChecksum(byte[] p, int l4Off, int proto, int pseudo, boolean v6) {
        int field = switch (proto) {
            case 6 -> 16;
            case 17 -> 6;
            case 58 -> v6 ? 2 : -1;
            default -> -1;
        };
        int l4Len = p.length - l4Off;
        if (proto == 132 && l4Len >= 12) {
            int crc = ReferenceChecksums.sctp(p, l4Off, l4Len);
            p[l4Off + 8] = (byte) crc;
            p[l4Off + 9] = (byte) (crc >>> 8);
            p[l4Off + 10] = (byte) (crc >>> 16);
            p[l4Off + 11] = (byte) (crc >>> 24);
            return;
        }
        if (field < 0 || field + 2 > l4Len) {
            return;
        }
        int c = ReferenceChecksums.transport(p, l4Off, l4Len, field, pseudo);
        if (c == 0 && proto == 17) {
            c = 0xffff;
        }
        p[l4Off + field] = (byte) (c >>> 8);
        p[l4Off + field + 1] = (byte) c;
    }
}
