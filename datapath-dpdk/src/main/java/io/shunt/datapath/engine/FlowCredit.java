package io.shunt.datapath.engine;

/**
 * Where the packets an {@link ActionProgram} handled are credited: the OpenFlow entries
 * (and group buckets) that produced it. The PMD sums per program over a poll round and
 * calls this once per program per round, so flow statistics are exact without a
 * per-packet atomic add. Called on PMD threads, concurrently; must be thread-safe.
 */
@FunctionalInterface
public interface FlowCredit {
    FlowCredit NONE = (packets, bytes, nowNanos) -> { };

    void credit(long packets, long bytes, long nowNanos);
}
