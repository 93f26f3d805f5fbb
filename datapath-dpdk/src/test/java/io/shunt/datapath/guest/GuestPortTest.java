package io.shunt.datapath.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionLayout;
import io.shunt.datapath.port.PortRegionNames;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.datapath.region.ShmDirectory;
import io.shunt.datapath.ring.SpscRing;

/**
 * The guest shim against real port and pool regions on /dev/shm. The test plays the switch
 * with the switch-side classes (it creates the regions, produces into rx, consumes tx).
 */
class GuestPortTest {
    private static final int BUFFERS = 2048;
    private static final int RING = 256;
    private static final String PORT = "dpdkr1";

    private ShmDirectory dir;
    private RegionOptions options;
    private PacketPool switchPool;
    private PortRegion switchPort;

    @BeforeEach
    void createRegions() throws Exception {
        dir = ShmDirectory.create();
        options = dir.options();
        switchPool = PacketPool.create(options, "pool-br0", BUFFERS, 7);
        switchPort = PortRegion.create(options, PortRegionNames.regionName(PORT), 1, RING, switchPool, 1);
    }

    @AfterEach
    void removeRegions() {
        switchPort.close();
        switchPool.close();
        dir.close();
    }

    private static GuestOptions noAutomaticCheck() {
        return GuestOptions.defaults().withRegionCheckInterval(Duration.ZERO);
    }

    @Test
    void portRegionFileIsNamedAfterThePort() {
        assertEquals(dir.path().resolve("shunt-port-dpdkr1"), PortRegionNames.regionFile(dir.path(), "dpdkr1"));
        assertEquals("dpdkr1", PortRegionNames.portName(PortRegionNames.regionName("dpdkr1")));
        assertThrows(IllegalArgumentException.class, () -> PortRegionNames.regionName("a/b"));
        assertThrows(IllegalArgumentException.class, () -> PortRegionNames.regionName("x".repeat(60)));
    }

    @Test
    void guestSendsAndReceivesThroughThePortRingsInOrder() throws Exception {
        try (GuestPort guest = GuestPort.attach(dir.path(), PORT, noAutomaticCheck())) {
            assertEquals(1, guest.portNumber());
            assertEquals("pool-br0", guest.poolName());
            int[] bufs = new int[32];
            assertEquals(32, guest.allocBurst(bufs, 32));
            PacketBuffer view = guest.newBufferView();
            for (int i = 0; i < 32; i++) {
                view.wrapNew(bufs[i]).length(64).putLong(0, i);
            }
            assertEquals(32, guest.txBurst(bufs, 32));

            // Switch side: take the tx burst and send it back on rx.
            SpscRing tx = switchPort.txRing(switchPool);
            SpscRing rx = switchPort.rxRing(switchPool);
            int[] moved = new int[32];
            assertEquals(32, tx.dequeueBurst(moved, 0, 32));
            assertEquals(32, rx.enqueueBurst(moved, 0, 32));

            int[] got = new int[64];
            assertEquals(32, guest.rxBurst(got, 64));
            for (int i = 0; i < 32; i++) {
                assertEquals(i, view.wrap(got[i]).getLong(0), "packet " + i + " in order");
                assertEquals(64, view.length());
            }
            guest.freeBurst(got, 32);
            assertEquals(0, guest.rxBurst(got, 64), "nothing more arrived");
            assertEquals(32, guest.txCounters().enqueuedPackets());
            assertEquals(32 * 64, guest.txCounters().enqueuedBytes());
        }
        assertEquals(BUFFERS, switchPool.freeCount(), "close returns the cached buffers to the pool");
    }

    @Test
    void fullTxRingTakesPartOfABurstAndDropTxCountsTheRest() throws Exception {
        try (GuestPort guest = GuestPort.attach(dir.path(), PORT, noAutomaticCheck())) {
            int[] bufs = new int[RING + 10];
            assertEquals(RING + 10, guest.allocBurst(bufs, RING + 10));
            PacketBuffer view = guest.newBufferView();
            for (int i = 0; i < bufs.length; i++) {
                view.wrapNew(bufs[i]).length(60);
            }
            int sent = guest.txBurst(bufs, RING + 10);
            assertEquals(RING, sent, "the ring takes what fits");
            guest.dropTx(bufs, sent, 10);
            assertEquals(10, guest.txCounters().droppedPackets());
            int[] drained = new int[RING];
            assertEquals(RING, switchPort.txRing(switchPool).dequeueBurst(drained, 0, RING));
            switchPool.freeBurst(drained, 0, RING);
        }
        assertEquals(BUFFERS, switchPool.freeCount());
    }

    @Test
    void attachAnnouncesTheVnfAndPollingBeatsItsHeartbeat() throws Exception {
        try (GuestPort guest = GuestPort.attach(dir.path(), PORT, noAutomaticCheck().withAnnouncedPid(4242))) {
            assertEquals(PortRegionLayout.CONTROL_VERSION, switchPort.control().vnfControlVersion());
            assertEquals(4242, switchPort.control().vnfPid());
            long before = switchPort.control().vnfHeartbeat();
            int[] bufs = new int[32];
            for (int i = 0; i < 10 * GuestPort.HEARTBEAT_EVERY; i++) {
                guest.rxBurst(bufs, 32);
            }
            assertEquals(before + 10, switchPort.control().vnfHeartbeat(), "one beat per " + GuestPort.HEARTBEAT_EVERY
                    + " polls of an empty ring");
        }
        assertEquals(0, switchPort.control().vnfControlVersion(), "close withdraws the announcement");
    }

    @Test
    void unknownPortNameFailsNamingTheExpectedFile() {
        GuestAttachException e = assertThrows(GuestAttachException.class,
                () -> GuestPort.attach(dir.path(), "dpdkr9", noAutomaticCheck()));
        Path expected = dir.path().resolve("shunt-port-dpdkr9");
        assertEquals(expected, e.file());
        assertTrue(e.getMessage().contains(expected.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("no such port region"), e.getMessage());
    }

    @Test
    void aFileThatIsNotAPortRegionIsRejectedWithItsPath() throws Exception {
        Path pool = dir.path().resolve(PortRegionNames.regionName("dpdkr5"));
        Files.copy(switchPool.region().file(), pool);
        GuestAttachException e = assertThrows(GuestAttachException.class,
                () -> GuestPort.attach(dir.path(), "dpdkr5", noAutomaticCheck()));
        assertTrue(e.getMessage().contains(pool.toString()) && e.getMessage().contains("expected PORT"), e.getMessage());
    }

    @Test
    void aPoolOfAnotherGenerationIsRejected() throws Exception {
        switchPool.region().delete();
        try (PacketPool other = PacketPool.create(options, "pool-br0", BUFFERS, 8)) {
            GuestAttachException e = assertThrows(GuestAttachException.class,
                    () -> GuestPort.attach(dir.path(), PORT, noAutomaticCheck()));
            assertEquals(other.region().file(), e.file());
            assertTrue(e.getMessage().contains("generation 7") && e.getMessage().contains("generation 8"),
                    e.getMessage());
        }
        switchPool = PacketPool.create(options, "pool-br0-again", 1, 1);
    }

    @Test
    void aMissingPoolIsReportedWithTheNameThePortGives() throws Exception {
        switchPool.region().delete();
        GuestAttachException e = assertThrows(GuestAttachException.class,
                () -> GuestPort.attach(dir.path(), PORT, noAutomaticCheck()));
        assertEquals(dir.path().resolve("pool-br0"), e.file());
        assertTrue(e.getMessage().contains("names pool 'pool-br0'"), e.getMessage());
        switchPool = PacketPool.create(options, "pool-br0-again", 1, 1);
    }

    @Test
    void aSwitchRestartThatKeepsTheRegionsChangesNothingForTheVnf() throws Exception {
        try (GuestPort guest = GuestPort.attach(dir.path(), PORT, noAutomaticCheck())) {
            // The switch exits (unmaps) and a new one attaches the persisted regions.
            switchPort.close();
            switchPool.close();
            switchPool = PacketPool.attach(dir.path().resolve("pool-br0"));
            switchPort = PortRegion.attach(PortRegionNames.regionFile(dir.path(), PORT));

            assertFalse(guest.checkRegion(), "same file: nothing to re-attach");
            assertEquals(0, guest.reattachments());
            int[] bufs = new int[8];
            assertEquals(8, guest.allocBurst(bufs, 8));
            for (int b : bufs) {
                guest.newBufferView().wrapNew(b).length(60);
            }
            assertEquals(8, guest.txBurst(bufs, 8));
            int[] got = new int[8];
            assertEquals(8, switchPort.txRing(switchPool).dequeueBurst(got, 0, 8), "the new switch sees the packets");
            switchPool.freeBurst(got, 0, 8);
        }
    }

    @Test
    void aRecreatedRegionIsFollowedWithoutLosingOrReorderingPackets() throws Exception {
        try (GuestPort guest = GuestPort.attach(dir.path(), PORT, noAutomaticCheck())) {
            PacketBuffer view = guest.newBufferView();
            SpscRing oldRx = switchPort.rxRing(switchPool);
            // Old switch: 5 packets waiting on rx (seq 0..4). VNF: 3 packets waiting on tx (seq 100..102).
            int[] bufs = new int[8];
            assertEquals(8, switchPool.allocBurst(bufs, 0, 8));
            for (int i = 0; i < 5; i++) {
                view.wrapNew(bufs[i]).length(60).putLong(0, i);
            }
            assertEquals(5, oldRx.enqueueBurst(bufs, 0, 5));
            for (int i = 0; i < 3; i++) {
                view.wrapNew(bufs[5 + i]).length(60).putLong(0, 100 + i);
            }
            assertEquals(3, guest.txBurst(bufs, 5, 3));

            // The switch re-creates the port region (new file, generation 2) with the same pool.
            long oldGeneration = guest.generation();
            switchPort.region().delete();
            switchPort = PortRegion.create(options, PortRegionNames.regionName(PORT), 1, RING, switchPool, 2);
            SpscRing newRx = switchPort.rxRing(switchPool);
            SpscRing newTx = switchPort.txRing(switchPool);
            assertEquals(2, switchPool.allocBurst(bufs, 0, 2));
            view.wrapNew(bufs[0]).length(60).putLong(0, 5);
            view.wrapNew(bufs[1]).length(60).putLong(0, 6);
            assertEquals(2, newRx.enqueueBurst(bufs, 0, 2));

            assertTrue(guest.checkRegion());
            assertEquals(1, guest.reattachments());
            assertEquals(2, guest.generation());
            assertTrue(oldGeneration != guest.generation());

            int[] got = new int[16];
            int n = 0;
            for (int polls = 0; polls < 10 && n < 7; polls++) {
                n += guest.rxBurst(got, n, 16 - n);
            }
            assertEquals(7, n, "old rx leftovers, then the new ring");
            for (int i = 0; i < 7; i++) {
                assertEquals(i, view.wrap(got[i]).getLong(0), "rx order across the re-creation");
            }
            guest.freeBurst(got, 7);

            assertEquals(1, guest.allocBurst(bufs, 1));
            view.wrapNew(bufs[0]).length(60).putLong(0, 103);
            assertEquals(1, guest.txBurst(bufs, 1));
            assertEquals(4, newTx.dequeueBurst(got, 0, 16), "tx leftovers moved ahead of the new packet");
            for (int i = 0; i < 4; i++) {
                assertEquals(100 + i, view.wrap(got[i]).getLong(0));
            }
            switchPool.freeBurst(got, 0, 4);
        }
        assertEquals(BUFFERS, switchPool.freeCount(), "no buffer lost across the re-creation");
    }

    @Test
    void twoRecreationsInARowStillDeliverRxInOrder() throws Exception {
        try (GuestPort guest = GuestPort.attach(dir.path(), PORT, noAutomaticCheck())) {
            PacketBuffer view = guest.newBufferView();
            int[] bufs = new int[1];
            long seq = 0;
            for (long generation = 2; generation <= 3; generation++) {
                // Two packets wait in the current rx ring, then the switch replaces the region.
                SpscRing rx = switchPort.rxRing(switchPool);
                for (int i = 0; i < 2; i++) {
                    assertEquals(1, switchPool.allocBurst(bufs, 0, 1));
                    view.wrapNew(bufs[0]).length(60).putLong(0, seq++);
                    assertEquals(1, rx.enqueueBurst(bufs, 0, 1));
                }
                switchPort.region().delete();
                switchPort = PortRegion.create(options, PortRegionNames.regionName(PORT), 1, RING, switchPool,
                        generation);
                assertTrue(guest.checkRegion());
                if (generation == 2) {
                    int[] first = new int[1];
                    assertEquals(1, guest.rxBurst(first, 1), "the guest starts draining the first old ring");
                    assertEquals(0, view.wrap(first[0]).getLong(0));
                    guest.freeBurst(first, 1);
                }
            }
            assertEquals(1, switchPool.allocBurst(bufs, 0, 1));
            view.wrapNew(bufs[0]).length(60).putLong(0, seq++);
            assertEquals(1, switchPort.rxRing(switchPool).enqueueBurst(bufs, 0, 1));

            int[] got = new int[16];
            int n = 0;
            for (int polls = 0; polls < 20 && n < 4; polls++) {
                n += guest.rxBurst(got, n, 16 - n);
            }
            assertEquals(4, n);
            for (int i = 0; i < 4; i++) {
                assertEquals(i + 1, view.wrap(got[i]).getLong(0), "first old ring, second old ring, then the new one");
            }
            guest.freeBurst(got, 4);
            assertEquals(2, guest.reattachments());
        }
        assertEquals(BUFFERS, switchPool.freeCount());
    }

    @Test
    void theRegionCheckRunsFromThePollingLoop() throws Exception {
        GuestOptions fast = GuestOptions.defaults().withRegionCheckInterval(Duration.ofMillis(1));
        try (GuestPort guest = GuestPort.attach(dir.path(), PORT, fast)) {
            switchPort.region().delete();
            switchPort = PortRegion.create(options, PortRegionNames.regionName(PORT), 1, RING, switchPool, 3);
            int[] bufs = new int[32];
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (guest.reattachments() == 0 && System.nanoTime() < deadline) {
                guest.rxBurst(bufs, 32);
                Thread.onSpinWait();
            }
            assertEquals(1, guest.reattachments(), "polling alone follows the re-created region");
            assertEquals(3, guest.generation());
            assertEquals(PortRegionLayout.CONTROL_VERSION, switchPort.control().vnfControlVersion(),
                    "the VNF announces itself in the new region");
        }
    }

    @Test
    void aRecreatedRegionWithAnotherPoolIsNotFollowed() throws Exception {
        try (GuestPort guest = GuestPort.attach(dir.path(), PORT, noAutomaticCheck());
             PacketPool newPool = PacketPool.create(options, "pool-br0-v2", BUFFERS, 9)) {
            switchPort.region().delete();
            switchPort = PortRegion.create(options, PortRegionNames.regionName(PORT), 1, RING, newPool, 4);
            assertFalse(guest.checkRegion());
            assertTrue(guest.poolReplaced());
            assertEquals(1, guest.generation(), "still on the old region");
            try (GuestPort again = GuestPort.attach(dir.path(), PORT, noAutomaticCheck())) {
                assertEquals("pool-br0-v2", again.poolName(), "a fresh attach uses the new pool");
                assertEquals(4, again.generation());
            }
        }
    }
}
