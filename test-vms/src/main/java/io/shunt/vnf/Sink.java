package io.shunt.vnf;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.HdrHistogram.Histogram;

import io.shunt.datapath.guest.GuestPort;
import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.ring.BackOff;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Receives on one port, checks every probe frame ({@link ProbeFrame}) per flow for loss,
 * duplication and reordering ({@link FlowTracker}), records one-way latency (send timestamp
 * to the receive time of the burst, System.nanoTime of the same host) in an HdrHistogram,
 * frees the buffers, and prints a JSON summary when it stops: after {@code --count} packets,
 * after {@code --duration}, after {@code --idle-timeout} without traffic (once traffic has
 * started), or on SIGTERM/SIGINT.
 */
@Command(name = "sink", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Receive frames on a shunt dpdkr port; check loss, duplication and order per flow; measure latency.")
public final class Sink implements Callable<Integer> {
    private static final long HIGHEST_LATENCY_NANOS = Duration.ofSeconds(60).toNanos();
    /** Up to this many flows, the summary lists each one without being asked. */
    static final int PER_FLOW_DEFAULT_LIMIT = 256;

    @Option(names = "--port", required = true, paramLabel = "NAME", description = "Port to receive on (e.g. dpdkr3).")
    String portName;

    @Mixin
    CommonOptions common;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0", description = "Stop after N packets; 0 = no limit.")
    long count;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this time.")
    Duration duration;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long without a packet, once the first one has arrived.")
    Duration idleTimeout;

    @Option(names = "--max-flows", paramLabel = "N", defaultValue = "65536",
            description = "Flows tracked (flow numbers 0..N-1); others are counted as unknown (default: ${DEFAULT-VALUE}).")
    int maxFlows;

    @Option(names = "--latency-skip", paramLabel = "N", defaultValue = "0",
            description = "Leave the first N probe frames out of the latency histogram (warm-up: JIT, a chain"
                    + " still being set up); they are still counted and checked (default: ${DEFAULT-VALUE}).")
    long latencySkip;

    @Option(names = "--per-flow", description = "List every flow's counters in the summary (by default they are"
            + " listed when at most " + PER_FLOW_DEFAULT_LIMIT + " flows were seen).")
    boolean perFlow;

    /** Latency percentiles in nanoseconds. */
    public record Latency(long count, long p50, long p99, long p999, long max, double mean, long overflows) {
    }

    /** The JSON summary line. */
    public record Summary(String program, String port, long received, long bytes, long foreign, long unknownFlow,
                          int flowsSeen, long lost, long duplicated, long reordered, long late, Latency latencyNanos,
                          long elapsedNanos, double mpps, boolean interrupted, boolean timedOut,
                          List<FlowTracker.FlowSummary> flows) {
    }

    public static void main(String[] args) {
        System.exit(VnfCommandLine.execute(new Sink(), args));
    }

    @Override
    public Integer call() throws Exception {
        common.validate();
        if (maxFlows < 1 || count < 0 || latencySkip < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--max-flows must be >= 1, --count and --latency-skip >= 0");
        }
        Termination termination = Termination.install("sink");
        try (GuestPort port = GuestPort.attach(common.regionDirectory, portName)) {
            JsonLine.print(System.out, run(port, termination));
            return 0;
        } finally {
            termination.finished();
        }
    }

    private Summary run(GuestPort port, Termination termination) {
        int[] bufs = new int[common.burst];
        PacketBuffer view = port.newBufferView();
        FlowTracker flows = new FlowTracker(maxFlows);
        Histogram latency = new Histogram(HIGHEST_LATENCY_NANOS, 3);
        BackOff backOff = BackOff.standard();
        long start = System.nanoTime();
        long deadline = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        long idleNanos = idleTimeout == null ? Long.MAX_VALUE : idleTimeout.toNanos();
        long statsEvery = common.statsIntervalNanos();
        long nextStats = statsEvery == 0 ? Long.MAX_VALUE : start + statsEvery;
        long limit = count == 0 ? Long.MAX_VALUE : count;
        long received = 0;
        long bytes = 0;
        long foreign = 0;
        long latencyOverflows = 0;
        long probes = 0;
        long first = 0;
        long last = 0;
        boolean interrupted = false;
        boolean timedOut = false;
        int idleRounds = 0;

        while (received < limit) {
            int n = port.rxBurst(bufs, (int) Math.min(bufs.length, limit - received));
            if (n > 0) {
                // One receive time per burst (the packets arrived together).
                long now = System.nanoTime();
                if (first == 0) {
                    first = now;
                }
                last = now;
                for (int i = 0; i < n; i++) {
                    view.wrap(bufs[i]);
                    int length = view.length();
                    bytes += length;
                    if (!ProbeFrame.isProbe(view)) {
                        foreign++;
                        continue;
                    }
                    flows.record(view.getInt(ProbeFrame.FLOW_OFFSET), view.getLong(ProbeFrame.SEQUENCE_OFFSET));
                    if (++probes <= latencySkip) {
                        continue;
                    }
                    long delay = now - view.getLong(ProbeFrame.TIMESTAMP_OFFSET);
                    if (delay >= 0 && delay <= HIGHEST_LATENCY_NANOS) {
                        latency.recordValue(delay);
                    } else {
                        latencyOverflows++;
                    }
                }
                port.freeBurst(bufs, n);
                received += n;
                backOff.reset();
                if ((received & 0xffff) >= n) {
                    continue;       // the flag and clock are looked at about every 64 Ki packets while busy
                }
            } else {
                backOff.idle();
                if ((++idleRounds & 15) != 0) {
                    continue;
                }
            }
            if (termination.requested()) {
                interrupted = true;
                break;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                break;
            }
            if (first != 0 && now - last > idleNanos) {
                timedOut = true;
                break;
            }
            if (now - nextStats >= 0) {
                System.err.printf("sink %s: received %d lost %d duplicated %d reordered %d%n", portName, received,
                        flows.lost(), flows.duplicated(), flows.reordered());
                nextStats += statsEvery;
            }
        }
        long elapsed = first == 0 ? 0 : last - first;
        Latency lat = new Latency(latency.getTotalCount(), latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9), latency.getMaxValue(),
                latency.getTotalCount() == 0 ? 0 : latency.getMean(), latencyOverflows);
        return new Summary("sink", portName, received, bytes, foreign, flows.unknownFlows, flows.flowsSeen(),
                flows.lost(), flows.duplicated(), flows.reordered(), flows.late(), lat, elapsed,
                elapsed == 0 ? 0 : received * 1e3 / elapsed, interrupted, timedOut,
                perFlow || flows.flowsSeen() <= PER_FLOW_DEFAULT_LIMIT ? flows.flows() : null);
    }
}
