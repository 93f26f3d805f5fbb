package io.shunt.datapath.engine;

/**
 * Counters of one port, seen from the switch: "rx" is what the switch received from the
 * port (for a dpdkr port, what the VNF transmitted), "tx" what the switch sent to it.
 *
 * @param rxPackets packets received and accepted
 * @param rxBytes   their bytes
 * @param rxErrors  descriptors refused on receive (index outside the pool, bad length or offset)
 * @param txPackets packets queued to the port
 * @param txBytes   their bytes
 * @param txDropped packets that did not fit into the port's queue, or were refused on output
 */
public record PortStats(long rxPackets, long rxBytes, long rxErrors, long txPackets, long txBytes, long txDropped) {
}
