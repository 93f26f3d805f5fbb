package io.shunt.datapath.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One PMD poll round per invocation (32 packets, one thread, /dev/shm): receive, parse,
 * EMC/megaflow hit, set dl_dst, output batch, flow credit; against the anchor that moves
 * the same burst between the same rings without switching. ns/packet; the ratio
 * switched/bare is the engine's cost over the bare rings.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(32)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PmdRoundBenchmark {
    private io.shunt.datapath.engine.PmdRoundDriver driver;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        driver = new io.shunt.datapath.engine.PmdRoundDriver();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        driver.close();
    }

    @Benchmark
    public int switched() {
        return driver.switchedRound();
    }

    @Benchmark
    public int bareRingsAnchor() {
        return driver.bareRingRound();
    }
}
