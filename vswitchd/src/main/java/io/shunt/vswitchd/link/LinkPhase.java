package io.shunt.vswitchd.link;

import io.shunt.datapath.port.LinkState;

/**
 * The state of one direct link as the link manager drives it (DESIGN §4.2, §4.3,
 * docs/direct-link-protocol.md). The first six are the protocol's states and are mirrored
 * into the control blocks ({@link LinkState}); the last two are the manager's own.
 */
public enum LinkPhase {
    /** No link: the path's traffic crosses the switch. */
    NORMAL(LinkState.NORMAL),
    /** The link region exists; the compute agent is plugging it into both VNFs. */
    PLUGGING(LinkState.PLUGGING),
    /** Both VNFs have the device; {@code req = 1} is written, waiting for each producer's {@code tx_ack = 1}. */
    TX_SWITCHED(LinkState.TX_SWITCHED),
    /** Every producer switched; waiting for the switch's fence and each consumer's {@code rx_state = 1}. */
    FENCED(LinkState.FENCED),
    /** Every direction's traffic flows on the link ring only. */
    DIRECT(LinkState.DIRECT),
    /** {@code req = 2} is written; waiting for {@code tx_ack = 2}, the drain of the ring and {@code closed}. */
    REVERTING(LinkState.REVERTING),
    /** Plugging failed (no agent, agent error, timeout): the path stays on the switch until the back-off ends. */
    RETRY_WAIT(LinkState.NORMAL),
    /** The revert cannot finish (a live VNF does not answer): the region stays plugged, shown with its error. */
    FAILED(LinkState.REVERTING);

    private final LinkState shared;

    LinkPhase(LinkState shared) {
        this.shared = shared;
    }

    /** The code stored in the control blocks for observers. */
    public LinkState sharedState() {
        return shared;
    }

    /** Whether the protocol is between two stable states (the manager polls its words every millisecond). */
    public boolean inFlight() {
        return this == PLUGGING || this == TX_SWITCHED || this == FENCED || this == REVERTING;
    }
}
