package io.shunt.ofproto;

import static io.shunt.ofproto.SwitchFixture.assertErrorCode;
import static org.junit.jupiter.api.Assertions.*;

import io.shunt.ofproto.datapath.PacketIn;
import io.shunt.ofproto.datapath.PortInfo;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.*;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.*;

/** PACKET_IN (buffers, truncation, rate limit), PACKET_OUT, PORT_MOD and PORT_STATUS. */
class PacketInPortTest {
    final SwitchFixture s = new SwitchFixture(OFVersion.OF_13,
            SwitchConfig.defaults(1).withPacketInLimit(10, 3));
    final OFFactory f = s.f;
    final byte[] frame = SwitchFixture.udp(1, 2, 3, 4, 5, 6);

    @Test
    void tableMissEntrySendsBufferedTruncatedPacketInAndPacketOutReleasesIt() {
        s.ok(s.add(0, s.match().build(), s.apply(f.actions().output(OFPort.CONTROLLER, 20))).setCookie(U64.of(9)).build());
        s.conn.take();
        s.dp.receive(2, frame);
        OFPacketIn pi = (OFPacketIn) s.conn.take().get(0);
        assertEquals(OFPacketInReason.NO_MATCH, pi.getReason());
        assertEquals(20, pi.getData().length);
        assertEquals(64, pi.getTotalLen());
        assertEquals(OFPort.of(2), pi.getMatch().get(MatchField.IN_PORT));
        assertEquals(9, pi.getCookie().getValue());
        assertNotEquals(OFBufferId.NO_BUFFER, pi.getBufferId());
        s.ok(f.buildPacketOut().setBufferId(pi.getBufferId()).setInPort(OFPort.of(2)).setActions(List.of(s.out(3))).build());
        List<byte[]> out = s.dp.drainTransmitted(3);
        assertEquals(1, out.size());
        assertArrayEquals(frame, out.get(0));
        assertErrorCode(s.error(f.buildPacketOut().setBufferId(pi.getBufferId()).setInPort(OFPort.of(2))
                .setActions(List.of(s.out(3))).build()), OFBadRequestCode.BUFFER_EMPTY);
        assertErrorCode(s.error(f.buildPacketOut().setBufferId(OFBufferId.of(12345)).setInPort(OFPort.of(2))
                .setActions(List.of(s.out(3))).build()), OFBadRequestCode.BUFFER_UNKNOWN);
    }

    @Test
    void noBufferMaxLenSendsWholePacketAndActionReasonForOtherEntries() {
        s.ok(s.add(5, s.inPort(1), s.apply(f.actions().output(OFPort.CONTROLLER, 0xffff))).build());
        s.conn.take();
        s.dp.receive(1, frame);
        OFPacketIn pi = (OFPacketIn) s.conn.take().get(0);
        assertEquals(OFPacketInReason.ACTION, pi.getReason());
        assertEquals(OFBufferId.NO_BUFFER, pi.getBufferId());
        assertArrayEquals(frame, pi.getData());
    }

    @Test
    void flowModWithBufferIdAppliesToTheBufferedPacket() {
        s.ok(s.add(0, s.match().build(), s.apply(f.actions().output(OFPort.CONTROLLER, 16))).build());
        s.conn.take();
        s.dp.receive(1, frame);
        OFPacketIn pi = (OFPacketIn) s.conn.take().get(0);
        s.ok(s.add(10, s.inPort(1), s.apply(s.out(4))).setBufferId(pi.getBufferId()).build());
        assertEquals(1, s.dp.drainTransmitted(4).size());
    }

    @Test
    void missesGoToControllerOnlyWhileAnOpenFlow10ControllerIsConnected() {
        s.conn.take();
        s.dp.receive(1, frame);
        assertTrue(s.conn.peek(OFPacketIn.class).isEmpty(), "OF1.3 drops a table miss without a miss entry");
        assertEquals(1, s.dp.tableMissDrops());
        RecordingConnection old = new RecordingConnection(OFVersion.OF_10);
        s.sw.connected(old);
        s.dp.receive(1, frame);
        OFPacketIn pi = old.peek(OFPacketIn.class).get(0);
        assertEquals(OFPacketInReason.NO_MATCH, pi.getReason());
        assertEquals(OFPort.of(1), pi.getInPort());
        assertEquals(1, s.conn.peek(OFPacketIn.class).size(), "every connection that wants it gets the packet-in");
        s.sw.disconnected(old);
        s.dp.receive(1, frame);
        assertEquals(2, s.dp.tableMissDrops());
    }

    @Test
    void standaloneFailModeFloodsMissesOnlyWithoutController() {
        SwitchFixture st = new SwitchFixture(OFVersion.OF_13, SwitchConfig.defaults(1).withFailMode(FailMode.STANDALONE));
        st.dp.receive(1, frame);
        assertEquals(0, st.dp.drainTransmitted(2).size(), "a controller is connected: the miss is dropped");
        st.sw.disconnected(st.conn);
        assertTrue(st.sw.standaloneActive());
        st.dp.receive(1, frame);
        assertEquals(List.of(0, 1, 1, 1), List.of(st.dp.drainTransmitted(1).size(), st.dp.drainTransmitted(2).size(),
                st.dp.drainTransmitted(3).size(), st.dp.drainTransmitted(4).size()));
        SwitchFixture secure = new SwitchFixture();
        secure.sw.disconnected(secure.conn);
        secure.dp.receive(1, frame);
        assertEquals(0, secure.dp.drainTransmitted(2).size(), "fail mode secure never forwards on its own");
    }

    @Test
    void packetInsAreRateLimitedPerSwitch() {
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            if (s.sw.packetIn(new PacketIn(frame, 1, 0, OFPacketInReason.ACTION, 0, 0, 0xffff))) accepted++;
        }
        assertEquals(3, accepted);
        assertEquals(7, s.sw.packetInsDropped());
        s.clock.advanceSeconds(0.5); // 10/s → 5 more tokens, capped at the burst of 3
        accepted = 0;
        for (int i = 0; i < 10; i++) {
            if (s.sw.packetIn(new PacketIn(frame, 1, 0, OFPacketInReason.ACTION, 0, 0, 0xffff))) accepted++;
        }
        assertEquals(3, accepted);
        assertEquals(6, s.conn.peek(OFPacketIn.class).size());
    }

    @Test
    void noPacketInPortConfigAndAsyncConfigSuppressPacketIn() {
        s.ok(f.buildPortMod().setPortNo(OFPort.of(1)).setHwAddr(MacAddress.of(0x020000000001L))
                .setConfig(Set.of(OFPortConfig.NO_PACKET_IN)).setMask(Set.of(OFPortConfig.NO_PACKET_IN)).build());
        s.conn.take();
        s.sw.packetIn(new PacketIn(frame, 1, 0, OFPacketInReason.ACTION, 0, 0, 0xffff));
        assertTrue(s.conn.peek(OFPacketIn.class).isEmpty());
        s.conn.refuseAsync(OFType.PACKET_IN);
        s.sw.packetIn(new PacketIn(frame, 2, 0, OFPacketInReason.ACTION, 0, 0, 0xffff));
        assertTrue(s.conn.peek(OFPacketIn.class).isEmpty());
    }

    @Test
    void packetOutValidatesInPortAndActionsAndFloodsAndRunsTable() {
        assertErrorCode(s.error(f.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.of(42))
                .setActions(List.of(s.out(2))).setData(frame).build()), OFBadRequestCode.BAD_PORT);
        assertErrorCode(s.error(f.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                .setActions(List.of(s.out(42))).setData(frame).build()), OFBadActionCode.BAD_OUT_PORT);
        s.ok(f.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.of(1))
                .setActions(List.of(f.actions().output(OFPort.FLOOD, 0))).setData(frame).build());
        assertEquals(List.of(0, 1, 1, 1), List.of(s.dp.drainTransmitted(1).size(), s.dp.drainTransmitted(2).size(),
                s.dp.drainTransmitted(3).size(), s.dp.drainTransmitted(4).size()));
        s.ok(s.add(10, s.inPort(3), s.apply(s.out(4))).build());
        s.ok(f.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.of(3))
                .setActions(List.of(f.actions().output(OFPort.TABLE, 0))).setData(frame).build());
        assertEquals(1, s.dp.drainTransmitted(4).size());
    }

    @Test
    void portModChangesConfigAndPortStatusFollowsPortEvents() {
        s.conn.take();
        s.ok(f.buildPortMod().setPortNo(OFPort.of(2)).setHwAddr(MacAddress.of(0x020000000002L))
                .setConfig(Set.of(OFPortConfig.PORT_DOWN)).setMask(Set.of(OFPortConfig.PORT_DOWN)).build());
        assertTrue(s.dp.port(2).config().contains(OFPortConfig.PORT_DOWN));
        OFPortStatus st = (OFPortStatus) s.conn.take().get(0);
        assertEquals(OFPortReason.MODIFY, st.getReason());
        assertTrue(st.getDesc().getConfig().contains(OFPortConfig.PORT_DOWN));
        assertErrorCode(s.error(f.buildPortMod().setPortNo(OFPort.of(9)).setHwAddr(MacAddress.of(1)).setConfig(Set.of())
                .setMask(Set.of()).build()), OFPortModFailedCode.BAD_PORT);
        assertErrorCode(s.error(f.buildPortMod().setPortNo(OFPort.of(2)).setHwAddr(MacAddress.of(1)).setConfig(Set.of())
                .setMask(Set.of()).build()), OFPortModFailedCode.BAD_HW_ADDR);
        s.dp.addPort(PortInfo.virtual(7, 0x020000000007L, "p7"));
        s.dp.removePort(7);
        List<OFPortReason> reasons = s.conn.take().stream().map(m -> ((OFPortStatus) m).getReason()).toList();
        assertEquals(List.of(OFPortReason.ADD, OFPortReason.DELETE), reasons);
    }

    @Test
    void tableModChecksTableAndConfig() {
        s.ok(f.buildTableMod().setTableId(TableId.of(3)).setConfig(0).build());
        assertErrorCode(s.error(f.buildTableMod().setTableId(TableId.of(254)).setConfig(0).build()), OFTableModFailedCode.BAD_TABLE);
        assertErrorCode(s.error(f.buildTableMod().setTableId(TableId.of(1)).setConfig(0x10).build()), OFTableModFailedCode.BAD_CONFIG);
    }
}
