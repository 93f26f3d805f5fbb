package io.shunt.datapath.guest;

import io.shunt.datapath.port.LinkDirection;
import io.shunt.datapath.ring.SpscRing;

/**
 * The producing end of a direction (this port is A): the guest shim's GA of
 * docs/direct-link-protocol.md. At a transmit burst it reads the request word and, between two
 * bursts, moves the port's transmit side onto the link ring (establish step 2) or back to
 * the port's tx ring (revert step 2). It never waits.
 *
 * <p>Only the thread that calls {@link GuestPort#txBurst} touches the fields below and the
 * link memory through this object.
 */
final class TxLink extends LinkEnd {
    static final int WAITING = 0;
    static final int DIRECT = 1;
    static final int DONE = 2;

    private final GuestLinkCounters counters;
    private int phase;
    private long lastRejected = Long.MIN_VALUE;

    TxLink(GuestPort port, LinkDevice device, int direction, SpscRing ring, GuestLinkCounters counters) {
        super(port, device, direction, ring);
        this.counters = counters;
    }

    /** One transmit burst of the port while this end is installed; {@code portTx} is the port's tx ring. */
    int txBurst(SpscRing portTx, int[] bufs, int offset, int n) {
        if (phase == DIRECT) {
            long request = words.request();
            if (request != LinkDirection.REQUEST_REVERT && !device.unplugged) {
                return ring.enqueueBurst(bufs, offset, n);
            }
            if (request != LinkDirection.REQUEST_REVERT) {
                // Unplugged under us while direct: go back as on a revert; the switch then holds
                // our tx ring until B has drained the link ring, so order still holds.
                counters.unpluggedWhileDirect++;
            }
            // Revert step 2: after this store we never touch the link ring again.
            words.ackRevert();
            counters.reverts++;
            finish();
            return portTx.enqueueBurst(bufs, offset, n);
        }
        if (phase == WAITING) {
            long request = words.request();
            if (request == LinkDirection.REQUEST_DIRECT && !device.unplugged
                    && words.txAck() == LinkDirection.REQUEST_NONE) {
                // Establish step 2: our own producer position (not the shared word) is the
                // position after our last packet on the port's tx ring; it is stored before the ack.
                words.switchToLink(portTx.producedPosition());
                phase = DIRECT;
                shownPhase = DIRECT;
                counters.switches++;
                return ring.enqueueBurst(bufs, offset, n);
            }
            if (request == LinkDirection.REQUEST_REVERT) {
                // A revert before we switched: acknowledge, never use the ring.
                words.ackRevert();
                finish();
            } else if (device.unplugged || request == LinkDirection.REQUEST_DIRECT) {
                // Unplugged, or acknowledged by an earlier process of this VNF (its link, not ours).
                finish();
            } else if (request != LinkDirection.REQUEST_NONE && request != LinkDirection.REQUEST_DIRECT
                    && request != lastRejected) {
                lastRejected = request;
                counters.rejectedWords++;
            }
        }
        return portTx.enqueueBurst(bufs, offset, n);
    }

    /** The port closes while direct: hand the tail of the stream back to the switch path. */
    void closeFromPort() {
        if (phase == DIRECT) {
            words.ackRevert();
            counters.reverts++;
        }
        finish();
    }

    private void finish() {
        phase = DONE;
        shownPhase = DONE;
        released = true;
    }

    @Override
    String phaseName(int p) {
        return switch (p) {
            case WAITING -> "waiting for a request";
            case DIRECT -> "transmitting on the link ring";
            default -> "back on the port's tx ring, link released";
        };
    }
}
