package io.shunt.ofproto.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.stat.Stat;
import org.projectfloodlight.openflow.protocol.stat.StatField;
import org.projectfloodlight.openflow.types.U64;

/** The OXS encoding of OF1.5 section 7.2.4 (field numbers of enum oxs_ofb_stat_fields), byte for byte. */
class Of15StatsTest {
    private final OFFactory f = OFFactories.getFactory(OFVersion.OF_15);

    private static String hex(Stat s) {
        ByteBuf b = Unpooled.buffer();
        try {
            s.writeTo(b);
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    @Test
    void flowStatsUseFieldsZeroFourAndFive() {
        Stat s = Of15Stats.flow(f, 3_000_000_007L, 0x11, 0x2233);
        assertEquals("0000" + "0028"                                 // reserved, length 4 + 3 * 12
                + "80020008" + "00000003" + "00000007"                // DURATION (0): 3 s, 7 ns
                + "80020808" + "0000000000000011"                     // PACKET_COUNT (4)
                + "80020a08" + "0000000000002233",                    // BYTE_COUNT (5)
                hex(s));
        // Our own code reads the values back through Loxi's accessors.
        assertEquals(U64.of(0x11), s.get(StatField.PACKET_COUNT));
        assertEquals(U64.of(0x2233), s.get(StatField.BYTE_COUNT));
    }

    @Test
    void aggregateStatsUseFieldsThreeFourAndFiveAndArePaddedToEightBytes() {
        Stat s = Of15Stats.aggregate(f, 2, 5, 300);
        assertEquals("0000" + "0024"                                 // reserved, length 4 + 8 + 2 * 12
                + "80020604" + "00000002"                             // FLOW_COUNT (3), 4 bytes
                + "80020808" + "0000000000000005"                     // PACKET_COUNT (4)
                + "80020a08" + "000000000000012c"                     // BYTE_COUNT (5)
                + "00000000",                                         // padding to 40, not counted in length
                hex(s));
    }
}
