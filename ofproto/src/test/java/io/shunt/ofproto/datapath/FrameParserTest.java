package io.shunt.ofproto.datapath;

import static org.junit.jupiter.api.Assertions.*;

import io.shunt.ofproto.SwitchFixture;
import io.shunt.ofproto.classifier.FlowKey;
import io.shunt.ofproto.classifier.KeyField;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Frames as a capture tool would show them, parsed into the fields OpenFlow matches. */
class FrameParserTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void ipv4UdpFrame() {
        byte[] f = SwitchFixture.udp(0x0a0b0c0d0e0fL, 0x020000000001L, 0x0a000001, 0x0a000002, 1234, 53);
        FlowKey k = FrameParser.parse(f, f.length, 7, new FlowKey());
        assertEquals(7, k.inPort());
        assertEquals(0x0a0b0c0d0e0fL, k.ethDst());
        assertEquals(0x0800, k.ethType());
        assertEquals(0x0a000001, k.ipv4Src());
        assertEquals(0x0a000002, k.ipv4Dst());
        assertEquals(17, k.ipProto());
        assertEquals(1234, k.tpSrc());
        assertEquals(53, k.tpDst());
        assertEquals(0, k.vlanVid(), "untagged is OFPVID_NONE");
    }

    @Test
    void vlanTaggedArpRequest() {
        byte[] f = hex("ffffffffffff 020000000001 8100 a064 0806"
                + "0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000002");
        FlowKey k = FrameParser.parse(f, f.length, 1, new FlowKey());
        assertEquals(0x1000 | 0x064, k.vlanVid());
        assertEquals(5, k.vlanPcp());
        assertEquals(0x0806, k.ethType());
        assertEquals(1, k.arpOp());
        assertEquals(0x0a000001, k.ipv4Src(), "ARP SPA shares the IPv4 source bits");
        assertEquals(0x0a000002, k.ipv4Dst());
        assertEquals(0x020000000001L, k.get(KeyField.ARP_SHA));
    }

    @Test
    void ipv6NeighbourSolicitationWithSourceLinkLayerAddress() {
        byte[] f = hex("3333ff000002 020000000001 86dd"
                + "60000000 0020 3a ff" + "fe800000000000000000000000000001" + "ff0200000000000000000001ff000002"
                + "87 00 0000 00000000" + "fe800000000000000000000000000002" + "01 01 020000000001");
        FlowKey k = FrameParser.parse(f, f.length, 3, new FlowKey());
        assertEquals(0x86dd, k.ethType());
        assertEquals(58, k.ipProto());
        assertEquals(135, k.tpSrc(), "ICMPv6 type in the transport bits");
        assertEquals(0xfe80000000000000L, k.get(KeyField.ND_TARGET_HI));
        assertEquals(2, k.get(KeyField.ND_TARGET_LO));
        assertEquals(0x020000000001L, k.get(KeyField.ARP_SHA), "ND SLL shares the ARP SHA bits");
    }

    @Test
    void truncatedFrameKeepsWhatWasThere() {
        byte[] f = SwitchFixture.udp(1, 2, 0x0a000001, 0x0a000002, 5, 6);
        FlowKey k = FrameParser.parse(f, 20, 2, new FlowKey());
        assertEquals(0x0800, k.ethType());
        assertEquals(0, k.ipv4Src(), "IPv4 header cut off: no address");
        assertEquals(0, k.tpDst());
    }
}
