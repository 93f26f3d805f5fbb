package io.shunt.datapath.port;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The protocol words of one direction of a direct link (layout: {@link LinkRegionLayout}),
 * named as in docs/direct-link-protocol.md. For direction 0 the producer is VNF A (GA), the
 * consumer VNF B (GB); the switch side is the link manager (LM) and the PMD thread (S).
 *
 * <p>Every word has one writer, who stores it with release; the other parties load it with
 * acquire, so what the writer did before the store (e.g. recording the switch position
 * before acknowledging) is visible once the word is. Values written by a VNF are untrusted:
 * callers compare them with the values the protocol allows and treat anything else as a
 * misbehaving peer.
 */
public final class LinkDirection {
    /** {@code request}/{@code txAck}: nothing asked yet. */
    public static final long REQUEST_NONE = 0;
    /** {@code request}/{@code txAck}: move the transmit side onto the link ring. */
    public static final long REQUEST_DIRECT = 1;
    /** {@code request}/{@code txAck}: move the transmit side back to the port's tx ring. */
    public static final long REQUEST_REVERT = 2;
    /** {@code rxState}: the consumer does not read the link ring (yet). */
    public static final long RX_NOT_READING = 0;
    /** {@code rxState}: the consumer passed the fence and reads the link ring. */
    public static final long RX_READING = 1;
    /** {@code rxState}: the consumer stopped reading the link ring for good. */
    public static final long RX_DETACHED = 2;
    /** {@code fence}/{@code switchPosition} before they are set: all ones. */
    public static final long UNSET_POSITION = -1L;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment words;
    private final int direction;

    LinkDirection(MemorySegment words, int direction) {
        this.words = words;
        this.direction = direction;
    }

    static void format(MemorySegment words) {
        words.fill((byte) 0);
        words.set(ValueLayout.JAVA_LONG, LinkRegionLayout.FENCE_OFFSET, UNSET_POSITION);
        words.set(ValueLayout.JAVA_LONG, LinkRegionLayout.SWITCH_POSITION_OFFSET, UNSET_POSITION);
    }

    /** 0 for A⇒B, 1 for B⇒A. */
    public int direction() {
        return direction;
    }

    // ---- LM ----

    /** Establish step 1 ({@link #REQUEST_DIRECT}) or revert step 1 ({@link #REQUEST_REVERT}). */
    public void request(long request) {
        if (request != REQUEST_DIRECT && request != REQUEST_REVERT) {
            throw new IllegalArgumentException("direction " + direction + ": request " + request + " is not 1 or 2");
        }
        LONG.setRelease(words, (long) LinkRegionLayout.REQUEST_OFFSET, request);
    }

    public long request() {
        return (long) LONG.getAcquire(words, (long) LinkRegionLayout.REQUEST_OFFSET);
    }

    // ---- GA (the producing VNF) ----

    /**
     * Establish step 2: records where the producer left its port tx ring, then acknowledges
     * the request (the position is visible before the acknowledgement).
     */
    public void switchToLink(long portTxPosition) {
        LONG.setRelease(words, (long) LinkRegionLayout.SWITCH_POSITION_OFFSET, portTxPosition);
        LONG.setRelease(words, (long) LinkRegionLayout.TX_ACK_OFFSET, REQUEST_DIRECT);
    }

    /** Revert step 2 (or an ack of a revert that came before the switch). */
    public void ackRevert() {
        LONG.setRelease(words, (long) LinkRegionLayout.TX_ACK_OFFSET, REQUEST_REVERT);
    }

    public long txAck() {
        return (long) LONG.getAcquire(words, (long) LinkRegionLayout.TX_ACK_OFFSET);
    }

    /** The producer's port tx position at the switch, or {@link #UNSET_POSITION}. */
    public long switchPosition() {
        return (long) LONG.getAcquire(words, (long) LinkRegionLayout.SWITCH_POSITION_OFFSET);
    }

    // ---- S (the switch's PMD thread) ----

    /** Establish step 4: the consumer's port rx producer position after the producer's last switched packet. */
    public void publishFence(long portRxPosition) {
        LONG.setRelease(words, (long) LinkRegionLayout.FENCE_OFFSET, portRxPosition);
    }

    /** The fence, or {@link #UNSET_POSITION}. */
    public long fence() {
        return (long) LONG.getAcquire(words, (long) LinkRegionLayout.FENCE_OFFSET);
    }

    /** Revert step 4: the ring is drained and abandoned. */
    public void close() {
        LONG.setRelease(words, (long) LinkRegionLayout.CLOSED_OFFSET, 1L);
    }

    public boolean isClosed() {
        return (long) LONG.getAcquire(words, (long) LinkRegionLayout.CLOSED_OFFSET) == 1L;
    }

    /** The consumer is known dead: the switch consumes the ring from now on. */
    public void takeOverConsumer() {
        LONG.setRelease(words, (long) LinkRegionLayout.CONSUMER_TAKEOVER_OFFSET, 1L);
    }

    public boolean isConsumerTakenOver() {
        return (long) LONG.getAcquire(words, (long) LinkRegionLayout.CONSUMER_TAKEOVER_OFFSET) == 1L;
    }

    // ---- GB (the consuming VNF) ----

    /** {@link #RX_READING} once past the fence, {@link #RX_DETACHED} once it stopped for good. */
    public void rxState(long state) {
        if (state != RX_READING && state != RX_DETACHED) {
            throw new IllegalArgumentException("direction " + direction + ": rx state " + state + " is not 1 or 2");
        }
        LONG.setRelease(words, (long) LinkRegionLayout.RX_STATE_OFFSET, state);
    }

    public long rxState() {
        return (long) LONG.getAcquire(words, (long) LinkRegionLayout.RX_STATE_OFFSET);
    }
}
