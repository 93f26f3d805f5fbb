package io.shunt.datapath.bench;

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
import io.shunt.datapath.pool.PoolCache;
import io.shunt.datapath.region.ShmDirectory;

/**
 * Allocating then freeing one burst of buffers, through a per-thread {@link PoolCache}
 * ({@code cache}) or straight on the shared MPMC free ring ({@code ring}), one thread, on a
 * /dev/shm pool region. Divide the score by {@code burst} for nanoseconds per buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PoolBurstBenchmark {
    @Param({"1", "8", "32"})
    int burst;

    @Param({"cache", "ring"})
    String path;

    private ShmDirectory dir;
    private PacketPool pool;
    private PoolCache cache;
    private final int[] buffers = new int[32];

    @Setup
    public void setUp() throws Exception {
        dir = ShmDirectory.create();
        pool = PacketPool.create(dir.options(), "pool", 8192, 1);
        cache = pool.newCache();
    }

    @TearDown
    public void tearDown() {
        pool.close();
        dir.close();
    }

    @Benchmark
    public int allocFreeBurst() {
        if (path.equals("cache")) {
            int n = cache.allocBurst(buffers, 0, burst);
            cache.freeBurst(buffers, 0, n);
            return n;
        }
        int n = pool.allocBurst(buffers, 0, burst);
        pool.freeBurst(buffers, 0, n);
        return n;
    }
}
