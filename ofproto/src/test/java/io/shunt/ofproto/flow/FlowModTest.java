package io.shunt.ofproto.flow;

import static io.shunt.ofproto.SwitchFixture.assertErrorCode;
import static org.junit.jupiter.api.Assertions.*;

import io.shunt.ofproto.SwitchFixture;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.*;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.*;

class FlowModTest {
    final SwitchFixture s = new SwitchFixture();
    final OFFactory f = s.f;

    private Match ipv4To(String dst) {
        return s.match().setExact(MatchField.ETH_TYPE, EthType.IPv4).setExact(MatchField.IPV4_DST, IPv4Address.of(dst)).build();
    }

    @Test
    void addInstallsEntryVisibleInViewAndPipeline() {
        s.ok(s.add(100, s.inPort(1), s.apply(s.out(2))).setCookie(U64.of(7)).build());
        List<FlowEntry> es = s.entries(0);
        assertEquals(1, es.size());
        assertEquals(100, es.get(0).priority());
        assertEquals(7, es.get(0).cookie());
        s.dp.receive(1, SwitchFixture.udp(1, 2, 0x0a000001, 0x0a000002, 1, 2));
        assertEquals(1, s.dp.drainTransmitted(2).size());
        assertEquals(1, es.get(0).counters().packets());
    }

    @Test
    void addOverIdenticalEntryReplacesItAndKeepsCountersUnlessResetCounts() {
        s.ok(s.add(100, s.inPort(1), s.apply(s.out(2))).build());
        s.dp.receive(1, SwitchFixture.udp(1, 2, 1, 2, 1, 2));
        s.ok(s.add(100, s.inPort(1), s.apply(s.out(3))).build());
        assertEquals(1, s.count(0));
        assertEquals(1, s.entries(0).get(0).counters().packets());
        s.ok(s.add(100, s.inPort(1), s.apply(s.out(3))).setFlags(Set.of(OFFlowModFlags.RESET_COUNTS)).build());
        assertEquals(0, s.entries(0).get(0).counters().packets());
    }

    @Test
    void checkOverlapRefusesSamePriorityOverlapOnly() {
        s.ok(s.add(10, s.inPort(1), s.apply(s.out(2))).build());
        OFErrorMsg e = s.error(s.add(10, ipv4To("10.0.0.1"), s.apply(s.out(3)))
                .setFlags(Set.of(OFFlowModFlags.CHECK_OVERLAP)).build());
        assertErrorCode(e, OFFlowModFailedCode.OVERLAP);
        // Other priority, or disjoint match (in_port 2 vs in_port 1): no overlap.
        s.ok(s.add(11, ipv4To("10.0.0.1"), s.apply(s.out(3))).setFlags(Set.of(OFFlowModFlags.CHECK_OVERLAP)).build());
        s.ok(s.add(10, s.inPort(2), s.apply(s.out(3))).setFlags(Set.of(OFFlowModFlags.CHECK_OVERLAP)).build());
        assertEquals(3, s.count(0));
    }

    @Test
    void modifyNonStrictChangesAllCoveredEntriesAndKeepsCookieAndCounters() {
        s.ok(s.add(10, ipv4To("10.0.0.1"), s.apply(s.out(2))).setCookie(U64.of(1)).build());
        s.ok(s.add(20, ipv4To("10.0.0.2"), s.apply(s.out(2))).setCookie(U64.of(2)).build());
        s.ok(s.add(30, s.inPort(1), s.apply(s.out(2))).setCookie(U64.of(3)).build());
        s.ok(f.buildFlowModify().setTableId(TableId.of(0)).setMatch(s.match().setExact(MatchField.ETH_TYPE, EthType.IPv4).build())
                .setInstructions(s.apply(s.out(4))).build());
        for (FlowEntry e : s.entries(0)) {
            boolean ip = e.priority() != 30;
            assertEquals(ip ? List.of(s.out(4)) : List.of(s.out(2)),
                    ((org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions) e.instructions().get(0)).getActions(),
                    "entry " + e);
        }
        assertTrue(s.entries(0).stream().anyMatch(e -> e.cookie() == 1 && e.priority() == 10));
    }

    @Test
    void modifyStrictNeedsSameMatchAndPriority() {
        s.ok(s.add(10, s.inPort(1), s.apply(s.out(2))).build());
        s.ok(f.buildFlowModifyStrict().setTableId(TableId.of(0)).setPriority(11).setMatch(s.inPort(1))
                .setInstructions(s.apply(s.out(3))).build());
        assertEquals(s.apply(s.out(2)), s.entries(0).get(0).instructions());
        s.ok(f.buildFlowModifyStrict().setTableId(TableId.of(0)).setPriority(10).setMatch(s.inPort(1))
                .setInstructions(s.apply(s.out(3))).build());
        assertEquals(s.apply(s.out(3)), s.entries(0).get(0).instructions());
    }

    @Test
    void modifyThatMatchesNothingAddsNothingInOf13() {
        s.ok(f.buildFlowModify().setTableId(TableId.of(0)).setMatch(s.inPort(1)).setInstructions(s.apply(s.out(3))).build());
        assertEquals(0, s.count(0));
    }

    @Test
    void cookieMaskSelectsEntriesForModifyAndDelete() {
        for (int i = 0; i < 4; i++) {
            s.ok(s.add(10 + i, s.inPort(1 + (i % 2)), s.apply(s.out(3))).setCookie(U64.of(0x100 | i)).build());
        }
        s.ok(f.buildFlowDelete().setTableId(TableId.ALL).setMatch(s.match().build())
                .setCookie(U64.of(0x1)).setCookieMask(U64.of(0x1)).build());
        assertEquals(Set.of(0x100L, 0x102L), Set.copyOf(s.entries(0).stream().map(FlowEntry::cookie).toList()));
    }

    @Test
    void deleteFiltersByOutPortAndOutGroup() {
        s.ok(f.buildGroupAdd().setGroup(OFGroup.of(5)).setGroupType(OFGroupType.ALL)
                .setBuckets(List.of(f.buildBucket().setActions(List.of(s.out(4))).setWatchGroup(OFGroup.ANY)
                        .setWatchPort(OFPort.ANY).build())).build());
        s.ok(s.add(10, s.inPort(1), s.apply(s.out(2))).build());
        s.ok(s.add(11, s.inPort(2), s.apply(s.out(3))).build());
        s.ok(s.add(12, s.inPort(3), s.apply(f.actions().group(OFGroup.of(5)))).build());
        s.ok(f.buildFlowDelete().setTableId(TableId.ALL).setMatch(s.match().build()).setOutPort(OFPort.of(3)).build());
        assertEquals(Set.of(10, 12), Set.copyOf(s.entries(0).stream().map(FlowEntry::priority).toList()));
        s.ok(f.buildFlowDelete().setTableId(TableId.ALL).setMatch(s.match().build()).setOutGroup(OFGroup.of(5)).build());
        assertEquals(List.of(10), s.entries(0).stream().map(FlowEntry::priority).toList());
    }

    @Test
    void deleteStrictRemovesOnlyTheExactEntryAndSendsFlowRemovedWhenAsked() {
        s.ok(s.add(10, s.inPort(1), s.apply(s.out(2))).setFlags(Set.of(OFFlowModFlags.SEND_FLOW_REM)).build());
        s.ok(s.add(11, s.inPort(1), s.apply(s.out(2))).build());
        s.conn.take();
        s.ok(f.buildFlowDeleteStrict().setTableId(TableId.of(0)).setPriority(10).setMatch(s.inPort(1)).build());
        assertEquals(List.of(11), s.entries(0).stream().map(FlowEntry::priority).toList());
        List<OFMessage> sent = s.conn.take();
        assertEquals(1, sent.size());
        OFFlowRemoved fr = (OFFlowRemoved) sent.get(0);
        assertEquals(OFFlowRemovedReason.DELETE, fr.getReason());
        assertEquals(10, fr.getPriority());
    }

    @Test
    void deleteNonStrictCoversMoreSpecificEntriesInAllTables() {
        s.ok(s.add(10, ipv4To("10.0.0.1"), s.apply(s.out(2))).build());
        s.ok(s.add(10, ipv4To("10.0.0.1"), s.apply(s.out(2))).setTableId(TableId.of(3)).build());
        s.ok(s.add(10, s.inPort(1), s.apply(s.out(2))).setTableId(TableId.of(3)).build());
        s.ok(f.buildFlowDelete().setTableId(TableId.ALL).setMatch(s.match().setExact(MatchField.ETH_TYPE, EthType.IPv4).build()).build());
        assertEquals(0, s.count(0));
        assertEquals(1, s.count(3));
    }

    @Test
    void badTableIsRefused() {
        assertErrorCode(s.error(s.add(1, s.inPort(1), s.apply(s.out(2))).setTableId(TableId.of(254)).build()),
                OFFlowModFailedCode.BAD_TABLE_ID);
        assertErrorCode(s.error(s.add(1, s.inPort(1), s.apply(s.out(2))).setTableId(TableId.ALL).build()),
                OFFlowModFailedCode.BAD_TABLE_ID);
    }

    @Test
    void missingPrerequisiteIsBadPrereq() {
        Match m = s.match().setExact(MatchField.TCP_DST, TransportPort.of(80)).build();
        assertErrorCode(s.error(s.add(1, m, s.apply(s.out(2))).build()), OFBadMatchCode.BAD_PREREQ);
        Match m2 = s.match().setExact(MatchField.ETH_TYPE, EthType.IPv4).setExact(MatchField.TCP_DST, TransportPort.of(80)).build();
        assertErrorCode(s.error(s.add(1, m2, s.apply(s.out(2))).build()), OFBadMatchCode.BAD_PREREQ);
        Match ok = s.match().setExact(MatchField.ETH_TYPE, EthType.IPv4).setExact(MatchField.IP_PROTO, IpProtocol.TCP)
                .setExact(MatchField.TCP_DST, TransportPort.of(80)).build();
        s.ok(s.add(1, ok, s.apply(s.out(2))).build());
        Match pcp = s.match().setExact(MatchField.VLAN_PCP, VlanPcp.of((byte) 3)).build();
        assertErrorCode(s.error(s.add(1, pcp, s.apply(s.out(2))).build()), OFBadMatchCode.BAD_PREREQ);
        Match arp = s.match().setExact(MatchField.ETH_TYPE, EthType.IPv4).setExact(MatchField.ARP_OP, ArpOpcode.REQUEST).build();
        assertErrorCode(s.error(s.add(1, arp, s.apply(s.out(2))).build()), OFBadMatchCode.BAD_PREREQ);
    }

    @Test
    void maskOnUnmaskableFieldIsBadMask() {
        Match m = s.match().setMasked(MatchField.IN_PORT, OFPort.of(1), OFPort.of(3)).build();
        assertErrorCode(s.error(s.add(1, m, s.apply(s.out(2))).build()), OFBadMatchCode.BAD_MASK);
    }

    @Test
    void vlanVidWithoutPresentBitIsBadValue() {
        Match m = s.match().setExact(MatchField.VLAN_VID, OFVlanVidMatch.ofRawVid((short) 5)).build();
        assertErrorCode(s.error(s.add(1, m, s.apply(s.out(2))).build()), OFBadMatchCode.BAD_VALUE);
    }

    @Test
    void unknownOutputPortIsBadOutPort() {
        assertErrorCode(s.error(s.add(1, s.inPort(1), s.apply(s.out(9))).build()), OFBadActionCode.BAD_OUT_PORT);
        assertErrorCode(s.error(s.add(1, s.inPort(1), s.apply(f.actions().output(OFPort.TABLE, 0))).build()),
                OFBadActionCode.BAD_OUT_PORT);
        for (OFPort reserved : List.of(OFPort.IN_PORT, OFPort.ALL, OFPort.FLOOD, OFPort.CONTROLLER, OFPort.LOCAL, OFPort.NORMAL)) {
            s.ok(s.add(1, s.inPort(1), s.apply(f.actions().output(reserved, 128))).build());
        }
    }

    @Test
    void unknownGroupIsBadOutGroupAndUnknownMeterIsUnknownMeter() {
        assertErrorCode(s.error(s.add(1, s.inPort(1), s.apply(f.actions().group(OFGroup.of(77)))).build()),
                OFBadActionCode.BAD_OUT_GROUP);
        assertErrorCode(s.error(s.add(1, s.inPort(1), List.of(f.instructions().buildMeter().setMeterId(9).build())).build()),
                OFMeterModFailedCode.UNKNOWN_METER);
    }

    @Test
    void gotoMustGoForwardToAnExistingTable() {
        assertErrorCode(s.error(s.add(1, s.inPort(1), List.of(f.instructions().gotoTable(TableId.of(0)))).build()),
                OFBadInstructionCode.BAD_TABLE_ID);
        assertErrorCode(s.error(s.add(1, s.inPort(1), List.of(f.instructions().gotoTable(TableId.of(3))))
                .setTableId(TableId.of(5)).build()), OFBadInstructionCode.BAD_TABLE_ID);
        s.ok(s.add(1, s.inPort(1), List.of(f.instructions().gotoTable(TableId.of(253)))).build());
    }

    @Test
    void duplicateInstructionIsRefused() {
        // OFPBIC_DUP_INST exists from OF1.4 on; a 1.3 peer gets the nearest 1.3 code.
        assertErrorCode(s.error(s.add(1, s.inPort(1), List.of(f.instructions().applyActions(List.of(s.out(2))),
                f.instructions().applyActions(List.of(s.out(3))))).build()), OFBadInstructionCode.UNSUP_INST);
        SwitchFixture s14 = new SwitchFixture(OFVersion.OF_14);
        OFFactory f14 = s14.f;
        assertErrorCode(s14.error(s14.add(1, s14.inPort(1), List.of(f14.instructions().applyActions(List.of(s14.out(2))),
                f14.instructions().applyActions(List.of(s14.out(3))))).build()), OFBadInstructionCode.DUP_INST);
    }

    @Test
    void setFieldWithoutMatchPrerequisiteIsMatchInconsistent() {
        var sf = f.actions().setField(f.oxms().ipv4Dst(IPv4Address.of("1.2.3.4")));
        assertErrorCode(s.error(s.add(1, s.inPort(1), s.apply(sf, s.out(2))).build()), OFBadActionCode.MATCH_INCONSISTENT);
        s.ok(s.add(1, ipv4To("10.0.0.1"), s.apply(sf, s.out(2))).build());
        var inPortSet = f.actions().setField(f.oxms().inPort(OFPort.of(3)));
        assertErrorCode(s.error(s.add(1, s.inPort(1), s.apply(inPortSet)).build()), OFBadActionCode.BAD_SET_TYPE);
    }

    @Test
    void badPushVlanEthertypeIsBadArgument() {
        assertErrorCode(s.error(s.add(1, s.inPort(1), s.apply(f.actions().pushVlan(EthType.IPv4))).build()),
                OFBadActionCode.BAD_ARGUMENT);
    }

    @Test
    void failedFlowModChangesNothing() {
        s.ok(s.add(5, s.inPort(1), s.apply(s.out(2))).build());
        s.ok(s.add(6, s.inPort(2), s.apply(s.out(2))).build());
        // A non-strict modify whose new instructions are invalid for one of the entries refuses as a whole.
        OFErrorMsg e = s.error(f.buildFlowModify().setTableId(TableId.of(0)).setMatch(s.match().build())
                .setInstructions(s.apply(s.out(9))).build());
        assertErrorCode(e, OFBadActionCode.BAD_OUT_PORT);
        for (FlowEntry fe : s.entries(0)) assertEquals(s.apply(s.out(2)), fe.instructions());
    }

    @Test
    void tableFullIsReported() {
        SwitchFixture small = new SwitchFixture(OFVersion.OF_13, io.shunt.ofproto.SwitchConfig.defaults(1).withMaxEntriesPerTable(2));
        small.ok(small.add(1, small.inPort(1), small.apply(small.out(2))).build());
        small.ok(small.add(2, small.inPort(1), small.apply(small.out(2))).build());
        assertErrorCode(small.error(small.add(3, small.inPort(1), small.apply(small.out(2))).build()),
                OFFlowModFailedCode.TABLE_FULL);
        // Replacing an identical entry needs no room.
        small.ok(small.add(2, small.inPort(1), small.apply(small.out(3))).build());
    }

    @Test
    void of10FlowModWorksWithActionList() {
        SwitchFixture s10 = new SwitchFixture(OFVersion.OF_10);
        OFFactory f10 = s10.f;
        s10.ok(f10.buildFlowAdd().setPriority(5).setMatch(f10.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1)).build())
                .setActions(List.of(f10.actions().output(OFPort.of(3), 0))).build());
        s10.dp.receive(1, SwitchFixture.udp(1, 2, 1, 2, 3, 4));
        assertEquals(1, s10.dp.drainTransmitted(3).size());
        // OF1.0 ignores nw fields without dl_type instead of refusing them.
        s10.ok(f10.buildFlowAdd().setPriority(6).setMatch(f10.buildMatch().setExact(MatchField.IPV4_SRC, IPv4Address.of("1.1.1.1")).build())
                .setActions(List.of()).build());
        // A modify matching nothing adds in OF1.0.
        s10.ok(f10.buildFlowModify().setPriority(7).setMatch(f10.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(2)).build())
                .setActions(List.of(f10.actions().output(OFPort.of(4), 0))).build());
        assertEquals(3, s10.count(0));
    }
}
