package io.shunt.datapath.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionLayout;
import io.shunt.datapath.region.ShmDirectory;
import io.shunt.datapath.ring.RingLayout;
import io.shunt.datapath.ring.SpscRing;

/**
 * One burst enqueued then dequeued by the same thread on a /dev/shm mapping, as DPDK's
 * ring_perf_autotest "SP/SC burst" single-core case. Variants: {@code bare} (the anchor,
 * {@link BareSpscRing}), {@code spsc} (the production ring, plain indices), {@code port}
 * (the production port ring bound to a pool: byte counters and metadata checks).
 * Divide the score by {@code burst} for nanoseconds per element.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RingBurstBenchmark {
    private static final int CAPACITY = 1024;

    @Param({"1", "8", "32"})
    int burst;

    @Param({"bare", "spsc", "port"})
    String ring;

    private ShmDirectory dir;
    private Arena arena;
    private PacketPool pool;
    private PortRegion port;
    private SpscRing spsc;
    private BareSpscRing bare;
    private final int[] in = new int[32];
    private final int[] out = new int[32];

    @Setup
    public void setUp() throws Exception {
        dir = ShmDirectory.create();
        arena = Arena.ofShared();
        for (int i = 0; i < in.length; i++) {
            in[i] = i;
        }
        switch (ring) {
            case "bare" -> {
                MemorySegment memory;
                try (FileChannel channel = FileChannel.open(dir.path().resolve("bare"), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, BareSpscRing.length(CAPACITY), arena);
                }
                bare = new BareSpscRing(memory, CAPACITY);
            }
            case "spsc", "port" -> {
                pool = PacketPool.create(dir.options(), "pool", 4096, 1);
                port = PortRegion.create(dir.options(), "port", 1, CAPACITY, pool, 1);
                spsc = ring.equals("port") ? port.txRing(pool)
                        : SpscRing.attach(port.region().segment(), PortRegionLayout.txRingOffset(CAPACITY),
                                RingLayout.length(CAPACITY), 4096, null);
            }
            default -> throw new IllegalArgumentException(ring);
        }
    }

    @TearDown
    public void tearDown() {
        if (port != null) {
            port.close();
            pool.close();
        }
        arena.close();
        dir.close();
    }

    @Benchmark
    public int enqueueDequeueBurst() {
        if (bare != null) {
            bare.enqueueBurst(in, 0, burst);
            return bare.dequeueBurst(out, 0, burst);
        }
        spsc.enqueueBurst(in, 0, burst);
        return spsc.dequeueBurst(out, 0, burst);
    }
}
