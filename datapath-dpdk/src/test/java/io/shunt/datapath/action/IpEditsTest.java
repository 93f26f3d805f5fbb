package io.shunt.datapath.action;

import static io.shunt.datapath.testing.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import io.shunt.datapath.flow.EtherType;
import io.shunt.datapath.flow.FlowKey;
import io.shunt.datapath.flow.IpProto;
import io.shunt.datapath.flow.PacketParser;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IpEditsTest {
    private static final byte[] IP_A = ipv4(10, 0, 0, 1);
    private static final byte[] IP_B = ipv4(10, 0, 0, 2);
    private static final byte[] V6_A = ipv6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1);
    private static final byte[] V6_B = ipv6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2);

    static byte[] tcp4(int tags) {
        byte[] ip = ipv4Packet(IP_A, IP_B, IpProto.TCP, 0x2a, 64, 0, 1, tcp(1234, 80, 0x18, 1, new byte[] {1, 2, 3}));
        return tags == 0 ? ethernet(MAC_B, MAC_A, EtherType.IPV4, ip)
                : ethernet(MAC_B, MAC_A, EtherType.IPV4, ip, EtherType.VLAN_8021Q, 10);
    }

    static byte[] udp4() {
        return ethernet(MAC_B, MAC_A, EtherType.IPV4,
                ipv4Packet(IP_A, IP_B, IpProto.UDP, 0, 64, 0, 0, udp(5000, 53, new byte[] {9, 8, 7, 6, 5})));
    }

    static byte[] sctp4() {
        return ethernet(MAC_B, MAC_A, EtherType.IPV4,
                ipv4Packet(IP_A, IP_B, IpProto.SCTP, 0, 64, 0, 0, sctp(2905, 2906, new byte[] {1, 0, 0, 8, 1, 2, 3, 4})));
    }

    static byte[] l4v6(int proto, byte[] l4) {
        byte[] ext = concat(extension(IpProto.DSTOPTS, 1), extension(proto, 2));
        return ethernet(MAC_B, MAC_A, EtherType.IPV6,
                ipv6Packet(V6_A, V6_B, IpProto.HOPOPTS, proto, 0x12, 0x54321, 64, ext, l4), EtherType.VLAN_8021AD, 5);
    }

    private static FlowKey parse(TestBuffer b) {
        FlowKey k = new FlowKey();
        PacketParser.parse(b.segment, b.frame.offset(), b.frame.length(), 1, k);
        return k;
    }

    @Test
    void ipv4AddressChangesKeepIpTcpAndUdpChecksumsRight() {
        SplittableRandom r = new SplittableRandom(3);
        for (byte[] frame : new byte[][] {tcp4(0), tcp4(1), udp4()}) {
            try (TestBuffer b = new TestBuffer(frame, 8, 8)) {
                for (int i = 0; i < 500; i++) {
                    int src = r.nextInt();
                    int dst = r.nextInt();
                    assertEquals(EditStatus.OK, Ipv4Edits.setSource(b.frame, src));
                    assertEquals(EditStatus.OK, Ipv4Edits.setDestination(b.frame, dst));
                    FrameChecks.assertChecksumsValid(b.bytes(), "after nw_src=" + src + " nw_dst=" + dst);
                    FlowKey k = parse(b);
                    assertEquals(src, k.nwSrc());
                    assertEquals(dst, k.nwDst());
                }
                b.assertGuardsIntact("ipv4 addresses");
            }
        }
    }

    @Test
    void aUdpDatagramWithoutChecksumKeepsNone() {
        byte[] frame = udp4();
        int l4 = FrameChecks.l3(frame) + 20;
        frame[l4 + 6] = frame[l4 + 7] = 0;
        try (TestBuffer b = new TestBuffer(frame, 0, 0)) {
            assertEquals(EditStatus.OK, Ipv4Edits.setSource(b.frame, 0x01020304));
            assertEquals(EditStatus.OK, TransportEdits.setDestinationPort(b.frame, 5353));
            byte[] out = b.bytes();
            assertEquals(0, FrameChecks.u16(out, l4 + 6), "RFC 768: zero means no checksum");
            FrameChecks.assertChecksumsValid(out, "udp without checksum");
        }
    }

    @Test
    void tosAndTtlEditsKeepTheHeaderChecksum() {
        try (TestBuffer b = new TestBuffer(tcp4(1), 0, 0)) {
            assertEquals(EditStatus.OK, Ipv4Edits.setDscp(b.frame, 46));
            FlowKey k = parse(b);
            assertEquals(46 << 2 | (0x2a & 3), k.nwTos(), "DSCP set, ECN kept");
            assertEquals(EditStatus.OK, Ipv4Edits.setEcn(b.frame, 3));
            assertEquals(46 << 2 | 3, parse(b).nwTos(), "ECN set, DSCP kept");
            assertEquals(EditStatus.OK, Ipv4Edits.setTtl(b.frame, 3));
            assertEquals(3, parse(b).nwTtl());
            FrameChecks.assertChecksumsValid(b.bytes(), "tos and ttl");
            assertEquals(EditStatus.OK, Ipv4Edits.decrementTtl(b.frame));
            assertEquals(EditStatus.OK, Ipv4Edits.decrementTtl(b.frame));
            assertEquals(1, parse(b).nwTtl());
            FrameChecks.assertChecksumsValid(b.bytes(), "decremented ttl");
            byte[] before = b.bytes();
            assertEquals(EditStatus.TTL_EXPIRED, Ipv4Edits.decrementTtl(b.frame));
            assertArrayEquals(before, b.bytes(), "an expired TTL leaves the packet as it was");
        }
    }

    @Test
    void aLaterFragmentGetsNewAddressesButItsPayloadIsUntouched() {
        byte[] payload = new byte[24];
        Arrays.fill(payload, (byte) 0x77);
        byte[] frame = ethernet(MAC_B, MAC_A, EtherType.IPV4, ipv4Packet(IP_A, IP_B, IpProto.TCP, 0, 64, 100, 0, payload));
        try (TestBuffer b = new TestBuffer(frame, 0, 0)) {
            assertEquals(EditStatus.OK, Ipv4Edits.setDestination(b.frame, 0x0a0000fe));
            byte[] out = b.bytes();
            FrameChecks.assertChecksumsValid(out, "later fragment");
            assertArrayEquals(payload, Arrays.copyOfRange(out, out.length - 24, out.length));
            assertEquals(EditStatus.NOT_APPLICABLE, TransportEdits.setDestinationPort(b.frame, 1));
        }
    }

    @Test
    void ipEditsOnAnArpFrameAreNotApplicableAndChangeNothing() {
        byte[] frame = ethernet(MAC_B, MAC_A, EtherType.ARP, arp(1, MAC_A, IP_A, 0, IP_B));
        try (TestBuffer b = new TestBuffer(frame, 4, 4)) {
            assertEquals(EditStatus.NOT_APPLICABLE, Ipv4Edits.setSource(b.frame, 1));
            assertEquals(EditStatus.NOT_APPLICABLE, Ipv6Edits.setHopLimit(b.frame, 1));
            assertEquals(EditStatus.NOT_APPLICABLE, TransportEdits.setSourcePort(b.frame, 1));
            assertArrayEquals(frame, b.bytes());
        }
    }

    @Test
    void ipv6AddressChangesKeepTcpUdpAndIcmpv6ChecksumsRightThroughExtensionHeaders() {
        SplittableRandom r = new SplittableRandom(5);
        byte[][] frames = {
                l4v6(IpProto.TCP, tcp(1, 2, 0x02, 0, new byte[7])),
                l4v6(IpProto.UDP, udp(3, 4, new byte[3])),
                l4v6(IpProto.ICMPV6, icmp(128, 0, new byte[6])),
        };
        for (byte[] frame : frames) {
            try (TestBuffer b = new TestBuffer(frame, 0, 0)) {
                for (int i = 0; i < 300; i++) {
                    long sh = r.nextLong(), sl = r.nextLong(), dh = r.nextLong(), dl = r.nextLong();
                    assertEquals(EditStatus.OK, Ipv6Edits.setSource(b.frame, sh, sl));
                    assertEquals(EditStatus.OK, Ipv6Edits.setDestination(b.frame, dh, dl));
                    FrameChecks.assertChecksumsValid(b.bytes(), "ipv6 addresses, round " + i);
                    FlowKey k = parse(b);
                    assertEquals(sh, k.ipv6SrcHi());
                    assertEquals(sl, k.ipv6SrcLo());
                    assertEquals(dh, k.ipv6DstHi());
                    assertEquals(dl, k.ipv6DstLo());
                }
            }
        }
    }

    @Test
    void ipv6ClassLabelAndHopLimitEdits() {
        try (TestBuffer b = new TestBuffer(l4v6(IpProto.UDP, udp(3, 4, new byte[3])), 0, 0)) {
            assertEquals(EditStatus.OK, Ipv6Edits.setTrafficClass(b.frame, 0xb8));
            assertEquals(EditStatus.OK, Ipv6Edits.setFlowLabel(b.frame, 0xfedcb));
            assertEquals(EditStatus.OK, Ipv6Edits.setHopLimit(b.frame, 2));
            FlowKey k = parse(b);
            assertEquals(0xb8, k.nwTos());
            assertEquals(0xfedcb, k.ipv6Label());
            assertEquals(2, k.nwTtl());
            assertEquals(EditStatus.OK, Ipv6Edits.decrementHopLimit(b.frame));
            assertEquals(EditStatus.TTL_EXPIRED, Ipv6Edits.decrementHopLimit(b.frame));
            assertEquals(1, parse(b).nwTtl());
            FrameChecks.assertChecksumsValid(b.bytes(), "class/label/hop limit");
        }
    }

    @Test
    void portEditsKeepTcpUdpChecksumsAndRecomputeSctpCrc() {
        SplittableRandom r = new SplittableRandom(9);
        byte[][] frames = {tcp4(0), udp4(), sctp4(), l4v6(IpProto.TCP, tcp(1, 2, 0x02, 0, new byte[7])),
                l4v6(IpProto.UDP, udp(3, 4, new byte[3])), l4v6(IpProto.SCTP, sctp(7, 8, new byte[12]))};
        for (byte[] frame : frames) {
            try (TestBuffer b = new TestBuffer(frame, 0, 0)) {
                for (int i = 0; i < 200; i++) {
                    int sp = r.nextInt(65536);
                    int dp = r.nextInt(65536);
                    assertEquals(EditStatus.OK, TransportEdits.setSourcePort(b.frame, sp));
                    assertEquals(EditStatus.OK, TransportEdits.setDestinationPort(b.frame, dp));
                    FrameChecks.assertChecksumsValid(b.bytes(), "ports " + sp + " " + dp);
                    FlowKey k = parse(b);
                    assertEquals(sp, k.tpSrc());
                    assertEquals(dp, k.tpDst());
                }
            }
        }
    }

    @Test
    void icmpHasNoPortsToSet() {
        byte[] frame = ethernet(MAC_B, MAC_A, EtherType.IPV4,
                ipv4Packet(IP_A, IP_B, IpProto.ICMP, 0, 64, 0, 0, icmp(8, 0, new byte[4])));
        try (TestBuffer b = new TestBuffer(frame, 0, 0)) {
            assertEquals(EditStatus.NOT_APPLICABLE, TransportEdits.setSourcePort(b.frame, 1));
            assertArrayEquals(frame, b.bytes());
        }
    }
}
