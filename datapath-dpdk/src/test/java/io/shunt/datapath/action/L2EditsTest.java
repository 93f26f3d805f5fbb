package io.shunt.datapath.action;

import static io.shunt.datapath.testing.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import io.shunt.datapath.flow.EtherType;
import io.shunt.datapath.flow.FlowField;
import io.shunt.datapath.flow.FlowKey;
import io.shunt.datapath.flow.FlowKeyLayout;
import io.shunt.datapath.flow.IpProto;
import io.shunt.datapath.flow.PacketParser;
import org.junit.jupiter.api.Test;

class L2EditsTest {
    private static final byte[] IP_A = ipv4(10, 0, 0, 1);
    private static final byte[] IP_B = ipv4(10, 0, 0, 2);

    static byte[] udp4(int... tags) {
        return ethernet(MAC_B, MAC_A, EtherType.IPV4,
                ipv4Packet(IP_A, IP_B, IpProto.UDP, 0, 64, 0, 0, udp(5000, 53, new byte[] {1, 2, 3})), tags);
    }

    private static FlowKey parse(TestBuffer b) {
        FlowKey k = new FlowKey();
        PacketParser.parse(b.segment, b.frame.offset(), b.frame.length(), 1, k);
        return k;
    }

    @Test
    void ethernetAddressEdits() {
        try (TestBuffer b = new TestBuffer(udp4(), 0, 0)) {
            assertEquals(EditStatus.OK, EthernetEdits.setSource(b.frame, 0x0a0b0c0d0e0fL));
            assertEquals(EditStatus.OK, EthernetEdits.setDestination(b.frame, 0xffffffffffffL));
            FlowKey k = parse(b);
            assertEquals(0x0a0b0c0d0e0fL, k.dlSrc());
            assertEquals(0xffffffffffffL, k.dlDst());
            assertEquals(53, k.tpDst());
        }
    }

    @Test
    void pushingATagMovesTheFrameStartIntoTheHeadroomAndPopRestoresIt() {
        byte[] original = udp4();
        try (TestBuffer b = new TestBuffer(original, 16, 0)) {
            long start = b.frame.offset();
            assertEquals(EditStatus.OK, VlanEdits.push(b.frame, EtherType.VLAN_8021Q, (3 << 13) | 100));
            assertEquals(start - 4, b.frame.offset());
            assertEquals(original.length + 4, b.frame.length());
            assertArrayEquals(udp4(EtherType.VLAN_8021Q, (3 << 13) | 100), b.bytes());
            assertEquals(EditStatus.OK, VlanEdits.push(b.frame, EtherType.VLAN_8021AD, 7));
            FlowKey k = parse(b);
            assertEquals(EtherType.VLAN_8021AD, k.vlanTpid());
            assertEquals(FlowKeyLayout.VLAN_PRESENT | 7, k.vlanTci());
            assertEquals(EtherType.VLAN_8021Q, k.vlanTpid2());
            assertEquals(53, k.tpDst(), "the L3/L4 headers are still found behind both tags");
            assertEquals(EditStatus.OK, VlanEdits.pop(b.frame));
            assertEquals(EditStatus.OK, VlanEdits.pop(b.frame));
            assertEquals(start, b.frame.offset());
            assertArrayEquals(original, b.bytes());
            assertEquals(EditStatus.NOT_APPLICABLE, VlanEdits.pop(b.frame), "nothing left to pop");
            b.assertGuardsIntact("push/pop");
        }
    }

    @Test
    void aPushWithoutHeadroomFailsAndLeavesTheFrame() {
        byte[] original = udp4();
        try (TestBuffer b = new TestBuffer(original, 3, 0)) {
            assertEquals(EditStatus.NO_HEADROOM, VlanEdits.push(b.frame, EtherType.VLAN_8021Q, 1));
            assertEquals(EditStatus.NO_HEADROOM, MplsEdits.push(b.frame, EtherType.MPLS_UNICAST, 0x100));
            assertArrayEquals(original, b.bytes());
            assertEquals(3, b.frame.headroom());
            b.assertGuardsIntact("no headroom");
        }
    }

    @Test
    void vidAndPcpEditsChangeOnlyTheirBits() {
        try (TestBuffer b = new TestBuffer(udp4(EtherType.VLAN_8021Q, (5 << 13) | 0x1000 | 42), 0, 0)) {
            assertEquals(EditStatus.OK, VlanEdits.setVid(b.frame, 4000));
            assertEquals(4000, parse(b).get(FlowField.DL_VLAN));
            assertEquals(5, parse(b).get(FlowField.DL_VLAN_PCP));
            assertEquals(EditStatus.OK, VlanEdits.setPcp(b.frame, 2));
            assertEquals(2, parse(b).get(FlowField.DL_VLAN_PCP));
            assertEquals(4000, parse(b).get(FlowField.DL_VLAN));
            assertEquals(0x1000, FrameChecks.u16(b.bytes(), 14) & 0x1000, "the DEI bit is kept");
        }
        try (TestBuffer b = new TestBuffer(udp4(), 0, 0)) {
            assertEquals(EditStatus.NOT_APPLICABLE, VlanEdits.setVid(b.frame, 1));
        }
    }

    @Test
    void mplsPushGoesBehindTheVlanTagAndPopRestoresTheFrame() {
        byte[] original = udp4(EtherType.VLAN_8021Q, 20);
        try (TestBuffer b = new TestBuffer(original, 8, 0)) {
            int lse = (12345 << 12) | (2 << 9) | (1 << 8) | 64;
            assertEquals(EditStatus.OK, MplsEdits.push(b.frame, EtherType.MPLS_UNICAST, lse));
            FlowKey k = parse(b);
            assertEquals(EtherType.MPLS_UNICAST, k.dlType());
            assertEquals(FlowKeyLayout.VLAN_PRESENT | 20, k.vlanTci());
            assertEquals(lse, k.mplsLse());
            assertEquals(EditStatus.OK, MplsEdits.setLabel(b.frame, 999));
            assertEquals(EditStatus.OK, MplsEdits.setTc(b.frame, 7));
            assertEquals(EditStatus.OK, MplsEdits.setTtl(b.frame, 2));
            assertEquals(EditStatus.OK, MplsEdits.decrementTtl(b.frame));
            assertEquals(EditStatus.TTL_EXPIRED, MplsEdits.decrementTtl(b.frame));
            k = parse(b);
            assertEquals(999, k.get(FlowField.MPLS_LABEL));
            assertEquals(7, k.get(FlowField.MPLS_TC));
            assertEquals(1, k.get(FlowField.MPLS_BOS));
            assertEquals(1, k.get(FlowField.MPLS_TTL));
            assertEquals(EditStatus.OK, MplsEdits.pop(b.frame, EtherType.IPV4));
            assertArrayEquals(original, b.bytes());
            assertEquals(EditStatus.NOT_APPLICABLE, MplsEdits.pop(b.frame, EtherType.IPV4));
            b.assertGuardsIntact("mpls");
        }
    }

    @Test
    void mplsPushAndPopWorkBehindAnyNumberOfTags() {
        // 0 to 3 tags: L2 headers of 14, 18, 22 and 26 bytes move in front of the label
        int[][] tagSets = {{}, {EtherType.VLAN_8021Q, 1}, {EtherType.VLAN_8021AD, 2, EtherType.VLAN_8021Q, 3},
                {EtherType.VLAN_8021AD, 4, EtherType.VLAN_8021Q, 5, EtherType.VLAN_8021Q, 6}};
        for (int[] tags : tagSets) {
            byte[] original = udp4(tags);
            try (TestBuffer b = new TestBuffer(original, 4, 0)) {
                assertEquals(EditStatus.OK, MplsEdits.push(b.frame, EtherType.MPLS_MULTICAST, 0x00abc1ff));
                byte[] pushed = b.bytes();
                int l2 = 12 + tags.length * 2;
                assertArrayEquals(java.util.Arrays.copyOf(original, l2), java.util.Arrays.copyOf(pushed, l2),
                        tags.length / 2 + " tags: MACs and tags in front");
                assertEquals(EtherType.MPLS_MULTICAST, FrameChecks.u16(pushed, l2));
                assertEquals(0x00ab, FrameChecks.u16(pushed, l2 + 2));
                assertEquals(0xc1ff, FrameChecks.u16(pushed, l2 + 4));
                assertArrayEquals(java.util.Arrays.copyOfRange(original, l2 + 2, original.length),
                        java.util.Arrays.copyOfRange(pushed, l2 + 6, pushed.length), "payload untouched");
                assertEquals(EditStatus.OK, MplsEdits.pop(b.frame, EtherType.IPV4));
                assertArrayEquals(original, b.bytes(), tags.length / 2 + " tags: pop restores the frame");
                b.assertGuardsIntact("mpls behind " + tags.length / 2 + " tags");
            }
        }
    }

    @Test
    void arpFieldEdits() {
        byte[] frame = ethernet(MAC_B, MAC_A, EtherType.ARP, arp(1, MAC_A, IP_A, 0, IP_B));
        try (TestBuffer b = new TestBuffer(frame, 0, 0)) {
            assertEquals(EditStatus.OK, ArpEdits.setOp(b.frame, 2));
            assertEquals(EditStatus.OK, ArpEdits.setSenderHardware(b.frame, MAC_B));
            assertEquals(EditStatus.OK, ArpEdits.setTargetHardware(b.frame, MAC_A));
            assertEquals(EditStatus.OK, ArpEdits.setSenderProtocol(b.frame, ipv4Int(IP_B)));
            assertEquals(EditStatus.OK, ArpEdits.setTargetProtocol(b.frame, ipv4Int(IP_A)));
            assertArrayEquals(ethernet(MAC_B, MAC_A, EtherType.ARP, arp(2, MAC_B, IP_B, MAC_A, IP_A)), b.bytes());
        }
    }

    @Test
    void aFrameOutsideItsBufferIsRefusedAtWrap() {
        try (TestBuffer b = new TestBuffer(udp4(), 0, 0)) {
            Frame f = new Frame();
            assertFalse(f.wrap(b.segment, 0, b.segment.byteSize() + 1, 0, 10), "buffer beyond the segment");
            assertFalse(f.wrap(b.segment, 10, 20, 5, 4), "frame before the buffer");
            assertFalse(f.wrap(b.segment, 10, 20, 12, 9), "frame beyond the buffer");
            assertEquals(EditStatus.TRUNCATED, EthernetEdits.setSource(f, 1), "a refused view edits nothing");
            assertTrue(f.wrap(b.segment, 10, 20, 12, 8));
        }
    }
}
