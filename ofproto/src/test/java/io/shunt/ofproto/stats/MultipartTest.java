package io.shunt.ofproto.stats;

import static io.shunt.ofproto.SwitchFixture.assertErrorCode;
import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shunt.ofproto.SwitchFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.*;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBand;
import org.projectfloodlight.openflow.types.*;

/** Every multipart type the switch answers, and splitting of large replies. */
class MultipartTest {
    final SwitchFixture s = new SwitchFixture();
    final OFFactory f = s.f;

    private static int encodedLength(OFMessage m) {
        ByteBuf b = Unpooled.buffer();
        try {
            m.writeTo(b);
            return b.readableBytes();
        } finally {
            b.release();
        }
    }

    /** Sends a request; returns the reply parts, checking size limit and MORE flags. */
    private <T extends OFStatsReply> List<T> parts(OFStatsRequest<?> req, Class<T> type) {
        s.conn.take();
        s.ok(req);
        List<OFMessage> sent = s.conn.take();
        assertFalse(sent.isEmpty());
        List<T> out = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            T r = type.cast(sent.get(i));
            assertEquals(req.getXid(), r.getXid());
            assertTrue(encodedLength(r) <= 0xffff, "part " + i + " is " + encodedLength(r) + " bytes");
            assertEquals(i < sent.size() - 1, r.getFlags().contains(OFStatsReplyFlags.REPLY_MORE), "MORE flag of part " + i);
            out.add(r);
        }
        return out;
    }

    @Test
    void descReplyCarriesConfiguredStrings() {
        OFDescStatsReply r = parts(f.buildDescStatsRequest().setXid(5).build(), OFDescStatsReply.class).get(0);
        assertEquals("shunt", r.getMfrDesc());
        assertEquals(s.sw.config().dpDesc(), r.getDpDesc());
    }

    @Test
    void featuresReplyHasDatapathIdTablesBuffersAndCapabilities() {
        s.conn.take();
        s.ok(f.buildFeaturesRequest().setXid(9).build());
        OFFeaturesReply r = (OFFeaturesReply) s.conn.take().get(0);
        assertEquals(DatapathId.of(0xabcdL), r.getDatapathId());
        assertEquals(254, r.getNTables());
        assertEquals(256, r.getNBuffers());
        assertTrue(r.getCapabilities().containsAll(Set.of(OFCapabilities.FLOW_STATS, OFCapabilities.TABLE_STATS,
                OFCapabilities.PORT_STATS, OFCapabilities.GROUP_STATS)));
        SwitchFixture s10 = new SwitchFixture(OFVersion.OF_10);
        s10.ok(s10.f.buildFeaturesRequest().setXid(1).build());
        OFFeaturesReply r10 = (OFFeaturesReply) s10.conn.take().get(0);
        assertEquals(4, r10.getPorts().size());
        assertEquals("p1", r10.getPorts().get(0).getName());
    }

    @Test
    void hundredThousandFlowDumpIsSplitUnder64KiB() {
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            s.ok(s.add(100, s.match().setExact(MatchField.IN_PORT, OFPort.of(1 + (i & 3)))
                    .setExact(MatchField.ETH_DST, MacAddress.of(i)).build(), s.apply(s.out(2))).setCookie(U64.of(i)).build());
        }
        List<OFFlowStatsReply> replies = parts(f.buildFlowStatsRequest().setXid(3).setTableId(TableId.ALL)
                .setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).setMatch(s.match().build()).build(), OFFlowStatsReply.class);
        assertTrue(replies.size() > 1);
        int total = 0;
        for (OFFlowStatsReply r : replies) total += r.getEntries().size();
        assertEquals(n, total);
    }

    @Test
    void flowAndAggregateStatsHonourMatchCookieAndOutPortFilters() {
        s.ok(s.add(10, s.inPort(1), s.apply(s.out(2))).setCookie(U64.of(0x10)).build());
        s.ok(s.add(10, s.inPort(2), s.apply(s.out(3))).setCookie(U64.of(0x20)).build());
        s.ok(s.add(10, s.inPort(3), s.apply(s.out(3))).setCookie(U64.of(0x21)).setTableId(TableId.of(1)).build());
        s.dp.receive(1, SwitchFixture.udp(1, 2, 3, 4, 5, 6));
        OFFlowStatsReply r = parts(f.buildFlowStatsRequest().setTableId(TableId.ALL).setOutPort(OFPort.of(3))
                .setOutGroup(OFGroup.ANY).setCookie(U64.of(0x20)).setCookieMask(U64.of(0xf0)).setMatch(s.match().build()).build(),
                OFFlowStatsReply.class).get(0);
        assertEquals(2, r.getEntries().size());
        OFFlowStatsReply one = parts(f.buildFlowStatsRequest().setTableId(TableId.of(0)).setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY).setMatch(s.inPort(1)).build(), OFFlowStatsReply.class).get(0);
        assertEquals(1, one.getEntries().size());
        assertEquals(1, one.getEntries().get(0).getPacketCount().getValue());
        OFAggregateStatsReply agg = parts(f.buildAggregateStatsRequest().setTableId(TableId.ALL).setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY).setMatch(s.match().build()).build(), OFAggregateStatsReply.class).get(0);
        assertEquals(3, agg.getFlowCount());
        assertEquals(1, agg.getPacketCount().getValue());
        assertEquals(64, agg.getByteCount().getValue());
    }

    @Test
    void flowStatsForUnknownTableIsBadTableId() {
        assertErrorCode(s.error(f.buildFlowStatsRequest().setTableId(TableId.of(254)).setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY).setMatch(s.match().build()).build()), OFBadRequestCode.BAD_TABLE_ID);
    }

    @Test
    void tableStatsCountLookupsAndMatches() {
        s.ok(s.add(10, s.inPort(1), s.apply(s.out(2))).build());
        s.dp.receive(1, SwitchFixture.udp(1, 2, 3, 4, 5, 6));
        s.dp.receive(2, SwitchFixture.udp(1, 2, 3, 4, 5, 6));
        List<OFTableStatsReply> rs = parts(f.buildTableStatsRequest().build(), OFTableStatsReply.class);
        List<OFTableStatsEntry> all = new ArrayList<>();
        rs.forEach(r -> all.addAll(r.getEntries()));
        assertEquals(254, all.size());
        OFTableStatsEntry t0 = all.get(0);
        assertEquals(1, t0.getActiveCount());
        assertEquals(2, t0.getLookupCount().getValue());
        assertEquals(1, t0.getMatchedCount().getValue());
    }

    @Test
    void tableFeaturesDescribeEveryTableAndAreReadOnly() {
        List<OFTableFeaturesStatsReply> rs = parts(f.buildTableFeaturesStatsRequest().build(), OFTableFeaturesStatsReply.class);
        assertTrue(rs.size() > 1, "254 tables of features do not fit in one message");
        List<OFTableFeatures> all = new ArrayList<>();
        rs.forEach(r -> all.addAll(r.getEntries()));
        assertEquals(254, all.size());
        assertEquals(TableId.of(253), all.get(253).getTableId());
        assertFalse(all.get(0).getProperties().isEmpty());
        OFTableFeatures set = all.get(0);
        assertErrorCode(s.error(f.buildTableFeaturesStatsRequest().setEntries(List.of(set)).build()), OFTableFeaturesFailedCode.EPERM);
    }

    /** OF1.3 section 7.3.5.5.2: each property is padded to 8 bytes, padding not counted in its length. */
    @Test
    void tableFeaturePropertiesArePaddedToEightBytesOnTheWire() {
        for (OFVersion v : List.of(OFVersion.OF_13, OFVersion.OF_14, OFVersion.OF_15)) {
            SwitchFixture sv = new SwitchFixture(v);
            sv.ok(sv.f.buildTableFeaturesStatsRequest().build());
            int tables = 0;
            for (OFMessage m : sv.conn.take()) {
                ByteBuf b = Unpooled.buffer();
                m.writeTo(b);
                int off = 16; // ofp_header + multipart header
                while (off < b.writerIndex()) {
                    int entryLen = b.getUnsignedShort(off);
                    assertEquals(0, entryLen % 8, v + " table " + b.getUnsignedByte(off + 2) + " length " + entryLen);
                    int p = off + 64;
                    while (p < off + entryLen) {
                        int propLen = b.getUnsignedShort(p + 2);
                        assertTrue(propLen >= 4, v + " property length " + propLen);
                        p += (propLen + 7) & ~7;
                    }
                    assertEquals(off + entryLen, p, v + ": properties must end exactly at the entry's end");
                    off += entryLen;
                    tables++;
                }
                b.release();
            }
            assertEquals(254, tables, v.toString());
        }
    }

    @Test
    void portStatsAndPortDescription() {
        s.dp.receive(1, SwitchFixture.udp(1, 2, 3, 4, 5, 6));
        OFPortStatsReply all = parts(f.buildPortStatsRequest().setPortNo(OFPort.ANY).build(), OFPortStatsReply.class).get(0);
        assertEquals(4, all.getEntries().size());
        OFPortStatsReply one = parts(f.buildPortStatsRequest().setPortNo(OFPort.of(1)).build(), OFPortStatsReply.class).get(0);
        assertEquals(1, one.getEntries().get(0).getRxPackets().getValue());
        assertErrorCode(s.error(f.buildPortStatsRequest().setPortNo(OFPort.of(99)).build()), OFBadRequestCode.BAD_PORT);
        OFPortDescStatsReply desc = parts(f.buildPortDescStatsRequest().build(), OFPortDescStatsReply.class).get(0);
        assertEquals(List.of("p1", "p2", "p3", "p4"), desc.getEntries().stream().map(OFPortDesc::getName).toList());
        SwitchFixture s14 = new SwitchFixture(OFVersion.OF_14);
        s14.ok(s14.f.buildPortDescStatsRequest().build());
        assertEquals(4, ((OFPortDescStatsReply) s14.conn.take().get(0)).getEntries().size());
    }

    @Test
    void queueStatsAreEmptyAndNamedQueuesDoNotExist() {
        OFQueueStatsReply r = parts(f.buildQueueStatsRequest().setPortNo(OFPort.ANY).setQueueId(0xffffffffL).build(),
                OFQueueStatsReply.class).get(0);
        assertTrue(r.getEntries().isEmpty());
        assertErrorCode(s.error(f.buildQueueStatsRequest().setPortNo(OFPort.of(1)).setQueueId(3).build()), OFQueueOpFailedCode.BAD_QUEUE);
        assertErrorCode(s.error(f.buildQueueStatsRequest().setPortNo(OFPort.of(77)).setQueueId(0xffffffffL).build()),
                OFQueueOpFailedCode.BAD_PORT);
    }

    @Test
    void groupStatsDescAndFeatures() {
        s.ok(f.buildGroupAdd().setGroup(OFGroup.of(7)).setGroupType(OFGroupType.ALL).setBuckets(List.of(
                f.buildBucket().setActions(List.of(s.out(2))).setWatchGroup(OFGroup.ANY).setWatchPort(OFPort.ANY).build(),
                f.buildBucket().setActions(List.of(s.out(3))).setWatchGroup(OFGroup.ANY).setWatchPort(OFPort.ANY).build())).build());
        s.ok(s.add(10, s.inPort(1), s.apply(f.actions().group(OFGroup.of(7)))).build());
        s.dp.receive(1, SwitchFixture.udp(1, 2, 3, 4, 5, 6));
        OFGroupStatsEntry st = parts(f.buildGroupStatsRequest().setGroup(OFGroup.ALL).build(), OFGroupStatsReply.class)
                .get(0).getEntries().get(0);
        assertEquals(1, st.getRefCount());
        assertEquals(1, st.getPacketCount().getValue());
        assertEquals(2, st.getBucketStats().size());
        assertEquals(1, st.getBucketStats().get(1).getPacketCount().getValue());
        OFGroupDescStatsEntry d = parts(f.buildGroupDescStatsRequest().build(), OFGroupDescStatsReply.class).get(0).getEntries().get(0);
        assertEquals(OFGroupType.ALL, d.getGroupType());
        assertEquals(2, d.getBuckets().size());
        OFGroupFeaturesStatsReply gf = parts(f.buildGroupFeaturesStatsRequest().build(), OFGroupFeaturesStatsReply.class).get(0);
        assertEquals(0xf, gf.getTypes());
        assertTrue((gf.getActionsAll() & 1) != 0);
    }

    @Test
    void meterStatsConfigAndFeatures() {
        List<OFMeterBand> bands = List.of(f.meterBands().buildDrop().setRate(1000).setBurstSize(0).build());
        s.ok(f.buildMeterMod().setCommand(OFMeterModCommand.ADD).setMeterId(3).setFlags(Set.of(OFMeterFlags.PKTPS))
                .setMeters(bands).build());
        s.ok(s.add(10, s.inPort(1), List.of(f.instructions().buildMeter().setMeterId(3).build(),
                f.instructions().applyActions(List.of(s.out(2))))).build());
        s.dp.receive(1, SwitchFixture.udp(1, 2, 3, 4, 5, 6));
        OFMeterStats ms = parts(f.buildMeterStatsRequest().setMeterId(0xffffffffL).build(), OFMeterStatsReply.class)
                .get(0).getEntries().get(0);
        assertEquals(3, ms.getMeterId());
        assertEquals(1, ms.getFlowCount());
        assertEquals(1, ms.getPacketInCount().getValue());
        OFMeterConfig mc = parts(f.buildMeterConfigStatsRequest().setMeterId(3).build(), OFMeterConfigStatsReply.class)
                .get(0).getEntries().get(0);
        assertEquals(bands, mc.getEntries());
        OFMeterFeatures mf = parts(f.buildMeterFeaturesStatsRequest().build(), OFMeterFeaturesStatsReply.class).get(0).getFeatures();
        assertEquals(65536, mf.getMaxMeter());
        assertEquals(0x6, mf.getBandTypes());
    }

    @Test
    void unsupportedMultipartTypeIsBadMultipart() {
        SwitchFixture s14 = new SwitchFixture(OFVersion.OF_14);
        assertErrorCode(s14.error(s14.f.buildTableDescStatsRequest().build()), OFBadRequestCode.BAD_STAT);
        assertErrorCode(s.error(f.buildBsnLacpStatsRequest().build()), OFBadRequestCode.BAD_EXPERIMENTER);
    }

    @Test
    void unsupportedMessageTypeIsBadTypeAndUnknownExperimenterIsBadExperimenter() {
        assertErrorCode(s.error(f.buildGetConfigRequest().build()), OFBadRequestCode.BAD_TYPE);
        assertErrorCode(s.error(f.buildBsnGetInterfacesRequest().build()), OFBadRequestCode.BAD_EXPERIMENTER);
    }

    @Test
    void of10FlowStatsCarryActions() {
        SwitchFixture s10 = new SwitchFixture(OFVersion.OF_10);
        OFFactory f10 = s10.f;
        s10.ok(f10.buildFlowAdd().setPriority(5).setMatch(f10.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1)).build())
                .setActions(List.of(f10.actions().output(OFPort.of(3), 0))).build());
        s10.conn.take();
        s10.ok(f10.buildFlowStatsRequest().setMatch(f10.buildMatch().build()).setOutPort(OFPort.ANY).setTableId(TableId.ALL).build());
        OFFlowStatsReply r = (OFFlowStatsReply) s10.conn.take().get(0);
        assertEquals(List.of(f10.actions().output(OFPort.of(3), 0)), r.getEntries().get(0).getActions());
    }
}
