package io.shunt.datapath.engine;

/**
 * Where the switch side of one direction A⇒B of a direct link is in the protocol of
 * docs/direct-link-protocol.md, as its {@link LinkTxGate} sees it: what the link manager's
 * state machine reads to move on.
 */
public enum LinkPhase {
    /** A has not acknowledged a request yet: the PMD polls A's tx ring as usual (up to the tail read before the ack). */
    WAITING_FOR_ACK,
    /** A acknowledged "go direct" (establish step 2): the PMD drains A's tx ring up to the switch position. */
    DRAINING_TX,
    /** The fence is published (establish step 4); B has not yet reported that it reads the link ring. */
    FENCED,
    /** B reads the link ring (rx state 1): A⇒B traffic bypasses the switch. */
    DIRECT,
    /** A went back to its tx ring (or died): the PMD holds A's tx ring until the link ring is empty (revert step 3). */
    REVERTING,
    /** The link ring is drained and {@code closed} is published: the PMD polls A's tx ring as usual again. */
    CLOSED
}
