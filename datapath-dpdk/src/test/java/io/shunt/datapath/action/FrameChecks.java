package io.shunt.datapath.action;

import static org.junit.jupiter.api.Assertions.*;

import io.shunt.datapath.testing.ReferenceChecksums;

/** Verifies every checksum of a frame from scratch (test-side header walk, reference arithmetic). */
final class FrameChecks {
    private FrameChecks() {
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    /** Offset of the L3 header after the MACs and any VLAN tags. */
    static int l3(byte[] f) {
        int p = 12;
        while (u16(f, p) == 0x8100 || u16(f, p) == 0x88a8) {
            p += 4;
        }
        return p + 2;
    }

    static void assertChecksumsValid(byte[] f, String context) {
        int l3 = l3(f);
        int type = u16(f, l3 - 2);
        if (type == 0x0800) {
            int ihl = (f[l3] & 0xf) * 4;
            assertEquals(0xffff, ReferenceChecksums.sum(f, l3, ihl, 0), context + ": IPv4 header checksum");
            if ((u16(f, l3 + 6) & 0x1fff) != 0) {
                return;
            }
            int proto = f[l3 + 9] & 0xff;
            int l4 = l3 + ihl;
            int l4Len = u16(f, l3 + 2) - ihl;
            checkTransport(f, l4, l4Len, proto, ReferenceChecksums.ipv4PseudoSum(f, l3, proto, l4Len), false, context);
        } else if (type == 0x86dd) {
            int next = f[l3 + 6] & 0xff;
            int left = u16(f, l3 + 4);
            int q = l3 + 40;
            while (next == 0 || next == 43 || next == 60 || next == 44) {
                int len = next == 44 ? 8 : ((f[q + 1] & 0xff) + 1) * 8;
                if (next == 44 && (u16(f, q + 2) & 0xfff8) != 0) {
                    return;
                }
                next = f[q] & 0xff;
                q += len;
                left -= len;
            }
            checkTransport(f, q, left, next, ReferenceChecksums.ipv6PseudoSum(f, l3, next, left), true, context);
        }
    }

    private static void checkTransport(byte[] f, int l4, int len, int proto, int pseudo, boolean v6, String context) {
        switch (proto) {
            case 6 -> assertEquals(ReferenceChecksums.transport(f, l4, len, 16, pseudo), u16(f, l4 + 16),
                    context + ": TCP checksum");
            case 17 -> {
                int field = u16(f, l4 + 6);
                if (field == 0 && !v6) {
                    return; // no checksum
                }
                int expected = ReferenceChecksums.transport(f, l4, len, 6, pseudo);
                assertEquals(expected == 0 ? 0xffff : expected, field, context + ": UDP checksum");
            }
            case 58 -> assertEquals(ReferenceChecksums.transport(f, l4, len, 2, pseudo), u16(f, l4 + 2),
                    context + ": ICMPv6 checksum");
            case 132 -> assertEquals(ReferenceChecksums.sctp(f, l4, len), ReferenceChecksums.sctpField(f, l4),
                    context + ": SCTP CRC-32C");
            default -> {
            }
        }
    }
}
