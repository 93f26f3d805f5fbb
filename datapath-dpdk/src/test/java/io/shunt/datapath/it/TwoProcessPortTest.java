package io.shunt.datapath.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.pool.PoolCache;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.datapath.region.ShmDirectory;
import io.shunt.datapath.ring.RingCounters;

/**
 * Two separate JVMs move packets through a real port region: the producer (switch side)
 * allocates from the shared pool and writes a sequence number into each buffer, the
 * consumer (VNF side) checks order, loss and duplication and frees. The test JVM only
 * creates the regions and reads the ring counters, as the switch's statistics would.
 */
class TwoProcessPortTest {
    private static final int POOL_BUFFERS = 4096;
    private static final int RING_CAPACITY = 1024;
    private static final long PACKETS = 10_000_000;
    private static final long CHILD_TIMEOUT_SECONDS = 150;

    @Test
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void tenMillionPacketsCrossTwoProcessesInOrderOnDevShm() throws Exception {
        try (ShmDirectory dir = ShmDirectory.create()) {
            exchangeInOrder(dir, dir.path());
        }
    }

    @Test
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void tenMillionPacketsCrossTwoProcessesInOrderOnHugetlbfs() throws Exception {
        String unavailable = ShmDirectory.hugetlbfsUnavailableReason();
        Assumptions.assumeTrue(unavailable == null, () -> "hugetlbfs test skipped: " + unavailable);
        try (ShmDirectory dir = ShmDirectory.createUnder(ShmDirectory.HUGEPAGES);
             ShmDirectory logs = ShmDirectory.create()) {
            exchangeInOrder(dir, logs.path());
        }
    }

    /** {@code logs}: where child output goes (not hugetlbfs: its files cannot be written through). */
    private void exchangeInOrder(ShmDirectory dir, Path logs) throws Exception {
        RegionOptions options = dir.options();
        try (PacketPool pool = PacketPool.create(options, "pool", POOL_BUFFERS, 1);
             PortRegion port = PortRegion.create(options, "port1", 1, RING_CAPACITY, pool, 1)) {
            ChildJvm consumer = ChildJvm.start("consumer", logs, PortTrafficConsumer.class,
                    pool.region().file().toString(), port.region().file().toString(), "strict",
                    String.valueOf(CHILD_TIMEOUT_SECONDS));
            ChildJvm producer = ChildJvm.start("producer", logs, PortTrafficProducer.class,
                    pool.region().file().toString(), port.region().file().toString(), String.valueOf(PACKETS), "wait",
                    String.valueOf(CHILD_TIMEOUT_SECONDS));
            assertEquals(0, producer.awaitExit(CHILD_TIMEOUT_SECONDS + 20), () -> "producer failed: " + output(producer));
            assertEquals(0, consumer.awaitExit(CHILD_TIMEOUT_SECONDS + 20), () -> "consumer failed: " + output(consumer));

            assertEquals(PACKETS + 1, consumer.result("received"), "every packet and the end marker arrive once");
            assertEquals(PACKETS, consumer.result("last"));
            assertEquals(0, consumer.result("gaps"));
            RingCounters counters = port.rxRing(pool).counters();
            assertEquals(PACKETS + 1, counters.enqueuedPackets());
            assertEquals((PACKETS + 1) * PortTrafficProducer.FRAME, counters.enqueuedBytes());
            assertEquals(PACKETS + 1, counters.dequeuedPackets());
            assertEquals(0, counters.droppedPackets());
            assertEquals(0, counters.rejected());
            assertEquals(POOL_BUFFERS, pool.freeCount(), "both processes returned every buffer");
        }
    }

    @Test
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void consumerKilledMidRunProducerCountsDropsAndRestartedConsumerResumesInOrder() throws Exception {
        long packets = 3_000_000;
        try (ShmDirectory dir = ShmDirectory.create();
             PacketPool pool = PacketPool.create(dir.options(), "pool", POOL_BUFFERS, 1);
             PortRegion port = PortRegion.create(dir.options(), "port1", 1, RING_CAPACITY, pool, 1)) {
            String poolFile = pool.region().file().toString();
            String portFile = port.region().file().toString();
            var observer = port.rxRing(pool);

            ChildJvm first = ChildJvm.start("consumer-1", dir.path(), PortTrafficConsumer.class, poolFile, portFile,
                    "resume", String.valueOf(CHILD_TIMEOUT_SECONDS));
            ChildJvm producer = ChildJvm.start("producer", dir.path(), PortTrafficProducer.class, poolFile, portFile,
                    String.valueOf(packets), "drop", String.valueOf(CHILD_TIMEOUT_SECONDS));

            awaitCondition(() -> observer.consumerPosition() >= 100_000, "consumer-1 takes 100000 packets", first);
            first.kill();
            long consumedByFirst = observer.consumerPosition();

            // The producer keeps running against a full ring and counts what it cannot send.
            long dropsAtKill = observer.counters().droppedPackets();
            awaitCondition(() -> observer.counters().droppedPackets() >= dropsAtKill + 50_000
                            && observer.count() == RING_CAPACITY,
                    "the producer finds the ring full and counts drops while nobody consumes", producer);
            assertTrue(producer.isAlive(), "the producer keeps running while the consumer is dead");
            assertEquals(consumedByFirst, observer.consumerPosition(), "nobody consumes while the consumer is dead");

            ChildJvm second = ChildJvm.start("consumer-2", dir.path(), PortTrafficConsumer.class, poolFile, portFile,
                    "resume", String.valueOf(CHILD_TIMEOUT_SECONDS));
            assertEquals(0, producer.awaitExit(CHILD_TIMEOUT_SECONDS + 20), () -> "producer failed: " + output(producer));
            assertEquals(0, second.awaitExit(CHILD_TIMEOUT_SECONDS + 20), () -> "consumer-2 failed: " + output(second));

            long firstSeen = second.result("first");
            assertEquals(packets, second.result("last"), "the restarted consumer reaches the end marker");
            assertEquals(packets - firstSeen, second.result("received") - 1 + second.result("gaps"),
                    "every sequence number after the restart is received or accounted as a producer drop");
            assertEquals(consumedByFirst, second.result("firstPosition"),
                    "the restarted consumer resumes exactly at the ring's consumer position");
            RingCounters counters = observer.counters();
            assertEquals(producer.result("dropped"), counters.droppedPackets(), "drops are counted in the ring");
            assertTrue(counters.droppedPackets() > 0);
            assertEquals(counters.producerPosition(), counters.consumerPosition(), "the ring is drained");
            assertEquals(packets + 1, counters.enqueuedPackets() + counters.droppedPackets(),
                    "every packet was either enqueued or counted as dropped");
            // Only what the killed consumer held can be missing: its cache and its last burst.
            int leakBound = PoolCache.DEFAULT_SIZE * 3 / 2 + PortTrafficProducer.BURST;
            assertTrue(pool.freeCount() >= POOL_BUFFERS - leakBound,
                    "free buffers " + pool.freeCount() + ": lost more than the dead consumer could hold");
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitCondition(Condition condition, String what, ChildJvm mustLive) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.holds()) {
            if (!mustLive.isAlive()) {
                throw new AssertionError(mustLive + " exited while waiting until " + what + ": " + output(mustLive));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private static String output(ChildJvm child) {
        try {
            return child.output();
        } catch (Exception e) {
            return "(no output: " + e + ")";
        }
    }
}
