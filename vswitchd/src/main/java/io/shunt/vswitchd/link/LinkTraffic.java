package io.shunt.vswitchd.link;

/**
 * Counters of one direction of a link, as the statistics need them.
 *
 * @param enqueuedPackets packets the producer put on the link ring: what the switch "received"
 *                        from it (its port's rx); monotonic for the link's life
 * @param enqueuedBytes   their bytes
 * @param directPackets   of those, the packets that did not cross the switch (less what the
 *                        switch took over after the consumer died: those cross the switch and are
 *                        counted there, in the flows and the consumer port's tx); it drops by the
 *                        packets still on the ring when the switch takes the ring over
 * @param directBytes     their bytes
 */
public record LinkTraffic(long enqueuedPackets, long enqueuedBytes, long directPackets, long directBytes) {
    public static final LinkTraffic ZERO = new LinkTraffic(0, 0, 0, 0);
}
