package io.shunt.ofproto.flow;

import static org.junit.jupiter.api.Assertions.*;

import io.shunt.ofproto.SwitchFixture;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.*;
import org.projectfloodlight.openflow.types.U64;

/** Idle and hard timeouts (OF1.3 section 5.5) with FLOW_REMOVED, on a hand-driven clock. */
class TimeoutTest {
    final SwitchFixture s = new SwitchFixture();
    final byte[] frame = SwitchFixture.udp(1, 2, 3, 4, 5, 6);

    private OFFlowAdd flow(int idle, int hard) {
        return s.add(10, s.inPort(1), s.apply(s.out(2))).setIdleTimeout(idle).setHardTimeout(hard)
                .setCookie(U64.of(0x77)).setFlags(Set.of(OFFlowModFlags.SEND_FLOW_REM)).build();
    }

    @Test
    void hardTimeoutRemovesEntryAndReportsDurationAndCounters() {
        s.ok(flow(0, 5));
        s.dp.receive(1, frame);
        s.dp.receive(1, frame);
        s.conn.take();
        s.clock.advanceSeconds(4.9);
        assertEquals(0, s.sw.runTimers());
        assertEquals(1, s.count(0));
        s.clock.advanceSeconds(0.2);
        assertEquals(1, s.sw.runTimers());
        assertEquals(0, s.count(0));
        List<OFMessage> sent = s.conn.take();
        assertEquals(1, sent.size());
        OFFlowRemoved fr = (OFFlowRemoved) sent.get(0);
        assertEquals(OFFlowRemovedReason.HARD_TIMEOUT, fr.getReason());
        assertEquals(5, fr.getDurationSec());
        assertEquals(2, fr.getPacketCount().getValue());
        assertEquals(2L * frame.length, fr.getByteCount().getValue());
        assertEquals(0x77, fr.getCookie().getValue());
        assertEquals(5, fr.getHardTimeout());
    }

    @Test
    void idleTimeoutIsPostponedByTraffic() {
        s.ok(flow(3, 0));
        s.conn.take();
        for (int i = 0; i < 5; i++) {
            s.clock.advanceSeconds(2);
            s.dp.receive(1, frame);
            assertEquals(0, s.sw.runTimers(), "used within its idle time at step " + i);
        }
        s.clock.advanceSeconds(3.01);
        assertEquals(1, s.sw.runTimers());
        OFFlowRemoved fr = (OFFlowRemoved) s.conn.take().get(0);
        assertEquals(OFFlowRemovedReason.IDLE_TIMEOUT, fr.getReason());
        assertEquals(5, fr.getPacketCount().getValue());
    }

    @Test
    void noFlowRemovedWithoutSendFlowRemOrWhenRefusedByAsyncConfig() {
        s.ok(s.add(10, s.inPort(1), s.apply(s.out(2))).setHardTimeout(1).build());
        s.conn.take();
        s.clock.advanceSeconds(1.5);
        assertEquals(1, s.sw.runTimers());
        assertTrue(s.conn.take().isEmpty());
        s.conn.refuseAsync(OFType.FLOW_REMOVED);
        s.ok(flow(0, 1));
        s.clock.advanceSeconds(1.5);
        assertEquals(1, s.sw.runTimers());
        assertTrue(s.conn.take().isEmpty());
    }

    @Test
    void modifyKeepsTimeoutsAndReplacedVersionDoesNotExpireTwice() {
        s.ok(flow(0, 4));
        s.clock.advanceSeconds(2);
        s.ok(s.f.buildFlowModify().setTableId(org.projectfloodlight.openflow.types.TableId.of(0)).setMatch(s.inPort(1))
                .setInstructions(s.apply(s.out(3))).build());
        s.conn.take();
        s.clock.advanceSeconds(2.1);
        assertEquals(1, s.sw.runTimers());
        assertEquals(0, s.count(0));
        assertEquals(1, s.conn.take().size());
        s.clock.advanceSeconds(10);
        assertEquals(0, s.sw.runTimers());
    }

    @Test
    void manyTimeoutsExpireInOneSweepInDeadlineOrder() {
        for (int i = 0; i < 100; i++) {
            s.ok(s.add(10 + i, s.inPort(1), s.apply(s.out(2))).setHardTimeout(1 + i % 10)
                    .setFlags(Set.of(OFFlowModFlags.SEND_FLOW_REM)).build());
        }
        s.conn.take();
        s.clock.advanceSeconds(5.5);
        assertEquals(50, s.sw.runTimers());
        assertEquals(50, s.count(0));
        List<OFMessage> removed = s.conn.take();
        assertEquals(50, removed.size());
        int last = 0;
        for (OFMessage m : removed) {
            int hard = ((OFFlowRemoved) m).getHardTimeout();
            assertTrue(hard >= last, "FLOW_REMOVED out of deadline order: " + hard + " after " + last);
            last = hard;
        }
        s.clock.advanceSeconds(5);
        assertEquals(50, s.sw.runTimers());
        assertEquals(0, s.count(0));
    }
}
