package io.shunt.ofproto;

import static org.junit.jupiter.api.Assertions.*;

import io.shunt.ofproto.datapath.PacketIn;
import io.shunt.ofproto.datapath.PortInfo;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortStatus;

/** Once started on a control thread, timers fire there and datapath upcalls are delivered there. */
class ControlThreadTest {
    final SwitchFixture s = new SwitchFixture();
    final ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "of-control"));

    @AfterEach
    void stop() throws InterruptedException {
        s.sw.stop();
        control.shutdownNow();
        assertTrue(control.awaitTermination(10, TimeUnit.SECONDS));
    }

    private static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            Thread.sleep(5);
        }
    }

    private <T> T onControl(java.util.concurrent.Callable<T> c) throws Exception {
        return control.submit(c).get(10, TimeUnit.SECONDS);
    }

    @Test
    void upcallsFromADatapathThreadAreDeliveredOnTheControlThread() throws Exception {
        s.sw.start(control);
        RecordingConnection c = new RecordingConnection(org.projectfloodlight.openflow.protocol.OFVersion.OF_13);
        onControl(() -> {
            s.sw.disconnected(s.conn);
            s.sw.connected(c);
            return null;
        });
        Thread pmd = new Thread(() -> {
            s.sw.packetIn(new PacketIn(SwitchFixture.udp(1, 2, 3, 4, 5, 6), 1, 0, OFPacketInReason.ACTION, 0, 0, 0xffff));
            s.dp.addPort(PortInfo.virtual(8, 8, "p8"));
        }, "pmd-0");
        pmd.start();
        pmd.join(10_000);
        await(() -> c.peek(OFPortStatus.class).size() == 1, "PORT_STATUS");
        assertEquals(1, c.peek(OFPacketIn.class).size());
        assertEquals("of-control", c.lastSenderThread());
    }

    @Test
    void timeoutsFireFromTheControlThreadTimer() throws Exception {
        s.ok(s.add(10, s.inPort(1), s.apply(s.out(2))).setHardTimeout(2)
                .setFlags(java.util.Set.of(org.projectfloodlight.openflow.protocol.OFFlowModFlags.SEND_FLOW_REM)).build());
        s.conn.take();
        s.sw.start(control);
        s.clock.advanceSeconds(3);
        await(() -> {
            try {
                return onControl(() -> s.count(0)) == 0;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the hard timeout");
        List<OFFlowRemoved> removed = onControl(() -> s.conn.peek(OFFlowRemoved.class));
        assertEquals(1, removed.size());
    }

    @Test
    void afterStopUpcallsAreDropped() throws Exception {
        s.sw.start(control);
        s.sw.stop();
        s.conn.take();
        s.sw.packetIn(new PacketIn(SwitchFixture.udp(1, 2, 3, 4, 5, 6), 1, 0, OFPacketInReason.ACTION, 0, 0, 0xffff));
        assertTrue(onControl(() -> s.conn.take()).isEmpty());
    }
}
