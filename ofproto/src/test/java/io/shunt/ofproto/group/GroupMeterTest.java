package io.shunt.ofproto.group;

import static io.shunt.ofproto.SwitchFixture.assertErrorCode;
import static org.junit.jupiter.api.Assertions.*;

import io.shunt.ofproto.SwitchFixture;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.*;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBand;
import org.projectfloodlight.openflow.types.*;

/** GROUP_MOD and METER_MOD semantics, and their execution on the soft datapath. */
class GroupMeterTest {
    final SwitchFixture s = new SwitchFixture();
    final OFFactory f = s.f;
    final byte[] frame = SwitchFixture.udp(1, 2, 3, 4, 5, 6);

    private OFBucket bucket(OFAction... actions) {
        return f.buildBucket().setActions(List.of(actions)).setWatchGroup(OFGroup.ANY).setWatchPort(OFPort.ANY).build();
    }

    private OFBucket watched(int port, OFAction... actions) {
        return f.buildBucket().setActions(List.of(actions)).setWatchGroup(OFGroup.ANY).setWatchPort(OFPort.of(port)).build();
    }

    private OFGroupAdd group(int id, OFGroupType type, OFBucket... buckets) {
        return f.buildGroupAdd().setGroup(OFGroup.of(id)).setGroupType(type).setBuckets(List.of(buckets)).build();
    }

    @Test
    void allGroupCopiesToEveryBucket() {
        s.ok(group(1, OFGroupType.ALL, bucket(s.out(2)), bucket(s.out(3))));
        s.ok(s.add(10, s.inPort(1), s.apply(f.actions().group(OFGroup.of(1)))).build());
        s.dp.receive(1, frame);
        assertEquals(1, s.dp.drainTransmitted(2).size());
        assertEquals(1, s.dp.drainTransmitted(3).size());
    }

    @Test
    void fastFailoverUsesFirstLiveBucketAndFailsOverOnLinkDown() {
        s.ok(group(2, OFGroupType.FF, watched(2, s.out(2)), watched(3, s.out(3))));
        s.ok(s.add(10, s.inPort(1), s.apply(f.actions().group(OFGroup.of(2)))).build());
        s.dp.receive(1, frame);
        assertEquals(1, s.dp.drainTransmitted(2).size());
        s.dp.setLink(2, false);
        s.dp.receive(1, frame);
        assertEquals(0, s.dp.drainTransmitted(2).size());
        assertEquals(1, s.dp.drainTransmitted(3).size());
    }

    @Test
    void selectKeepsAFlowOnOneLiveBucket() {
        s.ok(group(3, OFGroupType.SELECT, f.buildBucket().setWeight(1).setActions(List.of(s.out(2))).setWatchGroup(OFGroup.ANY)
                .setWatchPort(OFPort.of(2)).build(), f.buildBucket().setWeight(1).setActions(List.of(s.out(3)))
                .setWatchGroup(OFGroup.ANY).setWatchPort(OFPort.of(3)).build()));
        s.ok(s.add(10, s.inPort(1), s.apply(f.actions().group(OFGroup.of(3)))).build());
        for (int i = 0; i < 10; i++) s.dp.receive(1, frame);
        int a = s.dp.drainTransmitted(2).size(), b = s.dp.drainTransmitted(3).size();
        assertEquals(10, a + b);
        assertTrue(a == 10 || b == 10, "one flow, one bucket: " + a + "/" + b);
        s.dp.setLink(a == 10 ? 2 : 3, false);
        for (int i = 0; i < 10; i++) s.dp.receive(1, frame);
        assertEquals(10, s.dp.drainTransmitted(a == 10 ? 3 : 2).size());
    }

    @Test
    void groupModErrors() {
        s.ok(group(1, OFGroupType.ALL, bucket(s.out(2))));
        assertErrorCode(s.error(group(1, OFGroupType.ALL, bucket(s.out(2)))), OFGroupModFailedCode.GROUP_EXISTS);
        assertErrorCode(s.error(f.buildGroupModify().setGroup(OFGroup.of(9)).setGroupType(OFGroupType.ALL).setBuckets(List.of()).build()),
                OFGroupModFailedCode.UNKNOWN_GROUP);
        assertErrorCode(s.error(group(2, OFGroupType.INDIRECT, bucket(s.out(2)), bucket(s.out(3)))), OFGroupModFailedCode.INVALID_GROUP);
        assertErrorCode(s.error(group(OFGroup.ALL.getGroupNumber(), OFGroupType.ALL)), OFGroupModFailedCode.INVALID_GROUP);
        assertErrorCode(s.error(group(3, OFGroupType.FF, bucket(s.out(2)))), OFGroupModFailedCode.BAD_WATCH);
        assertErrorCode(s.error(group(3, OFGroupType.FF, watched(9, s.out(2)))), OFGroupModFailedCode.BAD_WATCH);
        assertErrorCode(s.error(group(4, OFGroupType.ALL, bucket(s.out(9)))), OFBadActionCode.BAD_OUT_PORT);
        assertErrorCode(s.error(group(4, OFGroupType.ALL, bucket(f.actions().group(OFGroup.of(50))))), OFBadActionCode.BAD_OUT_GROUP);
        assertEquals(1, s.sw.groups().size());
    }

    @Test
    void groupLoopsAreRefused() {
        assertErrorCode(s.error(group(5, OFGroupType.ALL, bucket(f.actions().group(OFGroup.of(5))))), OFGroupModFailedCode.LOOP);
        s.ok(group(10, OFGroupType.ALL, bucket(s.out(2))));
        s.ok(group(11, OFGroupType.ALL, bucket(f.actions().group(OFGroup.of(10)))));
        s.ok(group(12, OFGroupType.INDIRECT, bucket(f.actions().group(OFGroup.of(11)))));
        // 10 → 12 → 11 → 10 would be a loop.
        assertErrorCode(s.error(f.buildGroupModify().setGroup(OFGroup.of(10)).setGroupType(OFGroupType.ALL)
                .setBuckets(List.of(bucket(f.actions().group(OFGroup.of(12))))).build()), OFGroupModFailedCode.LOOP);
        assertEquals(List.of(s.out(2)), s.sw.groups().group(10).buckets().get(0).getActions());
    }

    @Test
    void deletingAGroupRemovesItsFlowsAndChainedDeleteIsRefused() {
        s.ok(group(1, OFGroupType.ALL, bucket(s.out(2))));
        s.ok(group(2, OFGroupType.ALL, bucket(f.actions().group(OFGroup.of(1)))));
        s.ok(s.add(10, s.inPort(1), s.apply(f.actions().group(OFGroup.of(1))))
                .setFlags(Set.of(OFFlowModFlags.SEND_FLOW_REM)).build());
        assertErrorCode(s.error(f.buildGroupDelete().setGroup(OFGroup.of(1)).setGroupType(OFGroupType.ALL).build()),
                OFGroupModFailedCode.CHAINED_GROUP);
        s.ok(f.buildGroupDelete().setGroup(OFGroup.of(2)).setGroupType(OFGroupType.ALL).build());
        s.conn.take();
        s.ok(f.buildGroupDelete().setGroup(OFGroup.of(1)).setGroupType(OFGroupType.ALL).build());
        assertEquals(0, s.count(0));
        OFFlowRemoved fr = (OFFlowRemoved) s.conn.take().get(0);
        assertEquals(OFFlowRemovedReason.GROUP_DELETE, fr.getReason());
        // Deleting an absent group, or all groups, is not an error.
        s.ok(f.buildGroupDelete().setGroup(OFGroup.of(44)).setGroupType(OFGroupType.ALL).build());
        s.ok(f.buildGroupDelete().setGroup(OFGroup.ALL).setGroupType(OFGroupType.ALL).build());
    }

    private OFMeterMod meter(OFMeterModCommand cmd, long id, Set<OFMeterFlags> flags, List<OFMeterBand> bands) {
        return f.buildMeterMod().setCommand(cmd).setMeterId(id).setFlags(flags).setMeters(bands).build();
    }

    @Test
    void dropBandDropsTrafficAboveRate() {
        List<OFMeterBand> drop = List.of(f.meterBands().buildDrop().setRate(5).setBurstSize(5).build());
        s.ok(meter(OFMeterModCommand.ADD, 1, Set.of(OFMeterFlags.PKTPS, OFMeterFlags.BURST), drop));
        s.ok(s.add(10, s.inPort(1), List.of(f.instructions().buildMeter().setMeterId(1).build(),
                f.instructions().applyActions(List.of(s.out(2))))).build());
        for (int i = 0; i < 20; i++) s.dp.receive(1, frame); // same instant: only the burst passes
        assertEquals(5, s.dp.drainTransmitted(2).size());
        assertEquals(15, s.dp.meterDrops());
        s.clock.advanceSeconds(1);
        for (int i = 0; i < 20; i++) s.dp.receive(1, frame);
        assertEquals(5, s.dp.drainTransmitted(2).size());
        assertEquals(30, s.sw.meters().meter(1).bandPackets(0));
    }

    @Test
    void meterModErrorsAndDeleteRemovesFlows() {
        List<OFMeterBand> drop = List.of(f.meterBands().buildDrop().setRate(10).setBurstSize(0).build());
        assertErrorCode(s.error(meter(OFMeterModCommand.ADD, 0, Set.of(OFMeterFlags.KBPS), drop)), OFMeterModFailedCode.INVALID_METER);
        assertErrorCode(s.error(meter(OFMeterModCommand.ADD, 1, Set.of(OFMeterFlags.KBPS, OFMeterFlags.PKTPS), drop)),
                OFMeterModFailedCode.BAD_FLAGS);
        assertErrorCode(s.error(meter(OFMeterModCommand.ADD, 1, Set.of(OFMeterFlags.KBPS),
                List.of(f.meterBands().buildDrop().setRate(0).build()))), OFMeterModFailedCode.BAD_RATE);
        assertErrorCode(s.error(meter(OFMeterModCommand.ADD, 1, Set.of(OFMeterFlags.KBPS), List.of())), OFMeterModFailedCode.BAD_BAND);
        assertErrorCode(s.error(meter(OFMeterModCommand.MODIFY, 1, Set.of(OFMeterFlags.KBPS), drop)), OFMeterModFailedCode.UNKNOWN_METER);
        s.ok(meter(OFMeterModCommand.ADD, 1, Set.of(OFMeterFlags.KBPS), drop));
        assertErrorCode(s.error(meter(OFMeterModCommand.ADD, 1, Set.of(OFMeterFlags.KBPS), drop)), OFMeterModFailedCode.METER_EXISTS);
        s.ok(meter(OFMeterModCommand.MODIFY, 1, Set.of(OFMeterFlags.KBPS),
                List.of(f.meterBands().buildDscpRemark().setRate(20).setPrecLevel((short) 1).build())));
        s.ok(s.add(10, s.inPort(1), List.of(f.instructions().buildMeter().setMeterId(1).build())).build());
        s.ok(meter(OFMeterModCommand.DELETE, 1, Set.of(), List.of()));
        assertEquals(0, s.count(0));
        assertNull(s.sw.meters().meter(1));
    }
}
