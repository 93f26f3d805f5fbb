package io.shunt.datapath.engine;

import io.shunt.datapath.cache.CacheConfig;
import io.shunt.datapath.flow.FlowField;
import io.shunt.datapath.flow.FlowMask;
import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.datapath.ring.SpscRing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One PMD's poll round driven from the calling thread, on real shared memory: a VNF side
 * that sends a burst of 64-byte frames into port 1 and takes them back from port 2, and a
 * program (set dl_dst, output:2) that credits a flow counter. Used by the allocation test
 * and the JMH benchmark; {@link #bareRingRound()} is the benchmark's anchor (the same
 * buffers moved between the same rings with no switching).
 */
final class PmdRoundFixture implements AutoCloseable {
    static final int BURST = 32;

    final Path dir;
    final PacketPool pool;
    final ForwardingEngine engine;
    final PmdThread pmd;
    final SpscRing vnfTx1;
    final SpscRing vnfRx2;
    final SpscRing switchRx1;
    final SpscRing switchTx2;
    final PortRegion guest1;
    final PortRegion guest2;
    final AtomicLong credited = new AtomicLong();
    private final int[] bufs = new int[BURST];
    private final int[] moved = new int[BURST];
    private final PacketBuffer view;

    PmdRoundFixture() throws IOException {
        dir = Files.createTempDirectory(Path.of("/dev/shm"), "pmd-round");
        pool = PacketPool.create(RegionOptions.in(dir), "pool", 1024, 1);
        ActionProgram program = new ActionProgram(List.of(new DpAction.SetEthDst(0x02000000abcdL), new DpAction.Output(2)),
                (packets, bytes, now) -> credited.addAndGet(packets));
        engine = new ForwardingEngine("bench", pool, new EngineConfig(1, BURST, 100, 10, 50, CacheConfig.defaults()),
                i -> null, new MacLearningTable(256, 300_000_000_000L));
        PortRegion host1 = PortRegion.create(RegionOptions.in(dir), "port1", 1, 256, pool, 1);
        PortRegion host2 = PortRegion.create(RegionOptions.in(dir), "port2", 2, 256, pool, 1);
        engine.addPort(new DpdkrPort("p1", host1, pool));
        engine.addPort(new DpdkrPort("p2", host2, pool));
        pmd = engine.pmd(0);
        pmd.miss = (key, segment, offset, length, inPort) ->
                new Megaflow(program, FlowMask.builder().exact(FlowField.IN_PORT).build());
        guest1 = PortRegion.attach(dir.resolve("port1"));
        guest2 = PortRegion.attach(dir.resolve("port2"));
        vnfTx1 = guest1.txRing(pool);
        vnfRx2 = guest2.rxRing(pool);
        switchRx1 = host1.txRing(pool);
        switchTx2 = host2.rxRing(pool);
        view = pool.newBufferView();
        int n = pool.allocBurst(bufs, 0, BURST);
        if (n != BURST) {
            throw new IllegalStateException("pool gave " + n + " buffers");
        }
    }

    private void fill() {
        for (int i = 0; i < BURST; i++) {
            view.wrapNew(bufs[i]).length(64);
            view.putLong(0, 0x0200000000020200L).putInt(8, 0x00000001).putShort(12, 0x88b5);
        }
    }

    /** VNF sends a burst, the PMD runs one round, the VNF takes the burst back; returns packets received. */
    int switchedRound() {
        fill();
        vnfTx1.enqueueBurst(bufs, 0, BURST);
        pmd.pollRound();
        return vnfRx2.dequeueBurst(bufs, 0, BURST);
    }

    /** The anchor: the same buffers through the same two rings, moved without classification or actions. */
    int bareRingRound() {
        fill();
        vnfTx1.enqueueBurst(bufs, 0, BURST);
        int m = switchRx1.dequeueBurst(moved, 0, BURST);
        switchTx2.enqueueBurst(moved, 0, m);
        return vnfRx2.dequeueBurst(bufs, 0, BURST);
    }

    @Override
    public void close() throws IOException {
        engine.close();
        guest1.close();
        guest2.close();
        pool.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
