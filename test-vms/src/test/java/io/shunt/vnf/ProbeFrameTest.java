package io.shunt.vnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProbeFrameTest {
    private static final byte[] MAC_A = {2, 0, 0, 0, 0, 1};
    private static final byte[] MAC_B = {2, 0, 0, 0, 0, 2};

    @Test
    void theTemplateIsAValidIpv4UdpFrame() {
        byte[] f = ProbeFrame.template(128, MAC_B, MAC_A, 0x0a000001, 0x0a000002, 1024, 5001);
        assertEquals(128, f.length);
        assertEquals(0x0800, u16(f, 12));
        assertEquals(128 - 14, u16(f, 16), "IPv4 total length");
        assertEquals(128 - 34, u16(f, 38), "UDP length");
        // The one's-complement sum over a header with a correct checksum is 0xffff (RFC 1071).
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += u16(f, i);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        assertEquals(0xffff, sum);
        assertEquals(ProbeFrame.MAGIC, u16(f, ProbeFrame.MAGIC_OFFSET));
    }

    @Test
    void theDefaultSixtyFourBytesHoldTheProbeExactly() {
        assertEquals(64, ProbeFrame.MIN_LENGTH);
        assertThrows(IllegalArgumentException.class,
                () -> ProbeFrame.template(63, MAC_B, MAC_A, 1, 2, 3, 4));
    }

    @Test
    void macToLongReadsSixBytesInWireOrder() {
        assertEquals(0x020000000001L, ProbeFrame.macToLong(MAC_A));
        assertEquals(ProbeFrame.MAC_MAX, ProbeFrame.macToLong(new byte[] {-1, -1, -1, -1, -1, -1}));
    }

    private static int u16(byte[] f, int at) {
        return ((f[at] & 0xff) << 8) | (f[at + 1] & 0xff);
    }
}
