package io.shunt.datapath.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.shunt.datapath.engine.LinkPhase;
import io.shunt.datapath.engine.LinkTraffic;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import io.shunt.datapath.port.LinkDirection;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.port.LinkRegionLayout;
import io.shunt.datapath.ring.RingLayout;

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
            long[] establishMicros = new long[CYCLES];
            long[] revertMicros = new long[CYCLES];
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                LinkTestbed.Link link = bed.createLink(cycle);
                long t0 = System.nanoTime();
                bed.plug(LinkTestbed.SENDER, link);
                bed.plug(LinkTestbed.RECEIVER, link);
                link.words().request(LinkDirection.REQUEST_DIRECT);
                bed.awaitPhase(link, LinkPhase.DIRECT, sender, receiver);
                establishMicros[cycle - 1] = (System.nanoTime() - t0) / 1_000;
                if (cycle == 1 || cycle % 25 == 0) {
                    assertSwitchBypassed(bed, link, sender, receiver);
                }
                long t1 = System.nanoTime();
                link.words().request(LinkDirection.REQUEST_REVERT);
                bed.awaitPhase(link, LinkPhase.CLOSED, sender, receiver);
                revertMicros[cycle - 1] = (System.nanoTime() - t1) / 1_000;
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
            bed.stopChildren(sender, receiver);
            assertEquals(0, sender.awaitExit(60), () -> "sender failed: " + LinkTestbed.output(sender));
            assertEquals(0, receiver.awaitExit(60), () -> "receiver failed: " + LinkTestbed.output(receiver));
            // Reported, not asserted (timing on shared cores): plug + request -> DIRECT, request -> CLOSED.
            java.util.Arrays.sort(establishMicros);
            java.util.Arrays.sort(revertMicros);
            System.out.printf("direct links, %d cycles: plug+request -> DIRECT p50 %d us p99 %d us;"
                            + " revert request -> CLOSED p50 %d us p99 %d us (load %s)%n", CYCLES,
                    establishMicros[CYCLES / 2], establishMicros[CYCLES * 99 / 100], revertMicros[CYCLES / 2],
                    revertMicros[CYCLES * 99 / 100], java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());

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

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void revertBeforeTheSenderSwitchedNeverUsesTheLink() throws Exception {
        try (LinkTestbed bed = new LinkTestbed()) {
            ChildJvm receiver = bed.startReceiver("counted");
            ChildJvm sender = bed.startSender();
            bed.awaitRegistered(LinkTestbed.SENDER, "p1", sender);
            bed.awaitRegistered(LinkTestbed.RECEIVER, "p2", receiver);
            LinkTestbed.Link link = bed.createLink(1);
            bed.plug(LinkTestbed.RECEIVER, link);
            link.words().request(LinkDirection.REQUEST_DIRECT);
            // The sender's plug is late (a slow hot-plug): the link manager gives up first.
            long before = bed.portA.stats().rxPackets();
            LinkTestbed.await(() -> bed.portA.stats().rxPackets() > before + 10_000,
                    "the switch keeps forwarding A's traffic", sender, receiver);
            assertEquals(LinkPhase.WAITING_FOR_ACK, link.gate().phase());
            link.words().request(LinkDirection.REQUEST_REVERT);
            bed.plug(LinkTestbed.SENDER, link);
            bed.awaitPhase(link, LinkPhase.CLOSED, sender, receiver);
            LinkTestbed.await(() -> link.words().rxState() == LinkDirection.RX_DETACHED,
                    "the receiver detaches without ever reading the link", receiver);
            assertEquals(LinkDirection.REQUEST_REVERT, link.words().txAck());
            assertEquals(LinkDirection.UNSET_POSITION, link.words().switchPosition(), "the sender never switched");
            assertEquals(LinkDirection.UNSET_POSITION, link.words().fence(), "no fence was needed");
            assertEquals(0, link.region().ring(0, bed.pool).counters().enqueuedPackets(), "the link carried nothing");
            bed.retire(link);

            bed.stopChildren(sender, receiver);
            assertEquals(0, sender.awaitExit(60), () -> "sender failed: " + LinkTestbed.output(sender));
            assertEquals(0, receiver.awaitExit(60), () -> "receiver failed: " + LinkTestbed.output(receiver));
            assertEquals(0, sender.result("switches"));
            assertEquals(0, receiver.result("fencesPassed"));
            assertEquals(1, receiver.result("detaches"));
            long sent = sender.result("sent");
            assertEquals(sent, bed.portA.stats().rxPackets(), "everything went through the switch");
            assertEquals(sent, receiver.result("received") + bed.portB.stats().txDropped());
            assertEquals(bed.portB.stats().txDropped(), receiver.result("gaps"));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void senderKilledWhileDirectLosesNothingItEnqueued() throws Exception {
        try (LinkTestbed bed = new LinkTestbed()) {
            ChildJvm receiver = bed.startReceiver("counted");
            ChildJvm sender = bed.startSender();
            bed.awaitRegistered(LinkTestbed.SENDER, "p1", sender);
            bed.awaitRegistered(LinkTestbed.RECEIVER, "p2", receiver);
            LinkTestbed.Link link = bed.createLink(1);
            bed.plug(LinkTestbed.SENDER, link);
            bed.plug(LinkTestbed.RECEIVER, link);
            link.words().request(LinkDirection.REQUEST_DIRECT);
            bed.awaitPhase(link, LinkPhase.DIRECT, sender, receiver);
            LinkTestbed.await(() -> link.region().ring(0, bed.pool).counters().dequeuedPackets() > 20_000,
                    "traffic flows on the link", sender, receiver);

            sender.kill();
            // The link manager learns that A's process is gone (/proc/<pid> missing).
            link.gate().producerDead();
            bed.awaitPhase(link, LinkPhase.CLOSED, receiver);
            LinkTestbed.await(() -> link.words().rxState() == LinkDirection.RX_DETACHED,
                    "the receiver drains the link and detaches", receiver);
            assertEquals(LinkDirection.REQUEST_DIRECT, link.words().txAck(), "the sender died on the link");
            long onLink = link.region().ring(0, bed.pool).counters().enqueuedPackets();
            bed.retire(link);

            bed.stopChildren(null, receiver);
            assertEquals(0, receiver.awaitExit(60), () -> "receiver failed: " + LinkTestbed.output(receiver));
            long enqueued = bed.enqueuedOnA() + onLink;
            long drops = bed.portB.stats().txDropped();
            assertEquals(enqueued - 1, receiver.result("last"), "the last packet the dead sender enqueued arrives");
            assertEquals(enqueued, receiver.result("received") + drops,
                    "everything it enqueued on its tx ring or the link arrives once, in order, or is a counted switch drop");
            assertEquals(drops, receiver.result("gaps"));
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void receiverKilledWhileDirectTheSwitchTakesOverTheLinkInOrder() throws Exception {
        try (LinkTestbed bed = new LinkTestbed()) {
            ChildJvm receiver = bed.startReceiver("counted");
            ChildJvm sender = bed.startSender();
            bed.awaitRegistered(LinkTestbed.SENDER, "p1", sender);
            bed.awaitRegistered(LinkTestbed.RECEIVER, "p2", receiver);
            LinkTestbed.Link link = bed.createLink(1);
            bed.plug(LinkTestbed.SENDER, link);
            bed.plug(LinkTestbed.RECEIVER, link);
            link.words().request(LinkDirection.REQUEST_DIRECT);
            bed.awaitPhase(link, LinkPhase.DIRECT, sender, receiver);
            LinkTestbed.await(() -> link.region().ring(0, bed.pool).counters().dequeuedPackets() > 20_000,
                    "traffic flows on the link", sender, receiver);

            receiver.kill();
            long takenByReceiver = link.region().ring(0, bed.pool).consumerPosition();
            link.gate().consumerDead();
            assertTrue(link.words().isConsumerTakenOver());
            // The sender, still on the link, keeps sending: the switch forwards it (B's ring fills, drops are counted).
            LinkTestbed.await(() -> link.gate().traffic().takenOverPackets() > 5_000,
                    "the switch consumes the link ring", sender);
            assertEquals(LinkPhase.DIRECT, link.gate().phase());
            link.words().request(LinkDirection.REQUEST_REVERT);
            bed.awaitPhase(link, LinkPhase.CLOSED, sender);
            LinkTraffic traffic = link.gate().traffic();
            var ring = link.region().ring(0, bed.pool).counters();
            assertEquals(ring.producerPosition(), ring.consumerPosition(), "the link ring is drained");
            assertEquals(ring.enqueuedPackets(), takenByReceiver + traffic.takenOverPackets(),
                    "the switch took exactly what the dead receiver had not");
            assertEquals(ring.enqueuedPackets() - traffic.takenOverPackets(), traffic.directPackets());
            assertEquals(bed.portA.stats().rxPackets() + traffic.takenOverPackets(),
                    bed.portB.stats().txPackets() + bed.portB.stats().txDropped(),
                    "everything the switch took from A or the link went to B or was counted as dropped there");
            assertTrue(bed.portB.stats().txDropped() > 0, "nobody drains B's ring: what does not fit is counted as dropped");
            bed.retire(link);

            // A new receiver on B (same VNF id: the dead one's stale entries are cleared) finds B's ring in order.
            ChildJvm second = bed.startReceiver("resume");
            bed.awaitRegistered(LinkTestbed.RECEIVER, "p2", second);
            bed.stopChildren(sender, second);
            assertEquals(0, sender.awaitExit(60), () -> "sender failed: " + LinkTestbed.output(sender));
            assertEquals(0, second.awaitExit(60), () -> "second receiver failed: " + LinkTestbed.output(second));
            assertEquals(1, second.result("end"), "the end marker, sent through the switch after the revert, arrives");
            assertEquals(sender.result("sent") - 1, second.result("last"));
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void switchRestartWhileDirectAdoptsTheLinkFromItsWords() throws Exception {
        try (LinkTestbed bed = new LinkTestbed()) {
            ChildJvm receiver = bed.startReceiver("counted");
            ChildJvm sender = bed.startSender();
            bed.awaitRegistered(LinkTestbed.SENDER, "p1", sender);
            bed.awaitRegistered(LinkTestbed.RECEIVER, "p2", receiver);
            LinkTestbed.Link link = bed.createLink(1);
            bed.plug(LinkTestbed.SENDER, link);
            bed.plug(LinkTestbed.RECEIVER, link);
            link.words().request(LinkDirection.REQUEST_DIRECT);
            bed.awaitPhase(link, LinkPhase.DIRECT, sender, receiver);
            long throughOldSwitch = bed.portA.stats().rxPackets();

            bed.restartSwitch();
            long onLinkAtRestart = link.region().ring(0, bed.pool).counters().dequeuedPackets();
            LinkTestbed.await(() -> link.region().ring(0, bed.pool).counters().dequeuedPackets() > onLinkAtRestart + 10_000,
                    "direct traffic keeps flowing while no switch runs the link", sender, receiver);
            LinkTestbed.Link adopted = bed.adopt(link);
            assertEquals(LinkPhase.DIRECT, adopted.gate().phase(), "the new switch rebuilt the phase from the words");
            adopted.words().request(LinkDirection.REQUEST_REVERT);
            bed.awaitPhase(adopted, LinkPhase.CLOSED, sender, receiver);
            LinkTestbed.await(() -> adopted.words().rxState() == LinkDirection.RX_DETACHED, "the receiver detaches",
                    receiver);
            long onLink = adopted.gate().traffic().directPackets();
            bed.retire(adopted);

            bed.stopChildren(sender, receiver);
            assertEquals(0, sender.awaitExit(60), () -> "sender failed: " + LinkTestbed.output(sender));
            assertEquals(0, receiver.awaitExit(60), () -> "receiver failed: " + LinkTestbed.output(receiver));
            long sent = sender.result("sent");
            long drops = bed.portB.stats().txDropped();
            assertEquals(sent - 1, receiver.result("last"));
            assertEquals(drops, receiver.result("gaps"));
            assertEquals(sent, receiver.result("received") + drops);
            assertTrue(bed.portA.stats().rxPackets() >= throughOldSwitch, "A's counters live in its region");
            assertEquals(sent, onLink + bed.portA.stats().rxPackets(),
                    "link counters + switch counters == packets sent, across the restart");
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void hostileProtocolWordsAndDevicesAreCountedNeverTrusted() throws Exception {
        try (LinkTestbed bed = new LinkTestbed()) {
            ChildJvm receiver = bed.startReceiver("counted");
            ChildJvm sender = bed.startSender();
            bed.awaitRegistered(LinkTestbed.SENDER, "p1", sender);
            bed.awaitRegistered(LinkTestbed.RECEIVER, "p2", receiver);

            // A "VNF A" acknowledging with a switch position a billion packets ahead, then an ack of 7.
            LinkTestbed.Link forged = bed.createLink(1);
            forged.words().request(LinkDirection.REQUEST_DIRECT);
            forged.words().switchToLink(bed.portA.region().txRing(bed.pool).consumerPosition() + 1_000_000_000L);
            LinkTestbed.await(() -> forged.gate().rejectedWords() >= 1, "the gate refuses the switch position", sender);
            MemorySegment words = forged.region().region().segment()
                    .asSlice(LinkRegionLayout.directionOffset(0), LinkRegionLayout.DIRECTION_LENGTH);
            words.set(ValueLayout.JAVA_LONG, LinkRegionLayout.TX_ACK_OFFSET, 7L);
            LinkTestbed.await(() -> forged.gate().rejectedWords() >= 2, "the gate refuses an ack of 7", sender);
            long forwarded = bed.portA.stats().rxPackets();
            LinkTestbed.await(() -> bed.portA.stats().rxPackets() > forwarded + 10_000,
                    "the switch keeps forwarding A", sender, receiver);
            assertEquals(LinkPhase.WAITING_FOR_ACK, forged.gate().phase());
            forged.gate().detach();

            // Devices that are no link of the receiver's ports: a non-region, and a link between ports 3 and 4.
            java.nio.file.Path junk = bed.dir.path().resolve("junk");
            java.nio.file.Files.write(junk, new byte[8192]);
            bed.plug(LinkTestbed.RECEIVER, "junk", junk);
            LinkRegion others = bed.createRegion(2, 3, 4);
            bed.plug(LinkTestbed.RECEIVER, others.region().name(), others.region().file());

            // A link whose words and ring the test writes as a hostile party would.
            LinkRegion hostile = bed.createRegion(3, LinkTestbed.PORT_A, LinkTestbed.PORT_B);
            LinkDirection hostileWords = hostile.direction(0);
            MemorySegment ring = hostile.region().segment().asSlice(LinkRegionLayout.ringOffset(0, hostile.ringCapacity()));
            for (int i = 0; i < 10; i++) {
                ring.set(ValueLayout.JAVA_INT, RingLayout.SLOTS_OFFSET + 4L * i, -1);
            }
            ring.set(ValueLayout.JAVA_LONG, RingLayout.PRODUCER_POSITION_OFFSET, 10L);
            // Far beyond anything the rx ring can reach during the test.
            long beyond = bed.portB.region().rxRing(bed.pool).producerPosition() + (1L << 50);
            hostileWords.publishFence(beyond);
            long deliveredBefore = bed.portB.stats().txPackets();
            bed.plug(LinkTestbed.RECEIVER, hostile.region().name(), hostile.region().file());
            // Still refusing the fence, the receiver must not read the link: its garbage stays unread.
            // (Delivered packets keep growing; compared with the drops, as before, a receiver slowed by
            // a loaded machine could keep the condition false for good.)
            LinkTestbed.await(() -> bed.portB.stats().txPackets() > deliveredBefore + 10_000,
                    "traffic through the switch goes on", sender, receiver);
            Thread.sleep(200);
            assertEquals(LinkDirection.RX_NOT_READING, hostileWords.rxState(), "a fence beyond the ring is not trusted");
            assertEquals(0, hostile.ring(0, bed.pool).consumerPosition());

            hostileWords.publishFence(bed.portB.region().rxRing(bed.pool).producerPosition());
            LinkTestbed.await(() -> hostileWords.rxState() == LinkDirection.RX_READING, "a plausible fence is passed",
                    receiver);
            LinkTestbed.await(() -> hostile.ring(0, bed.pool).counters().rejectedIndices() == 10,
                    "the ten garbage indices are dropped and counted", receiver);
            ring.set(ValueLayout.JAVA_LONG, RingLayout.PRODUCER_POSITION_OFFSET, 10L + 5 * hostile.ringCapacity());
            LinkTestbed.await(() -> hostile.ring(0, bed.pool).counters().rejectedPositions() > 0,
                    "an impossible producer position is counted", receiver);
            ring.set(ValueLayout.JAVA_LONG, RingLayout.PRODUCER_POSITION_OFFSET, 10L);
            hostileWords.close();
            LinkTestbed.await(() -> hostileWords.rxState() == LinkDirection.RX_DETACHED, "the receiver detaches",
                    receiver);

            bed.stopChildren(sender, receiver);
            assertEquals(0, sender.awaitExit(60), () -> "sender failed: " + LinkTestbed.output(sender));
            assertEquals(0, receiver.awaitExit(60), () -> "receiver failed: " + LinkTestbed.output(receiver));
            assertTrue(receiver.result("rejectedWords") >= 1, "the receiver counted the fence it refused");
            assertEquals(2, receiver.result("ignoredDevices"), "two devices were no link of the receiver's ports");
            long sent = sender.result("sent");
            long drops = bed.portB.stats().txDropped();
            assertEquals(sent, bed.portA.stats().rxPackets(), "all the sender's traffic went through the switch");
            assertEquals(sent, receiver.result("received") + drops, "nothing was lost to the hostile words");
            assertEquals(drops, receiver.result("gaps"));
            others.close();
            hostile.close();
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
