package io.shunt.ofproto.flow;

import static org.junit.jupiter.api.Assertions.*;

import io.shunt.ofproto.SwitchFixture;
import io.shunt.ofproto.classifier.FlowKey;
import io.shunt.ofproto.classifier.KeyLayout;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.*;

/** The OF1.3 pipeline (section 5.1) through the switch's tables. */
class PipelineTest {
    final SwitchFixture s = new SwitchFixture();
    final OFFactory f = s.f;
    final PipelineResult out = new PipelineResult(254);

    private FlowKey key(int inPort) {
        return new FlowKey().inPort(inPort).ethType(0x0800).ipv4Dst(0x0a000001).ipProto(17).tpDst(53);
    }

    @Test
    void tableMissWithoutMissEntryDrops() {
        s.sw.flowTables().run(key(1), out);
        assertEquals(0, out.missTable());
        assertEquals(0, out.actionCount());
        assertEquals(1, s.sw.flowTables().table(0).lookupCount());
        assertEquals(0, s.sw.flowTables().table(0).matchedCount());
    }

    @Test
    void tableMissEntryCatchesWhatNothingElseMatches() {
        s.ok(s.add(0, s.match().build(), s.apply(f.actions().output(OFPort.CONTROLLER, 0xffff))).build());
        s.ok(s.add(10, s.inPort(2), s.apply(s.out(3))).build());
        s.sw.flowTables().run(key(1), out);
        assertEquals(List.of(f.actions().output(OFPort.CONTROLLER, 0xffff)), out.actionList());
        s.sw.flowTables().run(key(2), out);
        assertEquals(List.of(s.out(3)), out.actionList());
    }

    @Test
    void gotoWriteMetadataAndActionSetFollowSection510() {
        // table 0: write metadata 0x5/0xf, write-actions output:2, goto 1
        s.ok(s.add(10, s.inPort(1), List.of(
                f.instructions().writeMetadata(U64.of(0x5), U64.of(0xf)),
                f.instructions().writeActions(List.of(s.out(2))),
                f.instructions().gotoTable(TableId.of(1)))).build());
        // table 1: match on that metadata, apply output:4, write-actions output:3 (replaces output:2), goto 2
        s.ok(s.add(10, s.match().setMasked(MatchField.METADATA, OFMetadata.ofRaw(0x5), OFMetadata.ofRaw(0xf)).build(), List.of(
                f.instructions().applyActions(List.of(s.out(4))),
                f.instructions().writeActions(List.of(s.out(3))),
                f.instructions().gotoTable(TableId.of(2)))).setTableId(TableId.of(1)).build());
        // table 2: group and output in the set: group wins, output is dropped.
        s.ok(f.buildGroupAdd().setGroup(OFGroup.of(1)).setGroupType(org.projectfloodlight.openflow.protocol.OFGroupType.INDIRECT)
                .setBuckets(List.of(f.buildBucket().setActions(List.of(s.out(1))).setWatchGroup(OFGroup.ANY)
                        .setWatchPort(OFPort.ANY).build())).build());
        s.ok(s.add(10, s.match().build(), List.of(f.instructions().writeActions(List.of(f.actions().group(OFGroup.of(1))))))
                .setTableId(TableId.of(2)).build());
        s.sw.flowTables().run(key(1), out);
        assertEquals(-1, out.missTable());
        assertEquals(3, out.matchedCount());
        assertEquals(List.<OFAction>of(s.out(4), f.actions().group(OFGroup.of(1))), out.actionList());
        assertEquals(0x5, out.finalKey().metadata());
        // The examined bits include in_port (table 0) and the metadata nibble (table 1).
        assertEquals(0xffffffffL, out.wildcardWord(KeyLayout.PORTS_WORD) & 0xffffffffL);
        assertEquals(0xf, out.wildcardWord(KeyLayout.METADATA_WORD));
    }

    @Test
    void clearActionsEmptiesTheSetAndMissInLaterTableDiscardsIt() {
        s.ok(s.add(10, s.inPort(1), List.of(f.instructions().writeActions(List.of(s.out(2))),
                f.instructions().gotoTable(TableId.of(1)))).build());
        s.ok(s.add(10, s.match().build(), List.of(f.instructions().clearActions(), f.instructions().writeActions(List.of(s.out(3)))))
                .setTableId(TableId.of(1)).build());
        s.sw.flowTables().run(key(1), out);
        assertEquals(List.of(s.out(3)), out.actionList());
        s.ok(s.add(10, s.inPort(2), List.of(f.instructions().writeActions(List.of(s.out(2))),
                f.instructions().gotoTable(TableId.of(5)))).build());
        s.sw.flowTables().run(key(2), out);
        assertEquals(5, out.missTable());
        assertEquals(0, out.actionCount());
    }

    @Test
    void applyActionsBeforeAMissTakeEffectButTheActionSetIsDiscarded() {
        s.ok(s.add(10, s.inPort(1), List.of(f.instructions().applyActions(List.of(s.out(2))),
                f.instructions().writeActions(List.of(s.out(3))), f.instructions().gotoTable(TableId.of(1)))).build());
        s.dp.receive(1, SwitchFixture.udp(1, 2, 3, 4, 5, 6));
        assertEquals(1, s.dp.drainTransmitted(2).size(), "apply-actions of table 0 ran");
        assertEquals(0, s.dp.drainTransmitted(3).size(), "the action set died with the miss in table 1");
        assertEquals(1, s.dp.tableMissDrops());
    }

    @Test
    void applySetFieldIsSeenByLaterTables() {
        s.ok(s.add(10, s.inPort(1), List.of(
                f.instructions().applyActions(List.of(f.actions().pushVlan(EthType.VLAN_FRAME),
                        f.actions().setField(f.oxms().vlanVid(OFVlanVidMatch.ofVlan(42))))),
                f.instructions().gotoTable(TableId.of(1)))).build());
        s.ok(s.add(10, s.match().setExact(MatchField.VLAN_VID, OFVlanVidMatch.ofVlan(42)).build(), s.apply(s.out(2)))
                .setTableId(TableId.of(1)).build());
        s.sw.flowTables().run(key(1), out);
        assertEquals(2, out.matchedCount());
        assertEquals(s.out(2), out.action(out.actionCount() - 1));
    }

    @Test
    void higherPriorityWinsAcrossMasks() {
        s.ok(s.add(10, s.inPort(1), s.apply(s.out(2))).build());
        s.ok(s.add(20, s.match().setExact(MatchField.ETH_TYPE, EthType.IPv4).build(), s.apply(s.out(3))).build());
        s.ok(s.add(5, s.match().setExact(MatchField.ETH_TYPE, EthType.IPv4).setExact(MatchField.IPV4_DST, IPv4Address.of("10.0.0.1")).build(),
                s.apply(s.out(4))).build());
        s.sw.flowTables().run(key(1), out);
        assertEquals(List.of(s.out(3)), out.actionList());
    }
}
