package io.shunt.datapath.guest;

import io.shunt.datapath.port.LinkDirection;
import io.shunt.datapath.ring.SpscRing;

/**
 * The consuming end of a direction (this port is B): the guest shim's GB of
 * docs/direct-link-protocol.md. It leaves the link ring alone until the fence is published
 * and the port's own rx consumer position has reached it (establish step 5), then reads it
 * beside the rx ring; once the switch has closed the link and the ring is empty, it detaches
 * (revert step 4).
 *
 * <p>Only the thread that calls {@link GuestPort#rxBurst} touches the fields below and the
 * link memory through this object.
 */
final class RxLink extends LinkEnd {
    static final int WAITING_FOR_FENCE = 0;
    static final int READING = 1;
    static final int DONE = 2;

    private final GuestLinkCounters counters;
    private int phase;
    private long lastRejectedFence = Long.MIN_VALUE;

    RxLink(GuestPort port, LinkDevice device, int direction, SpscRing ring, GuestLinkCounters counters) {
        super(port, device, direction, ring);
        this.counters = counters;
    }

    /** Whether the link ring may be read in this burst; {@code portRx} is the port's rx ring (consumer view). */
    boolean readable(SpscRing portRx) {
        if (phase == READING) {
            return true;
        }
        if (phase == DONE) {
            return false;
        }
        long fence = words.fence();
        if (fence != LinkDirection.UNSET_POSITION) {
            // Loaded after the fence: the switch published the fence after enqueuing up to it.
            long produced = portRx.producerPosition();
            if (fence < 0 || fence - produced > 0) {
                // A fence the rx ring has not reached cannot be right: refuse it, do not read L.
                if (fence != lastRejectedFence) {
                    lastRejectedFence = fence;
                    counters.rxRejectedWords++;
                }
                return false;
            }
            if (portRx.consumedPosition() - fence >= 0) {
                words.rxState(LinkDirection.RX_READING);
                phase = READING;
                shownPhase = READING;
                counters.fencesPassed++;
                return true;
            }
            return false;
        }
        if (words.isClosed() || words.isConsumerTakenOver() || device.unplugged) {
            // Closed with no fence: the producer never switched (a revert before the switch),
            // so the ring never carried anything for us.
            detach();
        }
        return false;
    }

    /** Reads the link ring (only once {@link #readable} said so). */
    int dequeue(int[] bufs, int offset, int max) {
        int n = ring.dequeueBurst(bufs, offset, max);
        if (n == 0 && (words.isClosed() || words.isConsumerTakenOver()) && ring.producerPosition() == ring.consumedPosition()) {
            // Closed is published only after the producer acked its revert: the position is final.
            detach();
        }
        return n;
    }

    /** The port closes: stop reading (what is left on the ring is the switch's to take over). */
    void closeFromPort() {
        phase = DONE;
        shownPhase = DONE;
        released = true;
    }

    private void detach() {
        words.rxState(LinkDirection.RX_DETACHED);
        counters.detaches++;
        closeFromPort();
    }

    @Override
    String phaseName(int p) {
        return switch (p) {
            case WAITING_FOR_FENCE -> "waiting for the fence";
            case READING -> "reading the link ring beside the rx ring";
            default -> "detached, link released";
        };
    }
}
