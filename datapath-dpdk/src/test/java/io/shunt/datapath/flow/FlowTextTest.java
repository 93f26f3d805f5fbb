package io.shunt.datapath.flow;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowTextTest {
    @Test
    void megaflowTextRoundTripsWithPrefixes() {
        String text = "tcp,in_port=3,dl_dst=00:00:00:00:00:02,nw_src=10.1.0.0/16,tp_dst=80";
        FlowText.Match m = FlowText.parse(text);
        assertEquals(EtherType.IPV4, m.key().dlType());
        assertEquals(IpProto.TCP, m.key().nwProto());
        assertEquals(0x0a010000, m.key().nwSrc());
        assertEquals(0xffff0000L, m.mask().get(FlowField.NW_SRC));
        assertEquals(0xffffL, m.mask().get(FlowField.TP_DST));
        assertEquals(0, m.mask().get(FlowField.TP_SRC));
        assertEquals(text, FlowText.format(m.key(), m.mask()));
    }

    @Test
    void ipv6PrefixesAndNdFieldsRoundTrip() {
        String text = "icmp6,ipv6_src=2001:db8::/32,icmp_type=135,nd_target=fe80::1,nd_sll=02:00:00:00:00:0a";
        FlowText.Match m = FlowText.parse(text);
        assertEquals(0x20010db800000000L, m.key().ipv6SrcHi());
        assertEquals(0xffffffff00000000L, m.mask().word(FlowKeyLayout.W_IPV6_SRC_HI));
        assertEquals(0, m.mask().word(FlowKeyLayout.W_IPV6_SRC_LO));
        assertEquals(text, FlowText.format(m.key(), m.mask()));
    }

    @Test
    void parsedKeysPrintBackToTheSameText() {
        for (Map.Entry<String, byte[]> e : PacketParserTest.everyProtocol().entrySet()) {
            FlowKey k = PacketParserTest.parse(e.getValue());
            String text = k.toString();
            FlowText.Match m = FlowText.parse(text);
            assertEquals(text, FlowText.format(m.key(), m.mask()), e.getKey());
            FlowKey masked = new FlowKey();
            k.maskInto(m.mask(), masked);
            assertEquals(m.key(), masked, e.getKey() + ": the text carries the key's values");
        }
    }

    @Test
    void badTextIsRejectedWithTheToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FlowText.parse("tcp,tp_dst=70000"));
        assertTrue(e.getMessage().contains("tp_dst=70000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FlowText.parse("bogus_field=1"));
        assertThrows(IllegalArgumentException.class, () -> FlowText.parse("nw_src=300.1.1.1"));
        assertThrows(IllegalArgumentException.class, () -> FlowText.parse("frobnicate"));
    }

    @Test
    void maskingZeroesUnmaskedBitsAndKeepsTheMaskedHash() {
        FlowKey a = FlowText.parse("udp,in_port=1,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_src=1000,tp_dst=53").key();
        FlowKey b = FlowText.parse("udp,in_port=1,nw_src=10.0.0.9,nw_dst=10.0.0.2,tp_src=2000,tp_dst=53").key();
        FlowMask mask = FlowMask.builder().exact(FlowField.IN_PORT, FlowField.DL_TYPE, FlowField.NW_PROTO,
                FlowField.NW_DST, FlowField.TP_DST).build();
        assertNotEquals(a, b);
        assertNotEquals(a.hash(), b.hash());
        assertEquals(a.maskedHash(mask), b.maskedHash(mask));
        FlowKey ma = new FlowKey();
        FlowKey mb = new FlowKey();
        a.maskInto(mask, ma);
        b.maskInto(mask, mb);
        assertEquals(ma, mb);
        assertEquals("udp,in_port=1,nw_dst=10.0.0.2,tp_dst=53", FlowText.format(ma, mask));
        assertEquals(4, mask.nonZeroWordCount(), "in_port and dl_type share word 0; nw_dst, nw_proto, tp_dst are in words 4, 5, 10");
    }
}
