package io.shunt.datapath.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.shunt.datapath.engine.LinkPhase;
import io.shunt.datapath.engine.LinkTraffic;
import io.shunt.datapath.port.LinkDirection;

/**
 * The direct-link protocol end to end with real processes and real shared memory: a sender
 * VNF on port A and a receiver VNF on port B (child JVMs using the unchanged GuestPort API),
 * the switch's engine forwarding A to B in this JVM, and the test as link manager (see
 * {@link LinkTestbed}). The receiver checks every sequence number; the test checks the
 * switch's and the links' counters against what the sender sent.
 */
class DirectLinkProcessTest {
    /** Establish/revert cycles in the default run; {@code -Dshunt.link.cycles=N} for a soak. */
    private static final int CYCLES = Integer.getInteger("shunt.link.cycles", 200);

    @Test
    @Timeout(value = 280, unit = TimeUnit.SECONDS)
    void establishAndRevertUnderFullLoadLoseDuplicateAndReorderNothing() throws Exception {
        try (LinkTestbed bed = new LinkTestbed()) {
            ChildJvm receiver = bed.startReceiver("counted");
            ChildJvm sender = bed.startSender();
            bed.awaitRegistered(LinkTestbed.SENDER, "p1", sender);
            bed.awaitRegistered(LinkTestbed.RECEIVER, "p2", receiver);
            long overLinks = 0;
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                LinkTestbed.Link link = bed.createLink(cycle);
                bed.plug(LinkTestbed.SENDER, link);
                bed.plug(LinkTestbed.RECEIVER, link);
                link.words().request(LinkDirection.REQUEST_DIRECT);
                bed.awaitPhase(link, LinkPhase.DIRECT, sender, receiver);
                if (cycle == 1 || cycle % 25 == 0) {
                    assertSwitchBypassed(bed, link, sender, receiver);
                }
                link.words().request(LinkDirection.REQUEST_REVERT);
                bed.awaitPhase(link, LinkPhase.CLOSED, sender, receiver);
                LinkTestbed.await(() -> link.words().rxState() == LinkDirection.RX_DETACHED,
                        "the receiver detaches from " + link.name(), receiver);
                assertEquals(LinkDirection.REQUEST_REVERT, link.words().txAck());
                LinkTraffic traffic = link.gate().traffic();
                assertEquals(0, traffic.takenOverPackets());
                assertEquals(0, traffic.rejected());
                assertEquals(0, link.gate().rejectedWords());
                overLinks += traffic.directPackets();
                bed.retire(link);
            }
            bed.stopChildren();
            assertEquals(0, sender.awaitExit(60), () -> "sender failed: " + LinkTestbed.output(sender));
            assertEquals(0, receiver.awaitExit(60), () -> "receiver failed: " + LinkTestbed.output(receiver));

            long sent = sender.result("sent");
            long switchDrops = bed.portB.stats().txDropped();
            assertEquals(sent - 1, receiver.result("last"));
            assertEquals(switchDrops, receiver.result("gaps"),
                    "the only packets missing are those the switch counted as dropped at B (its rx ring was full)");
            assertEquals(sent, receiver.result("received") + switchDrops,
                    "every packet arrives once, in order, or is a counted switch drop");
            assertEquals(1, receiver.result("end"));
            assertEquals(CYCLES, sender.result("switches"));
            assertEquals(CYCLES, sender.result("reverts"));
            assertEquals(CYCLES, receiver.result("fencesPassed"));
            assertEquals(CYCLES, receiver.result("detaches"));
            long throughSwitch = bed.portA.stats().rxPackets();
            assertTrue(overLinks > 0 && throughSwitch > 0, "traffic took both paths");
            assertEquals(sent, overLinks + throughSwitch, "link counters + switch counters == packets sent");
            assertEquals(throughSwitch, bed.portB.stats().txPackets() + switchDrops,
                    "the switch forwarded to B, or counted as dropped, everything it took from A");
        }
    }

    /** While direct, the switch takes nothing from A, and the receiver keeps receiving over the link. */
    private static void assertSwitchBypassed(LinkTestbed bed, LinkTestbed.Link link, ChildJvm sender,
                                             ChildJvm receiver) throws Exception {
        long fromA = bed.portA.stats().rxPackets();
        long onLink = link.region().ring(0, bed.pool).counters().dequeuedPackets();
        LinkTestbed.await(() -> link.region().ring(0, bed.pool).counters().dequeuedPackets() >= onLink + 10_000,
                "the receiver takes 10000 packets from the link", sender, receiver);
        assertEquals(fromA, bed.portA.stats().rxPackets(), "the switch took nothing from A while direct");
    }
}
