package io.shunt.ofproto;

import static org.junit.jupiter.api.Assertions.*;

import io.shunt.ofproto.datapath.PortInfo;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.projectfloodlight.openflow.protocol.*;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.*;

/**
 * The same requests and asynchronous messages in every version the switch
 * negotiates; each reply is encoded and decoded by the recording peer, so a
 * field a version cannot carry fails here as it would on the wire.
 */
class VersionMatrixTest {

    private static OFFlowMod add(OFFactory f, int prio, int inPort, int outPort, boolean sendFlowRem) {
        OFFlowAdd.Builder b = f.buildFlowAdd().setPriority(prio).setHardTimeout(1)
                .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(inPort)).build());
        if (sendFlowRem) b.setFlags(Set.of(OFFlowModFlags.SEND_FLOW_REM));
        if (f.getVersion() == OFVersion.OF_10) b.setActions(List.of(f.actions().output(OFPort.of(outPort), 0xffff)));
        else b.setTableId(TableId.of(0)).setInstructions(List.of(f.instructions().applyActions(
                List.of(f.actions().output(OFPort.of(outPort), 0xffff)))));
        return b.build();
    }

    @ParameterizedTest
    @EnumSource(value = OFVersion.class, names = {"OF_10", "OF_13", "OF_14", "OF_15"})
    void everyRequestAndAsyncMessageEncodesInEachVersion(OFVersion v) {
        SwitchFixture s = new SwitchFixture(v);
        OFFactory f = s.f;
        s.ok(f.buildFeaturesRequest().build());
        s.ok(add(f, 10, 1, 2, true));
        s.ok(add(f, 0, 3, 4, false));
        s.dp.receive(1, SwitchFixture.udp(1, 2, 3, 4, 5, 6));
        s.ok(f.buildDescStatsRequest().build());
        Match all = f.buildMatch().build();
        if (v == OFVersion.OF_10) {
            s.ok(f.buildFlowStatsRequest().setMatch(all).setOutPort(OFPort.ANY).setTableId(TableId.ALL).build());
            s.ok(f.buildAggregateStatsRequest().setMatch(all).setOutPort(OFPort.ANY).setTableId(TableId.ALL).build());
        } else {
            s.ok(f.buildFlowStatsRequest().setMatch(all).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).setTableId(TableId.ALL).build());
            s.ok(f.buildAggregateStatsRequest().setMatch(all).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).setTableId(TableId.ALL).build());
            s.ok(f.buildTableFeaturesStatsRequest().build());
            s.ok(f.buildPortDescStatsRequest().build());
            s.ok(f.buildGroupFeaturesStatsRequest().build());
            s.ok(f.buildMeterFeaturesStatsRequest().build());
            s.ok(f.buildGroupStatsRequest().setGroup(OFGroup.ALL).build());
        }
        s.ok(f.buildTableStatsRequest().build());
        s.ok(f.buildPortStatsRequest().setPortNo(OFPort.ANY).build());
        List<OFMessage> replies = s.conn.take();
        assertTrue(replies.size() >= (v == OFVersion.OF_10 ? 6 : 11), "replies " + replies.size());
        OFFlowStatsReply flows = (OFFlowStatsReply) replies.stream().filter(m -> m instanceof OFFlowStatsReply).findFirst().orElseThrow();
        assertEquals(2, flows.getEntries().size());

        // Asynchronous messages: PACKET_IN, FLOW_REMOVED, PORT_STATUS.
        OFPacketOut.Builder po = f.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER)
                .setActions(List.of(f.actions().output(OFPort.of(2), 0))).setData(SwitchFixture.udp(1, 2, 3, 4, 5, 6));
        // OF1.5 carries the packet-out's ingress port in a match.
        if (v == OFVersion.OF_15) po.setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.CONTROLLER).build());
        else po.setInPort(OFPort.CONTROLLER);
        s.ok(po.build());
        assertEquals(2, s.dp.drainTransmitted(2).size(), "one forwarded by the flow, one by the packet-out");
        s.sw.packetIn(new io.shunt.ofproto.datapath.PacketIn(SwitchFixture.udp(1, 2, 3, 4, 5, 6), 1, 0,
                OFPacketInReason.ACTION, 0, 7, 32));
        s.clock.advanceSeconds(2);
        assertEquals(2, s.sw.runTimers());
        s.dp.addPort(PortInfo.virtual(9, 9, "p9"));
        List<OFMessage> async = s.conn.take();
        assertEquals(1, async.stream().filter(m -> m instanceof OFPacketIn).count());
        assertEquals(1, async.stream().filter(m -> m instanceof OFFlowRemoved).count(), "only the SEND_FLOW_REM entry");
        assertEquals(1, async.stream().filter(m -> m instanceof OFPortStatus).count());
    }
}
