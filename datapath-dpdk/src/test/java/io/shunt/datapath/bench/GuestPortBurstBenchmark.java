package io.shunt.datapath.bench;

import java.time.Duration;
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

import io.shunt.datapath.guest.GuestOptions;
import io.shunt.datapath.guest.GuestPort;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.pool.PoolCache;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionNames;
import io.shunt.datapath.region.ShmDirectory;
import io.shunt.datapath.ring.SpscRing;

/**
 * What the guest shim adds to a VNF's burst: one thread allocates a burst, transmits it,
 * plays the switch (tx ring to rx ring), receives it and frees it, on /dev/shm. Variants:
 * {@code rings} (the anchor: the same work on the port's rings and a pool cache directly)
 * and {@code shim} (through {@link GuestPort}: attachment look-up, heartbeat counter, cache
 * owner check). Divide the score by {@code burst} for nanoseconds per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GuestPortBurstBenchmark {
    @Param({"8", "32"})
    int burst;

    @Param({"rings", "shim"})
    String path;

    private ShmDirectory dir;
    private PacketPool pool;
    private PortRegion port;
    private GuestPort guest;
    private SpscRing switchTx;
    private SpscRing switchRx;
    private SpscRing guestTx;
    private SpscRing guestRx;
    private PoolCache cache;
    private final int[] bufs = new int[32];
    private final int[] moved = new int[32];

    @Setup
    public void setUp() throws Exception {
        dir = ShmDirectory.create();
        pool = PacketPool.create(dir.options(), "pool", 4096, 1);
        port = PortRegion.create(dir.options(), PortRegionNames.regionName("dpdkr1"), 1, 1024, pool, 1);
        switchTx = port.txRing(pool);
        switchRx = port.rxRing(pool);
        if (path.equals("shim")) {
            guest = GuestPort.attach(dir.path(), "dpdkr1", GuestOptions.defaults().withRegionCheckInterval(Duration.ofSeconds(1)));
        } else {
            guestTx = port.txRing(pool);
            guestRx = port.rxRing(pool);
            cache = pool.newCache();
        }
    }

    @TearDown
    public void tearDown() {
        if (guest != null) {
            guest.close();
        }
        port.close();
        pool.close();
        dir.close();
    }

    @Benchmark
    public int allocTxRxFree() {
        int n = burst;
        int got;
        if (guest != null) {
            guest.allocBurst(bufs, n);
            guest.txBurst(bufs, n);
            moveThroughSwitch(n);
            got = guest.rxBurst(bufs, n);
            guest.freeBurst(bufs, got);
        } else {
            cache.allocBurst(bufs, 0, n);
            guestTx.enqueueBurst(bufs, 0, n);
            moveThroughSwitch(n);
            got = guestRx.dequeueBurst(bufs, 0, n);
            cache.freeBurst(bufs, 0, got);
        }
        return got;
    }

    private void moveThroughSwitch(int n) {
        int m = switchTx.dequeueBurst(moved, 0, n);
        switchRx.enqueueBurst(moved, 0, m);
    }
}
