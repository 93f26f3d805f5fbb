package io.shunt.datapath.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.shunt.datapath.device.DeviceDirectoryLayout;
import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkDirection;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionNames;
import io.shunt.datapath.region.ShmDirectory;
import io.shunt.datapath.ring.SpscRing;

/**
 * The guest shim's side of direct links in one process, on real regions in /dev/shm: its
 * registration in the process device directory, and two ports of one VNF (A = port 1 and
 * B = port 2) following the protocol when the test, playing switch and link manager, plugs
 * a link and writes the switch's words by hand. (The protocol against the real engine and
 * real separate processes is in {@code io.shunt.datapath.it.DirectLinkProcessTest}.)
 */
@Timeout(60)
class GuestLinkTest {
    private ShmDirectory dir;
    private Path root;
    private PacketPool pool;
    private PortRegion portA;
    private PortRegion portB;

    @BeforeEach
    void createRegions() throws Exception {
        dir = ShmDirectory.create();
        root = dir.path().resolve("devices-root");
        pool = PacketPool.create(dir.options(), "pool", 2048, 3);
        portA = PortRegion.create(dir.options(), PortRegionNames.regionName("a"), 1, 256, pool, 1);
        portB = PortRegion.create(dir.options(), PortRegionNames.regionName("b"), 2, 256, pool, 1);
    }

    @AfterEach
    void removeRegions() {
        portA.close();
        portB.close();
        pool.close();
        dir.close();
    }

    private GuestOptions options(String vnfId) {
        // No port-region re-creation check (a file stat, which allocates) inside the measured loops:
        // these tests are about links, which the device watcher delivers, not the region check.
        return GuestOptions.defaults().withRegionCheckInterval(Duration.ofDays(1)).withDeviceRoot(root).withVnfId(vnfId);
    }

    @Test
    void deviceDirectoryNamesFollowTheContract() {
        Path regions = Path.of("/dev/shm");
        assertEquals(Path.of("/dev/shm/shunt-devices"), DeviceDirectoryLayout.defaultRoot(regions));
        assertEquals(Path.of("/x"), DeviceDirectoryLayout.resolveRoot(Path.of("/x"), Map.of("SHUNT_DEVICE_ROOT", "/y"),
                regions));
        assertEquals(Path.of("/y"), DeviceDirectoryLayout.resolveRoot(null, Map.of("SHUNT_DEVICE_ROOT", "/y"), regions));
        assertEquals(Path.of("/dev/shm/shunt-devices"), DeviceDirectoryLayout.resolveRoot(null, Map.of(), regions));
        assertEquals("pid-42", DeviceDirectoryLayout.vnfId(null, 42));
        assertEquals(42, DeviceDirectoryLayout.pidOfDerivedVnfId("pid-42"));
        assertEquals(-1, DeviceDirectoryLayout.pidOfDerivedVnfId("fw1"));
        assertEquals(Path.of("/r/fw1/devices/.shunt-link-br0-1-2-7.tmp"),
                DeviceDirectoryLayout.temporaryDeviceEntry(Path.of("/r"), "fw1", "shunt-link-br0-1-2-7"));
        assertEquals(Path.of("/r/fw1/ports/p1"), DeviceDirectoryLayout.portEntry(Path.of("/r"), "fw1", "p1"));
        assertEquals(Path.of("/r/fw1/pid"), DeviceDirectoryLayout.pidFile(Path.of("/r"), "fw1"));
        for (String bad : new String[] {"", "..", ".hidden", "a/b", "nul\0", "x".repeat(256)}) {
            assertThrows(IllegalArgumentException.class, () -> DeviceDirectoryLayout.checkName("vnf id", bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> options("../escape"));
    }

    @Test
    void attachRegistersPidAndPortEntriesAndCloseRemovesThem() throws Exception {
        Path pidFile = DeviceDirectoryLayout.pidFile(root, "vnf1");
        Path entryA = DeviceDirectoryLayout.portEntry(root, "vnf1", "a");
        Path entryB = DeviceDirectoryLayout.portEntry(root, "vnf1", "b");
        GuestPort a = GuestPort.attach(dir.path(), "a", options("vnf1"));
        try (GuestPort b = GuestPort.attach(dir.path(), "b", options("vnf1"))) {
            assertTrue(a.directLinksEnabled() && b.directLinksEnabled());
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(pidFile));
            assertTrue(Files.isSymbolicLink(entryA) && Files.isSymbolicLink(entryB));
            assertEquals(portA.region().file().toAbsolutePath(), Files.readSymbolicLink(entryA));
            assertTrue(Files.isDirectory(DeviceDirectoryLayout.devicesDirectory(root, "vnf1")));
            a.close();
            assertFalse(Files.exists(entryA, java.nio.file.LinkOption.NOFOLLOW_LINKS), "a's entry goes with a");
            assertTrue(Files.isSymbolicLink(entryB), "b's stays");
        }
        assertFalse(Files.exists(DeviceDirectoryLayout.vnfDirectory(root, "vnf1")), "the last port removes the VNF");
    }

    @Test
    void withoutAVnfIdThePidNamesTheVnf() throws Exception {
        try (GuestPort a = GuestPort.attach(dir.path(), "a",
                GuestOptions.defaults().withRegionCheckInterval(Duration.ZERO).withDeviceRoot(root))) {
            assertTrue(Files.isSymbolicLink(DeviceDirectoryLayout.portEntry(root,
                    "pid-" + ProcessHandle.current().pid(), "a")));
        }
    }

    @Test
    void entriesLeftByADeadProcessOfTheSameIdAreCleared() throws Exception {
        Path devices = Files.createDirectories(DeviceDirectoryLayout.devicesDirectory(root, "vnf1"));
        Files.createDirectories(DeviceDirectoryLayout.portsDirectory(root, "vnf1"));
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor(10, TimeUnit.SECONDS);
        Files.writeString(DeviceDirectoryLayout.pidFile(root, "vnf1"), dead.pid() + "\n");
        Files.createSymbolicLink(devices.resolve("shunt-link-br0-1-2-1"), dir.path().resolve("gone"));
        try (GuestPort a = GuestPort.attach(dir.path(), "a", options("vnf1"))) {
            assertFalse(Files.exists(devices.resolve("shunt-link-br0-1-2-1"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
            assertEquals(0, a.linkStats().ignoredDevices(), "the stale device was removed, not offered");
        }
    }

    @Test
    void aDeviceDirectoryThatCannotBeWrittenLeavesThePortOnTheNormalPath() throws Exception {
        Files.writeString(root, "a file where the root directory should be");
        try (GuestPort a = GuestPort.attach(dir.path(), "a", options("vnf1"))) {
            assertFalse(a.directLinksEnabled());
            int[] one = new int[1];
            assertEquals(1, a.allocBurst(one, 1));
            a.newBufferView().wrapNew(one[0]).length(64);
            assertEquals(1, a.txBurst(one, 1));
            assertEquals(1, portA.txRing(pool).count());
        }
    }

    @Test
    void twoPortsOfOneVnfFollowTheProtocolAndAllocateNothingWhileDirect() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (GuestPort a = GuestPort.attach(dir.path(), "a", options("vnf1"));
             GuestPort b = GuestPort.attach(dir.path(), "b", options("vnf1"))) {
            SpscRing switchFromA = portA.txRing(pool);
            SpscRing switchToB = portB.rxRing(pool);
            PacketBuffer view = a.newBufferView();
            int[] bufs = new int[32];
            long[] seq = {0};
            long[] expected = {0};
            // Before the link: 3 packets through the "switch" (the test moves them A.tx -> B.rx).
            send(a, view, bufs, 3, seq);
            int[] moved = new int[32];
            int m = switchFromA.dequeueBurst(moved, 0, 32);
            assertEquals(3, m);

            LinkRegion link = LinkRegion.create(dir.options(), "shunt-link-br0-1-2-9", 9, 1, 2, 1, 256, pool);
            plug("vnf1", link);
            link.direction(0).request(LinkDirection.REQUEST_DIRECT);
            await(() -> a.links().tx != null && b.links().rx.length == 1, "the watcher hands the link to A and B");
            // A switches at its next burst: the switch position is after its 3 packets on the tx ring.
            send(a, view, bufs, 1, seq);
            assertEquals(1, a.linkStats().switches());
            LinkDirection words = link.direction(0);
            assertEquals(LinkDirection.REQUEST_DIRECT, words.txAck());
            assertEquals(3, words.switchPosition());
            long onTxRing = switchFromA.producerPosition();
            assertEquals(3, onTxRing, "nothing went to A's tx ring after the switch");

            // B does not read the link before the fence.
            assertEquals(0, receive(b, bufs, view, expected), "the link waits for the fence");
            assertEquals(LinkDirection.RX_NOT_READING, words.rxState());
            // The "switch" delivers A's 3 packets to B, then publishes the fence after them.
            switchToB.enqueueBurst(moved, 0, m);
            words.publishFence(switchToB.producerPosition());
            int got = 0;
            for (int i = 0; i < 10 && got < (int) seq[0]; i++) {
                got += receive(b, bufs, view, expected);
            }
            assertEquals(seq[0], got, "the 3 switched packets, then the one on the link, in order");
            assertEquals(0, b.linkStats().rejectedWords());
            assertEquals(LinkDirection.RX_READING, words.rxState());

            // Direct: a send-receive loop through the shim allocates nothing.
            Runnable loop = () -> {
                for (int round = 0; round < 2_000; round++) {
                    send(a, view, bufs, 32, seq);
                    int n = 0;
                    while (n < 32) {
                        n += receive(b, bufs, view, expected);
                    }
                }
            };
            // Steady state, not JIT warm-up: until C2 has compiled the loop (slow when the other core is
            // busy), C1 code allocates what escape analysis later removes. A real per-burst allocation
            // shows in every run (2,000 bursts x at least 16 bytes), so the least of a few runs is the
            // figure; every run is bounded.
            loop.run();
            long allocated = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 8 && allocated >= 1024; attempt++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                loop.run();
                allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
            }
            assertTrue(allocated < 1024, "2000 direct bursts allocated " + allocated + " bytes in the least of 8 runs");
            assertEquals(onTxRing, switchFromA.producerPosition(), "A's tx ring untouched while direct");

            // Revert: A goes back to its tx ring at the next burst; B detaches once closed and drained.
            words.request(LinkDirection.REQUEST_REVERT);
            send(a, view, bufs, 2, seq);
            assertEquals(LinkDirection.REQUEST_REVERT, words.txAck());
            assertEquals(onTxRing + 2, switchFromA.producerPosition(), "post-revert packets go to the switch");
            words.close();
            receive(b, bufs, view, expected);
            assertEquals(LinkDirection.RX_DETACHED, words.rxState());
            assertEquals(1, b.linkStats().fencesPassed());
            assertEquals(1, b.linkStats().detaches());
            assertEquals(1, a.linkStats().reverts());

            // Unplugged and released by both ports: the shim unmaps the region.
            Files.delete(DeviceDirectoryLayout.deviceEntry(root, "vnf1", link.region().name()));
            String file = link.region().file().toString();
            await(() -> !mapped(file, 1), "the shim unmaps the link (only the test's mapping is left)");
            link.close();
            m = switchFromA.dequeueBurst(moved, 0, 32);
            pool.freeBurst(moved, 0, m);
        }
    }

    @Test
    void aPairLinkGivesEachPortOneTransmittingAndOneReceivingEnd() throws Exception {
        try (GuestPort a = GuestPort.attach(dir.path(), "a", options("vnf1"));
             GuestPort b = GuestPort.attach(dir.path(), "b", options("vnf2"));
             LinkRegion pair = LinkRegion.create(dir.options(), "shunt-link-br0-1-2-4", 4, 1, 2, 2, 256, pool)) {
            plug("vnf1", pair);
            plug("vnf2", pair);
            await(() -> a.links().tx != null && a.links().rx.length == 1 && b.links().tx != null
                    && b.links().rx.length == 1, "both VNFs get both ends of the pair");
            assertEquals(0, a.links().tx.direction, "A transmits on direction 0 (A => B)");
            assertEquals(1, a.links().rx[0].direction, "and receives direction 1 (B => A)");
            assertEquals(1, b.links().tx.direction);
            assertEquals(0, b.links().rx[0].direction);
            // Unplugged before any request: the ends are released at the ports' next bursts.
            Files.delete(DeviceDirectoryLayout.deviceEntry(root, "vnf1", pair.region().name()));
            Files.delete(DeviceDirectoryLayout.deviceEntry(root, "vnf2", pair.region().name()));
            int[] bufs = new int[32];
            await(() -> {
                a.txBurst(bufs, 0);
                a.rxBurst(bufs, 32);
                b.txBurst(bufs, 0);
                b.rxBurst(bufs, 32);
                return a.links().tx == null && a.links().rx.length == 0 && b.links().tx == null
                        && b.links().rx.length == 0;
            }, "the unplugged pair is released by all four ends");
            String file = pair.region().file().toString();
            await(() -> !mapped(file, 1), "both VNFs unmap it");
            assertEquals(0, a.linkStats().switches() + b.linkStats().switches());
            assertEquals(LinkDirection.REQUEST_NONE, pair.direction(0).txAck());
        }
    }

    /**
     * A port that reads two links loses one (its device unplugged): it goes on receiving,
     * whatever the turn of its sources was when the second link went. A sink VNF died of an
     * index out of bounds there once, when a one-way link was replaced by a pair.
     */
    @Test
    void aReceiverThatLosesOneOfTwoLinksGoesOnReceiving() throws Exception {
        try (GuestPort b = GuestPort.attach(dir.path(), "b", options("vnf2"));
             LinkRegion kept = LinkRegion.create(dir.options(), "shunt-link-br0-1-2-10", 10, 1, 2, 1, 256, pool)) {
            plug("vnf2", kept);
            await(() -> b.links().rx.length == 1, "the first link reaches B");
            int[] bufs = new int[32];
            for (int cycle = 0; cycle < 12; cycle++) {
                try (LinkRegion second = LinkRegion.create(dir.options(), "shunt-link-br0-1-2-" + (11 + cycle),
                        11 + cycle, 1, 2, 1, 256, pool)) {
                    plug("vnf2", second);
                    await(() -> b.links().rx.length == 2, "the second link reaches B");
                    // Leave the turn at each of the three sources in turn (the rx ring, link 1, link 2).
                    for (int i = 0; i < cycle % 3; i++) {
                        assertEquals(0, b.rxBurst(bufs, 32));
                    }
                    Files.delete(DeviceDirectoryLayout.deviceEntry(root, "vnf2", second.region().name()));
                    RxLink gone = b.links().rx[b.links().rx[0].device.region.linkGeneration() == 10 ? 1 : 0];
                    await(() -> gone.device.unplugged, "the watcher sees the unplug");
                    assertEquals(0, b.rxBurst(bufs, 32), "the burst that releases the unplugged link");
                    await(() -> b.links().rx.length == 1, "B is left with one link");
                    // Three: with the turn stepping over 3, then 2 sources, some cycle leaves it past the end.
                    for (int i = 0; i < 3; i++) {
                        assertEquals(0, b.rxBurst(bufs, 32), "bursts with one link fewer");
                    }
                }
            }
            // The rx ring still delivers.
            SpscRing switchToB = portB.rxRing(pool);
            int n = pool.allocBurst(bufs, 0, 8);
            PacketBuffer view = pool.newBufferView();
            for (int i = 0; i < n; i++) {
                view.wrapNew(bufs[i]).length(64);
            }
            assertEquals(n, switchToB.enqueueBurst(bufs, 0, n));
            int got = 0;
            for (int i = 0; i < 3 && got < n; i++) {
                got += b.rxBurst(bufs, 32);
            }
            assertEquals(n, got);
            b.freeBurst(bufs, got);
        }
    }

    private void plug(String vnfId, LinkRegion link) throws Exception {
        Path temporary = DeviceDirectoryLayout.temporaryDeviceEntry(root, vnfId, link.region().name());
        Files.createSymbolicLink(temporary, link.region().file());
        Files.move(temporary, DeviceDirectoryLayout.deviceEntry(root, vnfId, link.region().name()),
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static void send(GuestPort port, PacketBuffer view, int[] bufs, int n, long[] seq) {
        int got = port.allocBurst(bufs, n);
        for (int i = 0; i < got; i++) {
            view.wrapNew(bufs[i]).length(64).putLong(0, seq[0] + i);
        }
        int sent = port.txBurst(bufs, got);
        if (sent != got) {
            throw new AssertionError("sent " + sent + " of " + got);
        }
        seq[0] += got;
    }

    private static int receive(GuestPort port, int[] bufs, PacketBuffer view, long[] expected) {
        int n = port.rxBurst(bufs, 32);
        for (int i = 0; i < n; i++) {
            long s = view.wrap(bufs[i]).getLong(0);
            if (s != expected[0]) {
                throw new AssertionError("sequence " + s + ", expected " + expected[0]);
            }
            expected[0]++;
        }
        port.freeBurst(bufs, n);
        return n;
    }

    /** Whether more than {@code others} mappings of {@code file} are in this process's address space. */
    private static boolean mapped(String file, int others) {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith(file)).count() > others;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }
}
