package io.shunt.datapath.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.shunt.datapath.cache.CacheConfig;
import io.shunt.datapath.device.DeviceDirectoryLayout;
import io.shunt.datapath.engine.ActionProgram;
import io.shunt.datapath.engine.DpAction;
import io.shunt.datapath.engine.DpdkrPort;
import io.shunt.datapath.engine.EngineConfig;
import io.shunt.datapath.engine.FlowCredit;
import io.shunt.datapath.engine.ForwardingEngine;
import io.shunt.datapath.engine.LinkPhase;
import io.shunt.datapath.engine.LinkTxGate;
import io.shunt.datapath.engine.MacLearningTable;
import io.shunt.datapath.engine.Megaflow;
import io.shunt.datapath.flow.FlowField;
import io.shunt.datapath.flow.FlowMask;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkDirection;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionNames;
import io.shunt.datapath.region.ShmDirectory;

/**
 * The switch side of the direct-link tests, in the test JVM: a real pool and two dpdkr port
 * regions in a fresh /dev/shm directory, a forwarding engine whose PMD forwards port 1 (A) to
 * port 2 (B) (the "flow table" is a miss handler answering {@code in_port=1 → output:2}), and
 * the link manager's part played by the test: link regions created, plugged and unplugged
 * through the process device directory (contract-links.md section 1), requests written,
 * {@link LinkTxGate}s attached and detached. The VNFs are child JVMs ({@link LinkSenderVnf} on
 * A, {@link LinkReceiverVnf} on B).
 */
final class LinkTestbed implements AutoCloseable {
    static final int PORT_A = 1;
    static final int PORT_B = 2;
    static final String SENDER = "sender";
    static final String RECEIVER = "receiver";
    static final long CHILD_TIMEOUT_SECONDS = 240;
    private static final int POOL_BUFFERS = 8192;
    private static final int RING_CAPACITY = 1024;

    final ShmDirectory dir;
    final Path deviceRoot;
    final Path stopFile;
    final PacketPool pool;
    private final ActionProgram forward = new ActionProgram(List.of(new DpAction.Output(PORT_B)), FlowCredit.NONE);
    ForwardingEngine engine;
    DpdkrPort portA;
    DpdkrPort portB;
    private final List<ChildJvm> children = new ArrayList<>();

    LinkTestbed() throws IOException {
        dir = ShmDirectory.create();
        deviceRoot = dir.path().resolve(DeviceDirectoryLayout.DEFAULT_ROOT_NAME + "-test");
        stopFile = dir.path().resolve("stop");
        pool = PacketPool.create(dir.options(), "pool", POOL_BUFFERS, 1);
        PortRegion.create(dir.options(), PortRegionNames.regionName("p1"), PORT_A, RING_CAPACITY, pool, 1).close();
        PortRegion.create(dir.options(), PortRegionNames.regionName("p2"), PORT_B, RING_CAPACITY, pool, 1).close();
        startSwitch();
    }

    /** A switch over the port regions in the directory (they outlive it, as vswitchd's do). */
    private void startSwitch() throws IOException {
        FlowMask inPort = FlowMask.builder().exact(FlowField.IN_PORT).build();
        engine = new ForwardingEngine("br0", pool, new EngineConfig(1, 32, 100, 10, 50, CacheConfig.defaults()),
                pmd -> (key, segment, offset, length, in) ->
                        new Megaflow(in == PORT_A ? forward : ActionProgram.DROP, inPort),
                new MacLearningTable(256, 300_000_000_000L));
        portA = new DpdkrPort("p1", PortRegion.attach(PortRegionNames.regionFile(dir.path(), "p1")), pool);
        portB = new DpdkrPort("p2", PortRegion.attach(PortRegionNames.regionFile(dir.path(), "p2")), pool);
        engine.addPort(portA);
        engine.addPort(portB);
        engine.start();
    }

    /**
     * A switch restart as after {@code kill -9 vswitchd}: the engine and its port mappings are
     * gone (what a dead process's PMD held in hand is what a crash loses), a new engine attaches
     * the same port regions; the link regions stay where they are.
     */
    void restartSwitch() throws IOException {
        engine.close();
        startSwitch();
    }

    /** A link region the new switch finds (its name says which it is) with a gate rebuilt from its words. */
    Link adopt(Link link) {
        LinkTxGate gate = LinkTxGate.attach(link.region(), 0, portA, portB, pool);
        return new Link(link.name(), link.region(), gate);
    }

    ChildJvm startSender() throws IOException {
        ChildJvm child = ChildJvm.start(SENDER + "-" + children.size(), dir.path(), LinkSenderVnf.class,
                dir.path().toString(), "p1", deviceRoot.toString(), SENDER, stopFile.toString(),
                String.valueOf(CHILD_TIMEOUT_SECONDS));
        children.add(child);
        return child;
    }

    ChildJvm startReceiver(String mode) throws IOException {
        ChildJvm child = ChildJvm.start(RECEIVER + "-" + children.size(), dir.path(), LinkReceiverVnf.class,
                dir.path().toString(), "p2", deviceRoot.toString(), RECEIVER, mode, stopFile.toString(),
                String.valueOf(CHILD_TIMEOUT_SECONDS));
        children.add(child);
        return child;
    }

    /** Waits until {@code vnfId} registered {@code port} with {@code child}'s pid (the shim did it on attach). */
    void awaitRegistered(String vnfId, String port, ChildJvm child) throws Exception {
        Path pidFile = DeviceDirectoryLayout.pidFile(deviceRoot, vnfId);
        Path portEntry = DeviceDirectoryLayout.portEntry(deviceRoot, vnfId, port);
        await(() -> Files.isSymbolicLink(portEntry) && Files.exists(pidFile)
                && Files.readString(pidFile).equals(child.pid() + "\n"), vnfId + " registers port " + port, child);
    }

    /** A new one-way link A ⇒ B of generation {@code generation}, its gate attached on A's port. */
    Link createLink(long generation) throws IOException {
        LinkRegion region = createRegion(generation, PORT_A, PORT_B);
        LinkTxGate gate = LinkTxGate.attach(region, 0, portA, portB, pool);
        return new Link(region.region().name(), region, gate);
    }

    /** A link region only (no gate): for a link naming other ports, or one the test drives by hand. */
    LinkRegion createRegion(long generation, int from, int to) throws IOException {
        String name = "shunt-link-br0-" + from + "-" + to + "-" + generation;
        return LinkRegion.create(dir.options(), name, generation, from, to, 1, RING_CAPACITY, pool);
    }

    /** Plug: symlink {@code devices/.<dev>.tmp} to the region, renamed to {@code devices/<dev>} (atomic). */
    void plug(String vnfId, Link link) throws IOException {
        plug(vnfId, link.name(), link.region().region().file());
    }

    void plug(String vnfId, String device, Path target) throws IOException {
        Path temporary = DeviceDirectoryLayout.temporaryDeviceEntry(deviceRoot, vnfId, device);
        Files.deleteIfExists(temporary);
        Files.createSymbolicLink(temporary, target);
        Files.move(temporary, DeviceDirectoryLayout.deviceEntry(deviceRoot, vnfId, device),
                StandardCopyOption.ATOMIC_MOVE);
    }

    void unplug(String vnfId, Link link) throws IOException {
        Files.deleteIfExists(DeviceDirectoryLayout.deviceEntry(deviceRoot, vnfId, link.name()));
    }

    /** After a revert: gate off, both devices unplugged, the region freed (the VNFs unmap on their own). */
    void retire(Link link) throws IOException {
        link.gate().detach();
        if (!engine.quiesce(TimeUnit.SECONDS.toNanos(5))) {
            throw new AssertionError("the PMD did not finish a round within 5 s");
        }
        unplug(SENDER, link);
        unplug(RECEIVER, link);
        link.region().close();
        Files.deleteIfExists(link.region().region().file());
    }

    void awaitPhase(Link link, LinkPhase phase, ChildJvm... mustLive) throws Exception {
        await(() -> link.gate().phase() == phase, link.name() + " reaches " + phase + " (is " + link.gate().phase() + ")",
                mustLive);
    }

    /**
     * Stops the VNFs: the sender (if {@code sender} is alive) stops sending data and pauses;
     * once the switch has taken everything from A's tx ring and B's receiver has emptied its rx
     * ring, the sender sends its end marker, which then cannot be dropped at a full ring.
     */
    void stopChildren(ChildJvm sender, ChildJvm receiver) throws Exception {
        Files.writeString(stopFile, "stop\n");
        if (sender == null || !sender.isAlive()) {
            // No end marker will come: the receiver stops once nothing arrives for a while.
            Files.writeString(Path.of(stopFile + ".quiet"), "quiet\n");
            return;
        }
        Path paused = Path.of(stopFile + ".paused");
        await(() -> Files.exists(paused), "the sender pauses", sender);
        await(() -> portA.region().txRing(pool).count() == 0 && portB.region().rxRing(pool).count() == 0,
                "A's tx ring and B's rx ring are drained", sender, receiver);
        Files.writeString(Path.of(stopFile + ".go"), "go\n");
    }

    @Override
    public void close() throws Exception {
        for (ChildJvm child : children) {
            if (child.isAlive()) {
                child.kill();
            }
        }
        engine.close();
        pool.close();
        dir.close();
    }

    record Link(String name, LinkRegion region, LinkTxGate gate) {
        LinkDirection words() {
            return region.direction(0);
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Packets the sender put on A's tx ring (its producer counter). */
    long enqueuedOnA() {
        return portA.region().txRing(pool).counters().enqueuedPackets();
    }

    static void await(Condition condition, String what, ChildJvm... mustLive) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.holds()) {
            for (ChildJvm child : mustLive) {
                if (!child.isAlive()) {
                    throw new AssertionError(child + " exited while waiting until " + what + ": " + output(child));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }

    static String output(ChildJvm child) {
        try {
            return child.output();
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
