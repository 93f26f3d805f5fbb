package io.shunt.vswitchd.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.shunt.datapath.pool.PacketBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Header-rewriting actions end to end: flows added with the real ovs-ofctl, shunt-vswitchd as
 * a process, and the test attached to two of its dpdkr ports through the real port regions
 * (as a VNF would). Each case sends one crafted frame into port 1 and compares the bytes
 * that come out of port 2 with the frame the action should produce, built independently
 * here (checksums from scratch, the SCTP CRC-32C with the JDK's {@link CRC32C}).
 */
@Timeout(180)
class SwitchHeaderEditTest {
    private static final byte[] MAC_A = HexFormat.of().parseHex("020000000001");
    private static final byte[] MAC_B = HexFormat.of().parseHex("020000000002");
    private static final byte[] IP_A = {10, 0, 0, 1};
    private static final byte[] IP_B = {10, 0, 0, 2};
    private static final byte[] V6_A = HexFormat.of().parseHex("20010db8000000000000000000000001");
    private static final byte[] V6_B = HexFormat.of().parseHex("20010db8000000000000000000000002");
    private static final byte[] V6_X = HexFormat.of().parseHex("20010db8000000000000000000000099");
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int SCTP = 132;

    private SwitchHarness sw;
    private TestVnf.Port in;
    private TestVnf.Port out;

    @BeforeEach
    void start() throws Exception {
        sw = new SwitchHarness();
        sw.startDaemon();
        sw.setFailMode("secure");
        assertEquals(1, sw.addPort("a"));
        assertEquals(2, sw.addPort("b"));
        in = TestVnf.Port.attach(sw.regionDir, "a");
        out = TestVnf.Port.attach(sw.regionDir, "b");
    }

    @AfterEach
    void stop() throws Exception {
        sw.close();
    }

    @Test
    void pushMplsPutsTheLabelStackEntryAfterTheVlanTagWithTheIpTtl() throws Exception {
        sw.ofctl("add-flow", "in_port=1,ip,actions=push_mpls:0x8847,set_field:1234->mpls_label,set_field:5->mpls_tc,"
                + "output:2");
        byte[] ip = ipv4(IP_A, IP_B, UDP, 37, udp(1000, 2000, new byte[10]));
        byte[] sent = ethernet(0x0800, ip, 100);
        // label 1234, TC 5, bottom of stack, TTL copied from the IPv4 header (OF1.3 5.12.1)
        int lse = 1234 << 12 | 5 << 9 | 1 << 8 | 37;
        assertEquals(hex(ethernet(0x8847, concat(u32(lse), ip), 100)), hex(roundTrip(sent)));
        assertNoUnsupportedDrops(1);
    }

    @Test
    void popMplsRestoresTheIpPacketAndASecondPushCopiesTheTopEntry() throws Exception {
        byte[] ip = ipv4(IP_A, IP_B, UDP, 64, udp(1000, 2000, new byte[6]));
        int bottom = 77 << 12 | 1 << 8 | 9;
        int top = 88 << 12 | 3 << 9 | 20;
        sw.ofctl("add-flow", "in_port=1,mpls,mpls_bos=0,actions=pop_mpls:0x8847,dec_mpls_ttl,output:2");
        sw.ofctl("add-flow", "in_port=1,mpls,mpls_bos=1,actions=pop_mpls:0x0800,output:2");
        sw.ofctl("add-flow", "in_port=1,ip,actions=push_mpls:0x8847,push_mpls:0x8847,output:2");
        // two entries: the top one goes, the bottom one's TTL drops by one
        assertEquals(hex(ethernet(0x8847, concat(u32(bottom - 1), ip))),
                hex(roundTrip(ethernet(0x8847, concat(u32(top), u32(bottom), ip)))));
        // one entry: the IP packet is back under its EtherType, unchanged
        assertEquals(hex(ethernet(0x0800, ip)),
                hex(roundTrip(ethernet(0x8847, concat(u32(bottom), ip)))));
        // the second push copies the first entry with BoS 0 (label 0, TC 0, TTL 64 from the IP header)
        assertEquals(hex(ethernet(0x8847, concat(u32(64), u32(1 << 8 | 64), ip))), hex(roundTrip(ethernet(0x0800, ip))));
        assertNoUnsupportedDrops(3);
    }

    @Test
    void ipv6AddressAndTcpPortSetFieldKeepTheTcpChecksumRight() throws Exception {
        sw.ofctl("add-flow", "in_port=1,tcp6,actions=set_field:2001:db8::99->ipv6_dst,set_field:8080->tcp_dst,"
                + "set_field:12345->ipv6_label,dec_ttl,output:2");
        byte[] sent = ethernet(0x86dd, ipv6(V6_A, V6_B, 0, 64, TCP, tcp(40000, 80, new byte[12])));
        byte[] expected = ethernet(0x86dd, ipv6(V6_A, V6_X, 12345, 63, TCP, tcp(40000, 8080, new byte[12])));
        assertEquals(hex(expected), hex(roundTrip(sent)));
        assertNoUnsupportedDrops(1);
    }

    @Test
    void udpAndSctpPortSetFieldUpdateTheUdpChecksumAndRecomputeTheSctpCrc() throws Exception {
        sw.ofctl("add-flow", "in_port=1,udp,actions=set_field:5353->udp_src,output:2");
        sw.ofctl("add-flow", "in_port=1,sctp6,actions=set_field:9->sctp_dst,output:2");
        sw.ofctl("add-flow", "in_port=1,tcp,actions=set_field:443->tcp_src,output:2");
        assertEquals(hex(ethernet(0x0800, ipv4(IP_A, IP_B, UDP, 64, udp(5353, 53, new byte[20])))),
                hex(roundTrip(ethernet(0x0800, ipv4(IP_A, IP_B, UDP, 64, udp(1111, 53, new byte[20]))))));
        byte[] chunk = {1, 0, 0, 8, 1, 2, 3, 4};
        assertEquals(hex(ethernet(0x86dd, ipv6(V6_A, V6_B, 0, 64, SCTP, sctp(7, 9, chunk)))),
                hex(roundTrip(ethernet(0x86dd, ipv6(V6_A, V6_B, 0, 64, SCTP, sctp(7, 8, chunk))))));
        assertEquals(hex(ethernet(0x0800, ipv4(IP_A, IP_B, TCP, 64, tcp(443, 80, new byte[4])))),
                hex(roundTrip(ethernet(0x0800, ipv4(IP_A, IP_B, TCP, 64, tcp(5000, 80, new byte[4]))))));
        assertNoUnsupportedDrops(3);
    }

    /** Sends one frame into port 1 and returns the one frame port 2 delivers. */
    private byte[] roundTrip(byte[] frame) throws Exception {
        int[] idx = new int[1];
        assertEquals(1, in.pool().allocBurst(idx, 0, 1), "a buffer from the pool");
        PacketBuffer b = in.pool().newBufferView().wrapNew(idx[0]);
        b.putBytes(0, frame, 0, frame.length);
        b.length(frame.length);
        assertEquals(1, in.tx().enqueueBurst(idx, 0, 1));
        List<byte[]> got = new ArrayList<>();
        SwitchHarness.await("the frame on port 2", 30_000, () -> {
            int n = out.rx().dequeueBurst(idx, 0, 1);
            if (n == 1) {
                PacketBuffer r = out.pool().newBufferView().wrap(idx[0]);
                byte[] bytes = new byte[r.length()];
                r.getBytes(0, bytes, 0, bytes.length);
                out.pool().freeBurst(idx, 0, 1);
                got.add(bytes);
            }
            return n == 1;
        });
        return got.getFirst();
    }

    private void assertNoUnsupportedDrops(long flows) throws Exception {
        JsonNode pmd = sw.rpc("pmd-stats", SwitchHarness.JSON.createObjectNode()).get(0);
        assertEquals(0, pmd.get("drops").path("unsupported").asLong(), pmd.toString());
        assertEquals(0, pmd.get("drops").path("edit_failed").asLong(), pmd.toString());
        String flowsDump = sw.ofctl("dump-flows");
        assertEquals(flows, flowsDump.lines().filter(l -> l.contains("n_packets=1,")).count(), flowsDump);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    /** An Ethernet frame; {@code vid}: one 802.1Q tag with that VID. */
    private static byte[] ethernet(int type, byte[] payload, int... vid) {
        byte[] tag = vid.length == 0 ? new byte[0] : ByteBuffer.allocate(4).putShort((short) 0x8100)
                .putShort((short) vid[0]).array();
        return concat(MAC_B, MAC_A, tag, ByteBuffer.allocate(2).putShort((short) type).array(), payload);
    }

    private static byte[] ipv4(byte[] src, byte[] dst, int proto, int ttl, byte[] l4) {
        ByteBuffer h = ByteBuffer.allocate(20).put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length))
                .putInt(0).put((byte) ttl).put((byte) proto).putShort((short) 0).put(src).put(dst);
        byte[] header = h.array();
        ByteBuffer.wrap(header).putShort(10, (short) ~sum(header, 0));
        byte[] pseudo = concat(src, dst, new byte[] {0, (byte) proto}, u16(l4.length));
        return concat(header, withChecksum(l4, proto, pseudo));
    }

    private static byte[] ipv6(byte[] src, byte[] dst, int flowLabel, int hopLimit, int proto, byte[] l4) {
        byte[] header = ByteBuffer.allocate(40).putInt(0x6000_0000 | flowLabel).putShort((short) l4.length)
                .put((byte) proto).put((byte) hopLimit).put(src).put(dst).array();
        byte[] pseudo = concat(src, dst, u32(l4.length), u32(proto));
        return concat(header, withChecksum(l4, proto, pseudo));
    }

    private static byte[] udp(int sport, int dport, byte[] data) {
        return concat(u16(sport), u16(dport), u16(8 + data.length), u16(0), data);
    }

    private static byte[] tcp(int sport, int dport, byte[] data) {
        return concat(u16(sport), u16(dport), u32(1), u32(0), new byte[] {0x50, 0x18}, u16(512), u16(0), u16(0), data);
    }

    private static byte[] sctp(int sport, int dport, byte[] chunks) {
        return concat(u16(sport), u16(dport), u32(0x01020304), u32(0), chunks);
    }

    private static byte[] withChecksum(byte[] l4, int proto, byte[] pseudo) {
        byte[] p = l4.clone();
        ByteBuffer b = ByteBuffer.wrap(p);
        switch (proto) {
            case TCP, UDP -> {
                int field = proto == TCP ? 16 : 6;
                // folded once more: the two partial sums may carry
                int c = ~fold(sum(pseudo, 0) + sum(p, 0)) & 0xffff;
                b.putShort(field, (short) (proto == UDP && c == 0 ? 0xffff : c));
            }
            case SCTP -> {
                CRC32C crc = new CRC32C();
                crc.update(p);
                // RFC 9260 appendix A: the CRC is stored least significant byte first
                b.putInt(8, Integer.reverseBytes((int) crc.getValue()));
            }
            default -> throw new IllegalArgumentException("protocol " + proto);
        }
        return p;
    }

    /** The folded 16-bit ones' complement sum of {@code b}. */
    private static int sum(byte[] b, int initial) {
        long s = initial;
        for (int i = 0; i < b.length; i += 2) {
            s += (b[i] & 0xff) << 8 | (i + 1 < b.length ? b[i + 1] & 0xff : 0);
        }
        return fold(s);
    }

    private static int fold(long s) {
        while (s >>> 16 != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    private static byte[] u16(int v) {
        return ByteBuffer.allocate(2).putShort((short) v).array();
    }
}
