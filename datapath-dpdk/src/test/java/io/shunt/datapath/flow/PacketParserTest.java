package io.shunt.datapath.flow;

import static io.shunt.datapath.testing.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PacketParserTest {
    private static final byte[] IP_A = ipv4(10, 0, 0, 1);
    private static final byte[] IP_B = ipv4(192, 168, 1, 200);
    private static final byte[] V6_A = ipv6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1);
    private static final byte[] V6_B = ipv6(0xfe80, 0, 0, 0, 0x0200, 0xff, 0xfe00, 0x0b);

    /** Parses {@code frame[0, length)} placed at the very end of a native segment, after 7 bytes of headroom. */
    static FlowKey parse(byte[] frame, int length, int inPort) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(7 + length);
            MemorySegment.copy(MemorySegment.ofArray(frame), 0, seg, 7, length);
            FlowKey key = new FlowKey();
            PacketParser.parse(seg, 7, length, inPort, key);
            return key;
        }
    }

    static FlowKey parse(byte[] frame) {
        return parse(frame, frame.length, 1);
    }

    static byte[] udpFrame() {
        return ethernet(MAC_B, MAC_A, EtherType.IPV4,
                ipv4Packet(IP_A, IP_B, IpProto.UDP, 0xb9, 64, 0, 0, udp(5000, 53, new byte[] {1, 2, 3, 4})));
    }

    @Test
    void udpOverIpv4FillsL2ToL4() {
        FlowKey k = parse(udpFrame(), udpFrame().length, 7);
        assertEquals(7, k.inPort());
        assertEquals(0, k.status());
        assertEquals(MAC_B, k.dlDst());
        assertEquals(MAC_A, k.dlSrc());
        assertEquals(EtherType.IPV4, k.dlType());
        assertEquals(0, k.vlanTci());
        assertEquals(ipv4Int(IP_A), k.nwSrc());
        assertEquals(ipv4Int(IP_B), k.nwDst());
        assertEquals(IpProto.UDP, k.nwProto());
        assertEquals(0xb9, k.nwTos());
        assertEquals(64, k.nwTtl());
        assertEquals(0, k.nwFrag());
        assertEquals(5000, k.tpSrc());
        assertEquals(53, k.tpDst());
        assertEquals("udp,in_port=7,vlan_tci=0x0000,dl_src=02:00:00:00:00:0a,dl_dst=02:00:00:00:00:0b,"
                + "nw_src=10.0.0.1,nw_dst=192.168.1.200,nw_tos=184,nw_ecn=1,nw_ttl=64,nw_frag=no,tp_src=5000,tp_dst=53",
                k.toString());
    }

    @Test
    void ethernetPaddingAfterTheIpPacketIsIgnored() {
        byte[] padded = java.util.Arrays.copyOf(udpFrame(), 64);
        FlowKey k = parse(padded);
        assertEquals(0, k.status());
        assertEquals(53, k.tpDst());
    }

    @Test
    void tcpWithOptionsGivesPortsAndFlags() {
        byte[] f = ethernet(MAC_B, MAC_A, EtherType.IPV4,
                ipv4Packet(IP_A, IP_B, IpProto.TCP, 0, 3, 0, 2, tcp(40000, 80, 0x012, 3, new byte[0])));
        FlowKey k = parse(f);
        assertEquals(0, k.status());
        assertEquals(IpProto.TCP, k.nwProto());
        assertEquals(40000, k.tpSrc());
        assertEquals(80, k.tpDst());
        assertEquals(0x012, k.tcpFlags());
        assertEquals(3, k.nwTtl());
    }

    @Test
    void tcpDataOffsetBeyondThePacketIsTruncatedL4() {
        byte[] l4 = tcp(1, 2, 0x002, 0, new byte[0]);
        l4[12] = (byte) 0xf0; // data offset 15 words = 60 bytes, the segment has 20
        FlowKey k = parse(ethernet(MAC_B, MAC_A, EtherType.IPV4, ipv4Packet(IP_A, IP_B, IpProto.TCP, 0, 64, 0, 0, l4)));
        assertEquals(FlowKey.L4_TRUNCATED, k.status());
        assertEquals(0, k.tpSrc());
        assertEquals(ipv4Int(IP_A), k.nwSrc());
    }

    @Test
    void ieee8021qTagSetsVlanTciWithPresentBit() {
        byte[] f = ethernet(MAC_B, MAC_A, EtherType.IPV4,
                ipv4Packet(IP_A, IP_B, IpProto.UDP, 0, 64, 0, 0, udp(1, 2, new byte[0])),
                EtherType.VLAN_8021Q, (5 << 13) | 100);
        FlowKey k = parse(f);
        assertEquals(0, k.status());
        assertEquals((5 << 13) | FlowKeyLayout.VLAN_PRESENT | 100, k.vlanTci());
        assertEquals(EtherType.VLAN_8021Q, k.vlanTpid());
        assertEquals(100, k.get(FlowField.DL_VLAN));
        assertEquals(5, k.get(FlowField.DL_VLAN_PCP));
        assertEquals(EtherType.IPV4, k.dlType());
        assertEquals(2, k.tpDst());
    }

    @Test
    void qinqKeepsOuterAndInnerTags() {
        byte[] f = ethernet(MAC_B, MAC_A, EtherType.ARP, arp(1, MAC_A, IP_A, 0, IP_B),
                EtherType.VLAN_8021AD, 300, EtherType.VLAN_8021Q, 42);
        FlowKey k = parse(f);
        assertEquals(0, k.status());
        assertEquals(EtherType.VLAN_8021AD, k.vlanTpid());
        assertEquals(FlowKeyLayout.VLAN_PRESENT | 300, k.vlanTci());
        assertEquals(EtherType.VLAN_8021Q, k.vlanTpid2());
        assertEquals(FlowKeyLayout.VLAN_PRESENT | 42, k.vlanTci2());
        assertEquals(EtherType.ARP, k.dlType());
        assertEquals(1, k.nwProto());
    }

    @Test
    void aThirdVlanTagIsLeftAsTheDlType() {
        byte[] f = ethernet(MAC_B, MAC_A, EtherType.IPV4, new byte[20],
                EtherType.VLAN_8021AD, 1, EtherType.VLAN_8021Q, 2, EtherType.VLAN_8021Q, 3);
        FlowKey k = parse(f);
        assertEquals(EtherType.VLAN_8021Q, k.dlType());
        assertEquals(0, k.nwProto());
    }

    @Test
    void llcSnapFrameCarriesItsEtherType() {
        byte[] llcSnap = concat(new byte[] {(byte) 0xaa, (byte) 0xaa, 0x03, 0, 0, 0}, u16(EtherType.IPV4),
                ipv4Packet(IP_A, IP_B, IpProto.UDP, 0, 64, 0, 0, udp(7, 9, new byte[0])));
        byte[] f = ethernet(MAC_B, MAC_A, llcSnap.length, llcSnap);
        FlowKey k = parse(f);
        assertEquals(EtherType.IPV4, k.dlType());
        assertEquals(9, k.tpDst());
    }

    @Test
    void plainLlcFrameIsDlTypeNone() {
        byte[] llc = {0x42, 0x42, 0x03, 0, 0, 0, 0, 0, 0, 0};
        FlowKey k = parse(ethernet(MAC_B, MAC_A, llc.length, llc));
        assertEquals(0, k.status());
        assertEquals(EtherType.NONE, k.dlType());
        assertEquals(MAC_A, k.dlSrc());
    }

    @Test
    void mplsGivesTheTopLabelStackEntry() {
        int top = (1000 << 12) | (5 << 9) | 0 << 8 | 33;
        int bottom = (16 << 12) | (1 << 8) | 64;
        FlowKey k = parse(ethernet(MAC_B, MAC_A, EtherType.MPLS_UNICAST, concat(u32(top), u32(bottom), new byte[20])));
        assertEquals(0, k.status());
        assertEquals(1000, k.get(FlowField.MPLS_LABEL));
        assertEquals(5, k.get(FlowField.MPLS_TC));
        assertEquals(0, k.get(FlowField.MPLS_BOS));
        assertEquals(33, k.get(FlowField.MPLS_TTL));
        assertTrue(k.toString().startsWith("mpls,"), k.toString());
    }

    @Test
    void arpGivesOpcodeAndAddresses() {
        FlowKey k = parse(ethernet(-1L & 0xffffffffffffL, MAC_A, EtherType.ARP, arp(2, MAC_A, IP_A, MAC_B, IP_B)));
        assertEquals(0, k.status());
        assertEquals(2, k.nwProto());
        assertEquals(ipv4Int(IP_A), k.nwSrc());
        assertEquals(ipv4Int(IP_B), k.nwDst());
        assertEquals(MAC_A, k.arpSha());
        assertEquals(MAC_B, k.arpTha());
        assertEquals("arp,in_port=1,vlan_tci=0x0000,dl_src=02:00:00:00:00:0a,dl_dst=ff:ff:ff:ff:ff:ff,"
                + "arp_spa=10.0.0.1,arp_tpa=192.168.1.200,arp_op=2,arp_sha=02:00:00:00:00:0a,arp_tha=02:00:00:00:00:0b", k.toString());
    }

    @Test
    void ipv4FirstFragmentHasPortsLaterFragmentHasNot() {
        byte[] first = ethernet(MAC_B, MAC_A, EtherType.IPV4,
                ipv4Packet(IP_A, IP_B, IpProto.UDP, 0, 64, 0x2000, 0, udp(1111, 2222, new byte[8])));
        FlowKey k1 = parse(first);
        assertEquals(FlowKeyLayout.FRAG_ANY, k1.nwFrag());
        assertEquals(2222, k1.tpDst());

        byte[] later = ethernet(MAC_B, MAC_A, EtherType.IPV4,
                ipv4Packet(IP_A, IP_B, IpProto.UDP, 0, 64, 185, 0, udp(1111, 2222, new byte[8])));
        FlowKey k2 = parse(later);
        assertEquals(0, k2.status());
        assertEquals(FlowKeyLayout.FRAG_ANY | FlowKeyLayout.FRAG_LATER, k2.nwFrag());
        assertEquals(IpProto.UDP, k2.nwProto());
        assertEquals(0, k2.tpSrc());
        assertEquals(0, k2.tpDst());
        assertTrue(k2.toString().contains("nw_frag=later"), k2.toString());
    }

    @Test
    void ipv4WithBadVersionOrLengthsIsTruncatedL3() {
        byte[] p = ipv4Packet(IP_A, IP_B, IpProto.UDP, 0, 64, 0, 0, udp(1, 2, new byte[0]));
        byte[] badVersion = p.clone();
        badVersion[0] = 0x65;
        assertEquals(FlowKey.L3_TRUNCATED, parse(ethernet(MAC_B, MAC_A, EtherType.IPV4, badVersion)).status());
        byte[] totalTooLong = p.clone();
        totalTooLong[3] = (byte) (p.length + 1);
        FlowKey k = parse(ethernet(MAC_B, MAC_A, EtherType.IPV4, totalTooLong));
        assertEquals(FlowKey.L3_TRUNCATED, k.status());
        assertEquals(0, k.nwSrc());
        byte[] ihlTooSmall = p.clone();
        ihlTooSmall[0] = 0x44;
        assertEquals(FlowKey.L3_TRUNCATED, parse(ethernet(MAC_B, MAC_A, EtherType.IPV4, ihlTooSmall)).status());
    }

    @Test
    void ipv6WalksExtensionHeadersToTheTransport() {
        byte[] ext = concat(extension(IpProto.ROUTING, 1), extension(IpProto.DSTOPTS, 2), extension(IpProto.TCP, 1));
        byte[] f = ethernet(MAC_B, MAC_A, EtherType.IPV6, ipv6Packet(V6_A, V6_B, IpProto.HOPOPTS, IpProto.TCP,
                0x2e, 0xabcde, 17, ext, tcp(443, 51000, 0x018, 0, new byte[3])));
        FlowKey k = parse(f);
        assertEquals(0, k.status());
        assertEquals(EtherType.IPV6, k.dlType());
        assertEquals(high(V6_A), k.ipv6SrcHi());
        assertEquals(low(V6_A), k.ipv6SrcLo());
        assertEquals(high(V6_B), k.ipv6DstHi());
        assertEquals(low(V6_B), k.ipv6DstLo());
        assertEquals(IpProto.TCP, k.nwProto());
        assertEquals(0x2e, k.nwTos());
        assertEquals(17, k.nwTtl());
        assertEquals(0xabcde, k.ipv6Label());
        assertEquals(443, k.tpSrc());
        assertEquals(51000, k.tpDst());
        assertEquals(0x018, k.tcpFlags());
        assertEquals("tcp6,in_port=1,vlan_tci=0x0000,dl_src=02:00:00:00:00:0a,dl_dst=02:00:00:00:00:0b,"
                + "ipv6_src=2001:db8::1,ipv6_dst=fe80::200:ff:fe00:b,ipv6_label=0xabcde,nw_tos=44,nw_ecn=2,nw_ttl=17,"
                + "nw_frag=no,tp_src=443,tp_dst=51000,tcp_flags=psh|ack", k.toString());
    }

    @Test
    void ipv6FragmentHeaderSetsNwFragAndStopsAtLaterFragments() {
        byte[] first = ethernet(MAC_B, MAC_A, EtherType.IPV6, ipv6Packet(V6_A, V6_B, IpProto.FRAGMENT, IpProto.UDP,
                0, 0, 64, fragmentHeader(IpProto.UDP, 0, true), udp(9, 10, new byte[16])));
        FlowKey k1 = parse(first);
        assertEquals(FlowKeyLayout.FRAG_ANY, k1.nwFrag());
        assertEquals(IpProto.UDP, k1.nwProto());
        assertEquals(10, k1.tpDst());

        byte[] later = ethernet(MAC_B, MAC_A, EtherType.IPV6, ipv6Packet(V6_A, V6_B, IpProto.FRAGMENT, IpProto.UDP,
                0, 0, 64, fragmentHeader(IpProto.UDP, 3, false), new byte[24]));
        FlowKey k2 = parse(later);
        assertEquals(0, k2.status());
        assertEquals(FlowKeyLayout.FRAG_ANY | FlowKeyLayout.FRAG_LATER, k2.nwFrag());
        assertEquals(IpProto.UDP, k2.nwProto());
        assertEquals(0, k2.tpDst());
    }

    @Test
    void ipv6ExtensionHeaderLongerThanThePayloadIsTruncatedL3() {
        byte[] ext = extension(IpProto.UDP, 1);
        ext[1] = 9; // claims 80 bytes
        byte[] f = ethernet(MAC_B, MAC_A, EtherType.IPV6,
                ipv6Packet(V6_A, V6_B, IpProto.DSTOPTS, IpProto.UDP, 0, 0, 64, ext, udp(1, 2, new byte[0])));
        FlowKey k = parse(f);
        assertEquals(FlowKey.L3_TRUNCATED, k.status());
        assertEquals(0, k.tpDst());
        assertEquals(high(V6_A), k.ipv6SrcHi());
    }

    @Test
    void sctpGivesPorts() {
        FlowKey k = parse(ethernet(MAC_B, MAC_A, EtherType.IPV4,
                ipv4Packet(IP_A, IP_B, IpProto.SCTP, 0, 64, 0, 0, sctp(2905, 2906, new byte[16]))));
        assertEquals(0, k.status());
        assertEquals(2905, k.tpSrc());
        assertEquals(2906, k.tpDst());
        assertTrue(k.toString().startsWith("sctp,"));
    }

    @Test
    void icmpGivesTypeAndCode() {
        FlowKey k = parse(ethernet(MAC_B, MAC_A, EtherType.IPV4,
                ipv4Packet(IP_A, IP_B, IpProto.ICMP, 0, 64, 0, 0, icmp(3, 4, new byte[4]))));
        assertEquals(0, k.status());
        assertEquals(3, k.tpSrc());
        assertEquals(4, k.tpDst());
        assertTrue(k.toString().contains("icmp_type=3,icmp_code=4"), k.toString());
    }

    @Test
    void icmpv6EchoGivesTypeAndCode() {
        FlowKey k = parse(ethernet(MAC_B, MAC_A, EtherType.IPV6, ipv6Packet(V6_A, V6_B, IpProto.ICMPV6,
                IpProto.ICMPV6, 0, 0, 255, new byte[0], icmp(128, 0, new byte[4]))));
        assertEquals(0, k.status());
        assertEquals(IpProto.ICMPV6, k.nwProto());
        assertEquals(128, k.tpSrc());
        assertEquals(0, k.ndTargetHi());
    }

    @Test
    void neighbourSolicitationGivesTargetAndSourceLinkAddress() {
        byte[] target = ipv6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x99);
        FlowKey k = parse(ethernet(MAC_B, MAC_A, EtherType.IPV6, ipv6Packet(V6_A, V6_B, IpProto.ICMPV6,
                IpProto.ICMPV6, 0, 0, 255, new byte[0], nd(135, target, 1, MAC_A))));
        assertEquals(0, k.status());
        assertEquals(135, k.tpSrc());
        assertEquals(high(target), k.ndTargetHi());
        assertEquals(low(target), k.ndTargetLo());
        assertEquals(MAC_A, k.arpSha());
        assertEquals(0, k.arpTha());
        assertTrue(k.toString().endsWith("icmp_type=135,icmp_code=0,nd_target=2001:db8::99,nd_sll=02:00:00:00:00:0a"),
                k.toString());
    }

    @Test
    void neighbourAdvertisementGivesTargetLinkAddress() {
        byte[] target = ipv6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x98);
        FlowKey k = parse(ethernet(MAC_B, MAC_A, EtherType.IPV6, ipv6Packet(V6_A, V6_B, IpProto.ICMPV6,
                IpProto.ICMPV6, 0, 0, 255, new byte[0], nd(136, target, 2, MAC_B))));
        assertEquals(0, k.status());
        assertEquals(MAC_B, k.arpTha());
        assertEquals(low(target), k.ndTargetLo());
    }

    @Test
    void repeatedNdOptionInvalidatesTheNdFields() {
        byte[] target = ipv6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x97);
        FlowKey k = parse(ethernet(MAC_B, MAC_A, EtherType.IPV6, ipv6Packet(V6_A, V6_B, IpProto.ICMPV6,
                IpProto.ICMPV6, 0, 0, 255, new byte[0], nd(135, target, 1, MAC_A, 1, MAC_B))));
        assertEquals(FlowKey.ND_INVALID, k.status());
        assertEquals(0, k.ndTargetHi());
        assertEquals(0, k.arpSha());
        assertEquals(135, k.tpSrc());
    }

    @Test
    void aWindowOutsideTheSegmentReadsNothing() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(64);
            FlowKey k = new FlowKey();
            PacketParser.parse(seg, 10, 60, 3, k);
            assertEquals(FlowKey.BAD_WINDOW, k.status());
            assertEquals(3, k.inPort());
            PacketParser.parse(seg, -1, 10, 3, k);
            assertEquals(FlowKey.BAD_WINDOW, k.status());
            PacketParser.parse(seg, 0, -5, 3, k);
            assertEquals(FlowKey.BAD_WINDOW, k.status());
        }
    }

    static Map<String, byte[]> everyProtocol() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("udp4", udpFrame());
        m.put("tcp4-options", ethernet(MAC_B, MAC_A, EtherType.IPV4,
                ipv4Packet(IP_A, IP_B, IpProto.TCP, 0, 64, 0, 1, tcp(1, 2, 0x10, 2, new byte[0]))));
        m.put("sctp4", ethernet(MAC_B, MAC_A, EtherType.IPV4,
                ipv4Packet(IP_A, IP_B, IpProto.SCTP, 0, 64, 0, 0, sctp(3, 4, new byte[0]))));
        m.put("icmp4", ethernet(MAC_B, MAC_A, EtherType.IPV4,
                ipv4Packet(IP_A, IP_B, IpProto.ICMP, 0, 64, 0, 0, icmp(8, 0, new byte[4]))));
        m.put("qinq-arp", ethernet(MAC_B, MAC_A, EtherType.ARP, arp(1, MAC_A, IP_A, 0, IP_B),
                EtherType.VLAN_8021AD, 7, EtherType.VLAN_8021Q, 8));
        m.put("mpls", ethernet(MAC_B, MAC_A, EtherType.MPLS_UNICAST, u32((7 << 12) | 0x1ff)));
        byte[] snap = concat(new byte[] {(byte) 0xaa, (byte) 0xaa, 3, 0, 0, 0},
                u16(EtherType.IPV4), ipv4Packet(IP_A, IP_B, IpProto.UDP, 0, 64, 0, 0, udp(5, 6, new byte[0])));
        m.put("llc-snap", ethernet(MAC_B, MAC_A, snap.length, snap));
        m.put("tcp6-ext", ethernet(MAC_B, MAC_A, EtherType.IPV6, ipv6Packet(V6_A, V6_B, IpProto.HOPOPTS, IpProto.TCP,
                1, 2, 3, concat(extension(IpProto.FRAGMENT, 1), fragmentHeader(IpProto.TCP, 0, true)),
                tcp(5, 6, 2, 0, new byte[0]))));
        m.put("nd-ns", ethernet(MAC_B, MAC_A, EtherType.IPV6, ipv6Packet(V6_A, V6_B, IpProto.ICMPV6, IpProto.ICMPV6,
                0, 0, 255, new byte[0], nd(135, V6_B, 1, MAC_A, 2, MAC_B)),
                EtherType.VLAN_8021Q, 9));
        return m;
    }

    @Test
    void everyTruncationStopsCleanlyAndNeverInventsFields() {
        for (Map.Entry<String, byte[]> e : everyProtocol().entrySet()) {
            byte[] frame = e.getValue();
            FlowKey full = parse(frame);
            assertEquals(0, full.status(), e.getKey() + ": the whole frame parses without error: " + full);
            for (int len = 0; len < frame.length; len++) {
                String where = e.getKey() + " cut to " + len + " of " + frame.length + " bytes";
                int length = len;
                FlowKey cut = assertDoesNotThrow(() -> parse(frame, length, 1), where);
                // every header is needed by the frames above, so any cut is seen as a truncation
                assertNotEquals(0, cut.status(), where + ": " + cut);
                for (int w = 1; w < FlowKeyLayout.WORDS; w++) {
                    assertEquals(0, cut.word(w) & ~full.word(w),
                            where + ": word " + w + " has bits the whole frame does not: " + cut);
                }
            }
        }
    }
}
