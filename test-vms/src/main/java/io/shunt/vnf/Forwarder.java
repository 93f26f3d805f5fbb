package io.shunt.vnf;

import java.time.Duration;
import java.util.concurrent.Callable;

import io.shunt.datapath.guest.GuestPort;
import io.shunt.datapath.ring.BackOff;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Port 0 ↔ port 1, frames unchanged, in bursts, both directions polled by one thread (like
 * DPDK's testpmd in io mode on one lcore). Prints a JSON summary when it stops: on SIGTERM or
 * SIGINT (shutdown hook), after {@code --duration}, or after {@code --idle-timeout} without
 * traffic once traffic has started.
 */
@Command(name = "forwarder", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Forward frames unchanged between two shunt dpdkr ports, both directions.")
public final class Forwarder implements Callable<Integer> {
    @Option(names = "--port0", required = true, paramLabel = "NAME", description = "First port (e.g. dpdkr1).")
    String port0Name;

    @Option(names = "--port1", required = true, paramLabel = "NAME", description = "Second port (e.g. dpdkr2).")
    String port1Name;

    @Mixin
    CommonOptions common;

    @Option(names = "--no-drop", description = "Keep and retry what the output ring does not take, instead of "
            + "freeing it (back-pressure).")
    boolean noDrop;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this time.")
    Duration duration;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long without a packet, once the first one has arrived.")
    Duration idleTimeout;

    /** Counters of one direction in the summary. */
    public record DirectionSummary(String from, String to, long received, long forwarded, long dropped) {
    }

    /** The JSON summary line. */
    public record Summary(String program, DirectionSummary forward, DirectionSummary reverse, long elapsedNanos,
                          boolean interrupted) {
    }

    public static void main(String[] args) {
        System.exit(VnfCommandLine.execute(new Forwarder(), args));
    }

    @Override
    public Integer call() throws Exception {
        common.validate();
        Termination termination = Termination.install("forwarder");
        try (GuestPort port0 = GuestPort.attach(common.regionDirectory, port0Name);
             GuestPort port1 = GuestPort.attach(common.regionDirectory, port1Name)) {
            if (!port0.sharesPoolWith(port1)) {
                // Indices name buffers of one pool: sending them on a port of another pool would
                // hand out somebody else's buffers. The switch copies between trust domains; we don't.
                throw new IllegalArgumentException("ports '" + port0Name + "' (pool '" + port0.poolName()
                        + "') and '" + port1Name + "' (pool '" + port1.poolName() + "') use different pools: "
                        + "the forwarder forwards without copying, within one pool only");
            }
            ForwardDirection forward = new ForwardDirection(port0, port1, common.burst, noDrop);
            ForwardDirection reverse = new ForwardDirection(port1, port0, common.burst, noDrop);
            long start = System.nanoTime();
            boolean interrupted = loop(forward, reverse, start, termination);
            forward.dropPending();
            reverse.dropPending();
            long elapsed = System.nanoTime() - start;
            JsonLine.print(System.out, new Summary("forwarder",
                    new DirectionSummary(port0Name, port1Name, forward.received, forward.forwarded, forward.dropped),
                    new DirectionSummary(port1Name, port0Name, reverse.received, reverse.forwarded, reverse.dropped),
                    elapsed, interrupted));
            return 0;
        } finally {
            termination.finished();
        }
    }

    private boolean loop(ForwardDirection forward, ForwardDirection reverse, long start, Termination termination) {
        BackOff backOff = BackOff.standard();
        long deadline = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        long idleNanos = idleTimeout == null ? Long.MAX_VALUE : idleTimeout.toNanos();
        long statsEvery = common.statsIntervalNanos();
        long nextStats = statsEvery == 0 ? Long.MAX_VALUE : start + statsEvery;
        long lastTraffic = 0;
        int rounds = 0;
        while (true) {
            int moved = forward.poll() + reverse.poll();
            backOff.afterRound(moved);
            // The clock and the flag are read every 64 rounds or when idle: not per burst.
            if (moved != 0 && (++rounds & 63) != 0) {
                continue;
            }
            if (termination.requested()) {
                return true;
            }
            long now = System.nanoTime();
            if (moved != 0) {
                lastTraffic = now;
            }
            if (now - deadline >= 0) {
                return false;
            }
            if (lastTraffic != 0 && forward.pending() + reverse.pending() == 0 && now - lastTraffic > idleNanos) {
                return false;
            }
            if (now - nextStats >= 0) {
                System.err.printf("forwarder: %s->%s %d (dropped %d), %s->%s %d (dropped %d)%n", port0Name, port1Name,
                        forward.forwarded, forward.dropped, port1Name, port0Name, reverse.forwarded, reverse.dropped);
                nextStats += statsEvery;
            }
        }
    }
}
