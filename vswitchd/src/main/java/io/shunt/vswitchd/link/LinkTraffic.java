package io.shunt.vswitchd.link;

/**
 * Counters of one direction of a link ring as the statistics need them: what the producer
 * put on the ring. Monotonic for the life of one link generation.
 */
public record LinkTraffic(long packets, long bytes) {
    public static final LinkTraffic ZERO = new LinkTraffic(0, 0);
}
