package io.shunt.datapath.engine;

/**
 * Traffic of one direction of a direct link, for port and flow statistics (DESIGN.md
 * section 4.4): what the switch must add to its own counters so that the controller sees the
 * same numbers as if every packet had crossed it.
 *
 * @param directPackets    packets A put on the link ring that did not come through the switch
 *                         (the ring's enqueue counter, less what the switch took over)
 * @param directBytes      their bytes
 * @param takenOverPackets packets the switch consumed from the link ring after B died; they went
 *                         through the normal path and are in the switch's own counters already
 *                         (whatever B's dead port could not take is counted as its tx drops)
 * @param takenOverBytes   their bytes
 * @param rejected         descriptors refused on the link ring (index outside the pool, bad
 *                         length, impossible positions), by whichever side consumed them
 */
public record LinkTraffic(long directPackets, long directBytes, long takenOverPackets, long takenOverBytes,
                          long rejected) {
}
