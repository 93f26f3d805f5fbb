package io.shunt.datapath.guest;

/**
 * Direct-link events of one port, counted by the thread that caused them (the tx side counts
 * switches and reverts, the rx side fences and detaches; each field has one writer) and
 * read by anyone through {@link GuestPort#linkStats()}.
 */
final class GuestLinkCounters {
    volatile long switches;
    volatile long reverts;
    volatile long unpluggedWhileDirect;
    volatile long fencesPassed;
    volatile long detaches;
    /** Written by either data thread: kept as two fields so each has one writer. */
    volatile long rejectedWords;
    volatile long rxRejectedWords;

    GuestLinkStats snapshot(long ignoredDevices) {
        return new GuestLinkStats(switches, reverts, fencesPassed, detaches, rejectedWords + rxRejectedWords,
                unpluggedWhileDirect, ignoredDevices);
    }
}
