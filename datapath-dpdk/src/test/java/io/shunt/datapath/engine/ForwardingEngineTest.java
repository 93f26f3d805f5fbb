package io.shunt.datapath.engine;

import io.shunt.datapath.cache.CacheConfig;
import io.shunt.datapath.flow.FlowField;
import io.shunt.datapath.flow.FlowMask;
import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.datapath.ring.SpscRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine on real shared memory: a pool and dpdkr port regions in /dev/shm, the VNF side
 * through second mappings of the same files. The miss handler stands in for vswitchd's
 * OpenFlow pipeline with a fixed program per input port.
 */
@Timeout(60)
class ForwardingEngineTest {
    private static final long MAC_A = 0x020000000001L;
    private static final long MAC_B = 0x020000000002L;
    private static final long MAC_X = 0x02000000abcdL;

    private Path dir;
    private PacketPool pool;
    private ForwardingEngine engine;
    private final List<SpscRing[]> vnf = new ArrayList<>();
    private final AtomicReference<ActionProgram> program = new AtomicReference<>(ActionProgram.DROP);
    private final AtomicInteger upcalls = new AtomicInteger();
    private final Set<Integer> upcallInPorts = ConcurrentHashMap.newKeySet();
    private final MacLearningTable macs = new MacLearningTable(256, 300_000_000_000L);

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory(Path.of("/dev/shm"), "engine-test");
        pool = PacketPool.create(RegionOptions.in(dir), "pool", 2048, 1);
    }

    private void start(int pmds, int ports) throws Exception {
        EngineConfig config = new EngineConfig(pmds, 32, 100, 10, 50, CacheConfig.defaults().withEmcInsertInvProb(1));
        engine = new ForwardingEngine("test", pool, config, pmd -> (key, segment, offset, length, inPort) -> {
            upcalls.incrementAndGet();
            upcallInPorts.add(inPort);
            return new Megaflow(program.get(), FlowMask.builder().exact(FlowField.IN_PORT).build());
        }, macs);
        for (int p = 1; p <= ports; p++) {
            addPort("port" + p, p);
        }
        engine.start();
    }

    /** A dpdkr port numbered {@code no}, with its VNF side mapped; LOCAL must be added last. */
    private void addPort(String name, int no) throws Exception {
        PortRegion host = PortRegion.create(RegionOptions.in(dir), name, no, 256, pool, 1);
        engine.addPort(new DpdkrPort(name, host, pool));
        PortRegion guest = PortRegion.attach(dir.resolve(name));
        PacketPool guestPool = PacketPool.attach(dir.resolve("pool"));
        vnf.add(new SpscRing[] {guest.rxRing(guestPool), guest.txRing(guestPool)});
    }

    /** The VNF-side rings of {@code port}: ports 1..n in order, then LOCAL. */
    private SpscRing[] rings(int port) {
        return vnf.get(port == ForwardingEngine.LOCAL_PORT_NO ? vnf.size() - 1 : port - 1);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (engine != null) {
            engine.close();
        }
        pool.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private void send(int port, long dst, long seq) {
        send(port, dst, MAC_A, seq);
    }

    private void send(int port, long dst, long src, long seq) {
        int[] one = new int[1];
        assertEquals(1, pool.allocBurst(one, 0, 1));
        PacketBuffer b = pool.newBufferView().wrapNew(one[0]);
        b.putShort(0, (int) (dst >>> 32)).putInt(2, (int) dst);
        b.putShort(6, (int) (src >>> 32)).putInt(8, (int) src);
        b.putShort(12, 0x88b5).putLong(14, seq).putLong(22, 0).putLong(30, 0).putLong(38, 0).putLong(46, 0)
                .putLong(54, 0).putShort(62, 0);
        b.length(64);
        assertEquals(1, rings(port)[1].enqueueBurst(one, 0, 1));
    }

    /** Receives what the switch sent to {@code port}: each frame's (dst MAC, sequence); frees the buffers. */
    private List<long[]> receive(int port, int expected) throws InterruptedException {
        return receive(port, expected, 10_000);
    }

    private List<long[]> receive(int port, int expected, long timeoutMillis) throws InterruptedException {
        List<long[]> out = new ArrayList<>();
        int[] idx = new int[32];
        PacketBuffer b = pool.newBufferView();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (out.size() < expected && System.nanoTime() < deadline) {
            int n = rings(port)[0].dequeueBurst(idx, 0, idx.length);
            for (int i = 0; i < n; i++) {
                b.wrap(idx[i]);
                out.add(new long[] {((long) b.getShort(0) << 32) | (b.getInt(2) & 0xffffffffL), b.getLong(14)});
            }
            pool.freeBurst(idx, 0, n);
            if (n == 0) {
                Thread.sleep(1);
            }
        }
        return out;
    }

    @Test
    void anEditBetweenTwoOutputsDoesNotChangeWhatTheFirstOneSent() throws Exception {
        start(1, 3);
        int free = pool.freeCount();
        program.set(new ActionProgram(List.of(new DpAction.Output(2), new DpAction.SetEthDst(MAC_X),
                new DpAction.Output(3)), FlowCredit.NONE));
        for (int i = 0; i < 100; i++) {
            send(1, MAC_B, i);
        }
        List<long[]> two = receive(2, 100);
        List<long[]> three = receive(3, 100);
        assertEquals(100, two.size());
        assertEquals(100, three.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(MAC_B, two.get(i)[0]);
            assertEquals(i, two.get(i)[1]);
            assertEquals(MAC_X, three.get(i)[0]);
            assertEquals(i, three.get(i)[1]);
        }
        assertEquals(1, upcalls.get(), "one megaflow for the one in_port");
        engine.close();
        assertEquals(free, pool.freeCount(), "every buffer back in the pool");
    }

    @Test
    void floodAndCreditsCountEveryPacketOnce() throws Exception {
        start(1, 4);
        AtomicLong packets = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        program.set(new ActionProgram(List.of(new DpAction.Flood(false)), (p, b, now) -> {
            packets.addAndGet(p);
            bytes.addAndGet(b);
        }));
        // 200 frames: their 600 copies fit the 256-slot rings of the three receivers.
        for (int i = 0; i < 200; i++) {
            send(2, MAC_B, i);
        }
        for (int port : new int[] {1, 3, 4}) {
            List<long[]> got = receive(port, 200);
            assertEquals(200, got.size(), "port " + port);
            assertEquals(199, got.get(199)[1]);
        }
        assertEquals(0, receive(2, 1, 300).size(), "never back to the input port");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (packets.get() < 200 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(200, packets.get());
        assertEquals(200 * 64, bytes.get());
        assertEquals(600, engine.port(1).stats().txPackets() + engine.port(3).stats().txPackets()
                + engine.port(4).stats().txPackets());
    }

    @Test
    void afterAGenerationChangeEveryPmdUsesTheNewProgram() throws Exception {
        start(2, 3);
        program.set(new ActionProgram(List.of(new DpAction.Output(2)), FlowCredit.NONE));
        for (int i = 0; i < 50; i++) {
            send(1, MAC_B, i);
        }
        assertEquals(50, receive(2, 50).size());
        program.set(new ActionProgram(List.of(new DpAction.Output(3)), FlowCredit.NONE));
        assertTrue(engine.flowTablesChanged(5_000_000_000L), "both PMDs reached the new generation");
        for (int i = 50; i < 100; i++) {
            send(1, MAC_B, i);
        }
        List<long[]> three = receive(3, 50);
        assertEquals(50, three.size());
        assertEquals(50, three.get(0)[1]);
        assertEquals(0, receive(2, 1, 300).size(), "nothing follows the old megaflow");
    }

    @Test
    void aRefusingMeterDropsAndCounts() throws Exception {
        start(1, 2);
        AtomicInteger admitted = new AtomicInteger();
        program.set(new ActionProgram(List.of(new DpAction.Meter((b, now) -> admitted.incrementAndGet() <= 10),
                new DpAction.Output(2)), FlowCredit.NONE));
        for (int i = 0; i < 30; i++) {
            send(1, MAC_B, i);
        }
        assertEquals(10, receive(2, 10).size());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (engine.pmdStats().get(0).drops().get(DropReason.METER) < 20 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(20, engine.pmdStats().get(0).drops().get(DropReason.METER));
        assertEquals(30, engine.pmdStats().get(0).packets());
    }

    @Test
    void theLocalPortIsAnOutputAFloodTargetAndAnInPortAndANoPortDropOnceRemoved() throws Exception {
        int local = ForwardingEngine.LOCAL_PORT_NO;
        start(1, 2);
        addPort("local", local);
        assertEquals(List.of(1, 2, local), engine.ports().stream().map(PortDriver::portNo).toList(),
                "LOCAL listed last, as OpenFlow orders port numbers (unsigned)");
        program.set(new ActionProgram(List.of(new DpAction.Output(local)), FlowCredit.NONE));
        for (int i = 0; i < 20; i++) {
            send(1, MAC_B, i);
        }
        assertEquals(20, receive(local, 20).size());
        assertEquals(20, engine.port(local).stats().txPackets());

        program.set(new ActionProgram(List.of(new DpAction.Flood(false)), FlowCredit.NONE));
        assertTrue(engine.flowTablesChanged(5_000_000_000L));
        for (int i = 0; i < 20; i++) {
            send(local, MAC_B, i);
        }
        assertEquals(20, receive(1, 20).size());
        assertEquals(20, receive(2, 20).size());
        assertEquals(0, receive(local, 1, 300).size(), "a flood never goes back to LOCAL, its in_port");
        assertTrue(upcallInPorts.contains(local), "the miss handler saw in_port LOCAL: " + upcallInPorts);
        for (int i = 0; i < 20; i++) {
            send(2, MAC_B, i);
        }
        assertEquals(20, receive(local, 20).size(), "a flood from port 2 includes LOCAL");
        assertEquals(20, receive(1, 20).size());

        PortDriver removed = engine.removePort(local);
        removed.close();
        assertNull(engine.port(local));
        program.set(new ActionProgram(List.of(new DpAction.Output(local)), FlowCredit.NONE));
        assertTrue(engine.flowTablesChanged(5_000_000_000L));
        long before = engine.pmdStats().get(0).drops().get(DropReason.NO_PORT);
        for (int i = 0; i < 10; i++) {
            send(1, MAC_B, i);
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (engine.pmdStats().get(0).drops().get(DropReason.NO_PORT) < before + 10 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(before + 10, engine.pmdStats().get(0).drops().get(DropReason.NO_PORT));
    }

    @Test
    void removingAPortForgetsTheAddressesLearnedOnItSoNormalFloodsThemAgain() throws Exception {
        start(1, 3);
        program.set(new ActionProgram(List.of(new DpAction.Normal()), FlowCredit.NONE));
        send(3, MAC_B, MAC_A, 0); // MAC_A learned on port 3; MAC_B unknown: flooded
        assertEquals(1, receive(1, 1).size());
        assertEquals(1, receive(2, 1).size());
        send(1, MAC_A, MAC_B, 1);
        assertEquals(1, receive(3, 1).size(), "MAC_A was learned on port 3");
        assertEquals(0, receive(2, 1, 300).size(), "a known address is not flooded");
        engine.removePort(3).close();
        send(1, MAC_A, MAC_B, 2);
        assertEquals(1, receive(2, 1).size(), "MAC_A flooded again once its port is gone");
        long noPort = engine.pmdStats().get(0).drops().get(DropReason.NO_PORT);
        assertEquals(0, noPort, "nothing sent to the deleted port");
    }
}
