package io.shunt.p2p.bench;

import io.shunt.p2p.DirectPathDetector;
import io.shunt.p2p.DirectPathEvent;
import io.shunt.p2p.DirectPathOracle;
import io.shunt.p2p.model.FlowEntry;
import io.shunt.p2p.model.Instructions;
import io.shunt.p2p.model.MatchSummary;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one flow-table change for the detector, at several table sizes, against the
 * brute-force recomputation (the oracle: what a detector that rescans the table after every
 * change pays) and against one bare pass over the entries (the least any rescan pays).
 *
 * <p>Each detector benchmark adds an entry and removes it again (two flow-mods per
 * invocation, so the table keeps its size): {@code unaffected} adds a classifier entry
 * below the carrier of its port (no path changes); {@code affected} adds one above it (the
 * path goes down, then up again: two events); {@code wildcardAffectsAllPorts} adds an
 * overlapping wildcard entry above every carrier (all 64 paths go down and up).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FlowModBenchmark {

    private static final int PRECOMPUTED = 4096;

    @Param({"1000", "10000", "100000", "1000000"})
    public int entries;

    private BenchTable table;
    private DirectPathDetector detector;
    private long events;
    private FlowEntry[] below;
    private FlowEntry[] above;
    private FlowEntry[] wildcard;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        table = new BenchTable(entries, 42);
        detector = table.load(new DirectPathDetector(this::count));
        if (detector.paths().size() != BenchTable.PORTS) {
            throw new IllegalStateException("expected " + BenchTable.PORTS + " paths, got " + detector.paths().size());
        }
        events = 0; // the load's 64 ups are not part of what is measured
        SplittableRandom random = new SplittableRandom(7);
        below = new FlowEntry[PRECOMPUTED];
        above = new FlowEntry[PRECOMPUTED];
        wildcard = new FlowEntry[PRECOMPUTED];
        long id = 1L << 40;
        for (int i = 0; i < PRECOMPUTED; i++) {
            int port = 1 + random.nextInt(BenchTable.PORTS);
            below[i] = FlowEntry.of(id++, 0, random.nextInt(BenchTable.CARRIER_PRIORITY),
                    MatchSummary.inPortAndOtherFields(port), Instructions.output(1 + random.nextInt(BenchTable.PORTS)));
            above[i] = FlowEntry.of(id++, 0, BenchTable.CARRIER_PRIORITY + 1 + random.nextInt(100),
                    MatchSummary.inPortAndOtherFields(port), Instructions.output(1 + random.nextInt(BenchTable.PORTS)));
            wildcard[i] = FlowEntry.of(id++, 0, BenchTable.CARRIER_PRIORITY + 1 + random.nextInt(100),
                    MatchSummary.inPortAndOtherFields(null), Instructions.output(1 + random.nextInt(BenchTable.PORTS)));
        }
    }

    /** The benchmark measured what it claims: events only where paths were touched, all restored. */
    @TearDown(Level.Trial)
    public void checkWhatWasMeasured(BenchmarkParams params) {
        String name = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        boolean shouldChangePaths = name.equals("affected") || name.equals("wildcardAffectsAllPorts");
        boolean detectorBenchmark = shouldChangePaths || name.equals("unaffected");
        if (detectorBenchmark && (events > 0) != shouldChangePaths) {
            throw new IllegalStateException(name + " raised " + events + " direct-path events");
        }
        if (detector.paths().size() != BenchTable.PORTS) {
            throw new IllegalStateException(name + " left " + detector.paths().size() + " paths, expected " + BenchTable.PORTS);
        }
    }

    private void count(DirectPathEvent event) {
        events++;
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public long unaffected() {
        FlowEntry e = below[next++ & (PRECOMPUTED - 1)];
        detector.entryAdded(e);
        detector.entryRemoved(e.id());
        return events;
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public long affected() {
        FlowEntry e = above[next++ & (PRECOMPUTED - 1)];
        detector.entryAdded(e);
        detector.entryRemoved(e.id());
        return events;
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public long wildcardAffectsAllPorts() {
        FlowEntry e = wildcard[next++ & (PRECOMPUTED - 1)];
        detector.entryAdded(e);
        detector.entryRemoved(e.id());
        return events;
    }

    /** The anchor: recompute every port's verdict from the whole table. */
    @Benchmark
    public Object oracleRecompute() {
        return DirectPathOracle.compute(table.entries, table.ports);
    }

    /** The floor of any rescan: one pass reading each entry's table, priority and in_port. */
    @Benchmark
    public void fullScanOnePass(Blackhole bh) {
        int[] top = new int[BenchTable.PORTS + 1];
        for (FlowEntry e : table.entries) {
            if (e.tableId() == 0 && e.match().inPortMatched()) {
                int p = e.match().inPort();
                if (e.priority() > top[p]) {
                    top[p] = e.priority();
                }
            }
        }
        bh.consume(top);
    }
}
