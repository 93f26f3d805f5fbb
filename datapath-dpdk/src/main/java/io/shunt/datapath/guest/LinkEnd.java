package io.shunt.datapath.guest;

import io.shunt.datapath.port.LinkDirection;
import io.shunt.datapath.ring.SpscRing;

/**
 * What one port of this process does with one direction of a plugged link: produce on it
 * ({@link TxLink}, the port is A of the direction) or consume it ({@link RxLink}, the port is
 * B). The protocol state belongs to the port's transmitting or receiving thread; the
 * {@link DeviceWatcher} only reads what is published here (volatile, written on transitions).
 */
abstract sealed class LinkEnd permits TxLink, RxLink {
    final GuestPort port;
    final LinkDevice device;
    final int direction;
    final LinkDirection words;
    /** The link ring of this direction, bound to the port's pool (producer or consumer view). */
    final SpscRing ring;
    /** Set by the data thread after its last access to the region: the watcher may unmap once every end is released. */
    volatile boolean released;
    /** The phase as last published by the data thread, for the watcher's log. */
    volatile int shownPhase;
    /** What the watcher last logged. */
    int loggedPhase;

    LinkEnd(GuestPort port, LinkDevice device, int direction, SpscRing ring) {
        this.port = port;
        this.device = device;
        this.direction = direction;
        this.words = device.region.direction(direction);
        this.ring = ring;
    }

    /** A word for the log: what {@code phase} means for this kind of end. */
    abstract String phaseName(int phase);
}
