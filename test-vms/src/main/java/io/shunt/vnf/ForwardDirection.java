package io.shunt.vnf;

import io.shunt.datapath.guest.GuestPort;

/**
 * One direction of the forwarder: receive a burst on {@code from}, send it unchanged on
 * {@code to}. What {@code to} does not take is freed and counted, or, with back-pressure,
 * kept and offered again on the next round (and nothing new is received in this direction
 * until it is gone), so the other direction keeps running meanwhile. Single thread.
 */
final class ForwardDirection {
    private final GuestPort from;
    private final GuestPort to;
    private final boolean noDrop;
    private final int[] bufs;
    private int pendingFrom;
    private int pendingEnd;
    long received;
    long forwarded;
    long dropped;

    ForwardDirection(GuestPort from, GuestPort to, int burst, boolean noDrop) {
        this.from = from;
        this.to = to;
        this.noDrop = noDrop;
        this.bufs = new int[burst];
    }

    /** One round; returns the packets moved (0: idle). */
    int poll() {
        if (pendingFrom < pendingEnd) {
            int sent = to.txBurst(bufs, pendingFrom, pendingEnd - pendingFrom);
            pendingFrom += sent;
            forwarded += sent;
            return sent;
        }
        int n = from.rxBurst(bufs, bufs.length);
        if (n == 0) {
            return 0;
        }
        received += n;
        int sent = to.txBurst(bufs, n);
        forwarded += sent;
        if (sent < n) {
            if (noDrop) {
                pendingFrom = sent;
                pendingEnd = n;
            } else {
                to.dropTx(bufs, sent, n - sent);
                dropped += n - sent;
            }
        }
        return n;
    }

    /** Frees what is still pending (at exit) and counts it as dropped. */
    void dropPending() {
        if (pendingFrom < pendingEnd) {
            to.dropTx(bufs, pendingFrom, pendingEnd - pendingFrom);
            dropped += pendingEnd - pendingFrom;
            pendingFrom = pendingEnd;
        }
    }

    int pending() {
        return pendingEnd - pendingFrom;
    }
}
