package io.shunt.datapath.action;

import static io.shunt.datapath.testing.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

import io.shunt.datapath.flow.EtherType;
import io.shunt.datapath.flow.IpProto;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** Every edit on every truncation of every kind of frame: never an exception, never a write outside the buffer. */
class EditBoundsTest {
    record Edit(String name, ToIntFunction<Frame> op) {
    }

    private static final List<Edit> EDITS = List.of(
            new Edit("eth_src", f -> EthernetEdits.setSource(f, 1)),
            new Edit("push_vlan", f -> VlanEdits.push(f, EtherType.VLAN_8021Q, 5)),
            new Edit("pop_vlan", VlanEdits::pop),
            new Edit("set_vid", f -> VlanEdits.setVid(f, 9)),
            new Edit("push_mpls", f -> MplsEdits.push(f, EtherType.MPLS_UNICAST, 0x1ff)),
            new Edit("pop_mpls", f -> MplsEdits.pop(f, EtherType.IPV4)),
            new Edit("dec_mpls_ttl", MplsEdits::decrementTtl),
            new Edit("ipv4_src", f -> Ipv4Edits.setSource(f, 0x01020304)),
            new Edit("ipv4_dscp", f -> Ipv4Edits.setDscp(f, 10)),
            new Edit("dec_ttl", Ipv4Edits::decrementTtl),
            new Edit("ipv6_dst", f -> Ipv6Edits.setDestination(f, 1, 2)),
            new Edit("ipv6_label", f -> Ipv6Edits.setFlowLabel(f, 3)),
            new Edit("tp_src", f -> TransportEdits.setSourcePort(f, 7)),
            new Edit("tp_dst", f -> TransportEdits.setDestinationPort(f, 8)),
            new Edit("arp_sha", f -> ArpEdits.setSenderHardware(f, 3)));

    private static List<byte[]> frames() {
        byte[] a = ipv4(1, 1, 1, 1);
        byte[] b = ipv4(2, 2, 2, 2);
        byte[] v6a = ipv6(1, 2, 3, 4, 5, 6, 7, 8);
        return List.of(
                ethernet(MAC_B, MAC_A, EtherType.IPV4, ipv4Packet(a, b, IpProto.TCP, 0, 9, 0, 0, tcp(1, 2, 2, 0, new byte[0])),
                        EtherType.VLAN_8021AD, 1, EtherType.VLAN_8021Q, 2),
                ethernet(MAC_B, MAC_A, EtherType.IPV4, ipv4Packet(a, b, IpProto.SCTP, 0, 9, 0, 0, sctp(1, 2, new byte[4]))),
                ethernet(MAC_B, MAC_A, EtherType.IPV6, ipv6Packet(v6a, v6a, IpProto.HOPOPTS, IpProto.UDP, 0, 0, 9,
                        extension(IpProto.UDP, 1), udp(1, 2, new byte[2]))),
                ethernet(MAC_B, MAC_A, EtherType.MPLS_UNICAST, concat(u32(0x12345140), new byte[6])),
                ethernet(MAC_B, MAC_A, EtherType.ARP, arp(1, MAC_A, a, 0, b)));
    }

    @Test
    void editsOnTruncatedFramesFailCleanlyInsideTheBuffer() {
        int applied = 0;
        int refused = 0;
        for (byte[] frame : frames()) {
            for (int len = 0; len <= frame.length; len++) {
                for (Edit e : EDITS) {
                    for (int headroom : new int[] {0, 4}) {
                        String where = e.name() + " on " + len + "/" + frame.length + " bytes, headroom " + headroom;
                        try (TestBuffer buf = new TestBuffer(frame, len, headroom, 0)) {
                            byte[] before = buf.bytes();
                            int status = assertDoesNotThrow(() -> e.op().applyAsInt(buf.frame), where);
                            buf.assertGuardsIntact(where);
                            if (status == EditStatus.OK) {
                                applied++;
                            } else {
                                refused++;
                                assertArrayEquals(before, buf.bytes(), where + ": a refused edit (" + EditStatus.name(status)
                                        + ") changes nothing");
                            }
                        }
                    }
                }
            }
        }
        assertTrue(applied > 100 && refused > 1000, "both outcomes exercised: " + applied + " applied, " + refused + " refused");
    }
}
