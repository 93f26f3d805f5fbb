package io.shunt.datapath.guest;

/**
 * What the direct-link machinery of one {@link GuestPort} did so far.
 *
 * @param switches             times the transmit side moved onto a link ring (establish step 2)
 * @param reverts              times it moved back to the port's tx ring (revert step 2)
 * @param fencesPassed         times the receive side passed a fence and started reading a link ring
 * @param detaches             times the receive side stopped reading a closed link ring for good
 * @param rejectedWords        protocol words refused as impossible (a request other than 0/1/2, a
 *                             fence the rx ring has not reached)
 * @param unpluggedWhileDirect links unplugged while this port still transmitted on them (the shim
 *                             reverted on its own)
 * @param ignoredDevices       device entries of this process that were not usable links for its
 *                             ports (not a link region, other ports, another pool), each counted once
 */
public record GuestLinkStats(long switches, long reverts, long fencesPassed, long detaches, long rejectedWords,
                             long unpluggedWhileDirect, long ignoredDevices) {
}
