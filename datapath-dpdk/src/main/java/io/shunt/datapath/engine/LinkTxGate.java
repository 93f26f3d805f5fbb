package io.shunt.datapath.engine;

import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkDirection;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.ring.RingCounters;
import io.shunt.datapath.ring.SpscRing;

/**
 * The switch side S of one direction A⇒B of a direct link (docs/direct-link-protocol.md):
 * installed on A's {@link DpdkrPort}, it decides how far the PMD thread that polls A may
 * dequeue A's tx ring, publishes the fence after the burst that reached the switch position
 * was flushed, holds A's tx ring on revert until the link ring is drained, then publishes
 * {@code closed}; and, once B is known dead, makes that PMD consume the link ring as A's
 * traffic, after A's pre-switch packets and before anything A sends after its revert.
 *
 * <p><b>Threading.</b> {@link #attach}, {@link #detach}, {@link #producerDead} and
 * {@link #consumerDead} are called by the link manager (one control thread); {@link #phase},
 * {@link #traffic} and {@link #rejectedWords} by anyone. Everything else runs on the PMD thread
 * that owns A's port, from {@link DpdkrPort#rxBurst} and {@link DpdkrPort#afterBurstFlushed}:
 * the protocol state is that thread's alone (plain fields), and what others read of it is
 * published through volatile fields on transitions only. No lock, no allocation on the
 * PMD's path.
 *
 * <p><b>Memory order.</b> Each protocol word has one writer and is read with acquire
 * ({@link LinkDirection}). The order of loads is the protocol: A's tx producer position is
 * loaded <i>before</i> {@code tx_ack}, so a tail that includes packets A sent after a revert
 * cannot be taken for pre-switch traffic; {@code tx_ack = 2} is loaded before the link ring's
 * producer position, so that position is final when the ring is found empty.
 *
 * <p><b>Untrusted words.</b> {@code tx_ack}, {@code switch_pos} and {@code rx_state} are
 * written by VNFs: a value the protocol does not allow (an ack other than 0/1/2, a switch
 * position behind what the switch already took or more than a ring ahead of it) is counted in
 * {@link #rejectedWords} and not acted on; a VNF can at worst stall its own direct path, which the
 * link manager times out.
 */
public final class LinkTxGate {
    private static final Logger log = LoggerFactory.getLogger(LinkTxGate.class);

    // PMD-thread states; FENCE_DUE is DRAINING_TX with the last pre-switch burst in hand.
    private static final int OPEN = 0;
    private static final int DRAINING_TX = 1;
    private static final int FENCE_DUE = 2;
    private static final int FENCED = 3;
    private static final int DIRECT = 4;
    private static final int REVERTING = 5;
    private static final int CLOSED = 6;
    private static final LinkPhase[] PHASES = {LinkPhase.WAITING_FOR_ACK, LinkPhase.DRAINING_TX,
            LinkPhase.DRAINING_TX, LinkPhase.FENCED, LinkPhase.DIRECT, LinkPhase.REVERTING, LinkPhase.CLOSED};

    private final LinkRegion link;
    private final int direction;
    private final LinkDirection words;
    private final DpdkrPort producer;
    private final DpdkrPort consumer;
    private final PacketPool pool;
    /** An observer's view of the link ring: positions and counters only, never dequeues. */
    private final SpscRing linkObserver;

    // PMD thread only.
    private int state;
    private long switchPosition = LinkDirection.UNSET_POSITION;
    private long lastRejected = Long.MIN_VALUE;
    private long takenOverPackets;
    private long takenOverBytes;
    /** The takeover consumer view as this thread last read it. */
    private SpscRing takeover;

    // Published for the link manager.
    private volatile int phase;
    private volatile long rejectedWords;
    private volatile long publishedTakenOverPackets;
    private volatile long publishedTakenOverBytes;
    private volatile boolean producerDead;
    /** Set by the link manager when B is dead: a consumer view of the link ring that starts where B stopped. */
    private volatile SpscRing takeoverRing;

    private LinkTxGate(LinkRegion link, int direction, DpdkrPort producer, DpdkrPort consumer, PacketPool pool) {
        this.link = link;
        this.direction = direction;
        this.words = link.direction(direction);
        this.producer = producer;
        this.consumer = consumer;
        this.pool = pool;
        this.linkObserver = link.ring(direction, pool);
        this.state = adoptedState();
        this.phase = state;
        if (words.isConsumerTakenOver()) {
            this.takeoverRing = link.ring(direction, pool);
        }
    }

    /**
     * Installs the gate of direction {@code direction} of {@code link} on {@code producer}'s port
     * (A of that direction), whose PMD thread from then on follows the protocol for it. The state
     * is rebuilt from the link's words, so this is also how a restarted switch adopts a link
     * whose region it finds (a fresh region's words say "nothing happened yet").
     *
     * @param producer the port A (producer of the direction: {@code link.portA()} for direction 0)
     * @param consumer the port B (its rx ring is what the fence names)
     * @param pool     the bridge's pool, which the link names (name and generation)
     * @throws IllegalArgumentException if the ports are not the ones the link names for that
     *                                  direction, the pool differs, or A already has a gate
     */
    public static LinkTxGate attach(LinkRegion link, int direction, DpdkrPort producer, DpdkrPort consumer,
                                    PacketPool pool) {
        Objects.requireNonNull(link, "link");
        int from = direction == 0 ? link.portA() : link.portB();
        int to = direction == 0 ? link.portB() : link.portA();
        if (producer.portNo() != from || consumer.portNo() != to) {
            throw new IllegalArgumentException(link + ", direction " + direction + ": goes from port " + from + " to "
                    + to + ", not from " + producer + " to " + consumer);
        }
        LinkTxGate gate = new LinkTxGate(link, direction, producer, consumer, pool);
        producer.installGate(gate);
        log.info("{} direction {} ({} => {}): gate attached in phase {}", link, direction, producer.name(),
                consumer.name(), gate.phase());
        return gate;
    }

    /** The state the words describe (adoption); switch-position checks wait for the PMD thread. */
    private int adoptedState() {
        if (words.isClosed()) {
            return CLOSED;
        }
        long ack = words.txAck();
        long fence = words.fence();
        if (fence == LinkDirection.UNSET_POSITION || (ack != LinkDirection.REQUEST_DIRECT
                && ack != LinkDirection.REQUEST_REVERT)) {
            // Not fenced yet: OPEN re-reads ack and switch position on the PMD thread and
            // drains A's tx ring up to it (what the old switch took is below its consumer position).
            return OPEN;
        }
        switchPosition = words.switchPosition();
        if (ack == LinkDirection.REQUEST_REVERT) {
            return REVERTING;
        }
        return words.rxState() == LinkDirection.RX_READING ? DIRECT : FENCED;
    }

    /**
     * Removes the gate from A's port: the PMD polls A's tx ring as usual from its next round.
     * Call it once {@link #phase} is {@link LinkPhase#CLOSED} (or A's port is being removed);
     * before that it gives up the ordering guarantee, and says so in the log. Then wait for the
     * engine to finish a round ({@link ForwardingEngine#quiesce}) before unmapping the region.
     */
    public void detach() {
        producer.removeGate(this);
        LinkPhase now = phase();
        if (now != LinkPhase.CLOSED && now != LinkPhase.WAITING_FOR_ACK) {
            log.warn("{} direction {}: gate detached in phase {}: A's traffic may be reordered", link, direction, now);
        } else {
            log.info("{} direction {}: gate detached in phase {}", link, direction, now);
        }
    }

    /** A's process (or domain) is gone: the link ring's producer position is final (treated as {@code tx_ack = 2}). */
    public void producerDead() {
        producerDead = true;
        log.info("{} direction {}: producer {} declared dead", link, direction, producer.name());
    }

    /**
     * B's process (or domain) is gone, not merely slow: the switch becomes the link ring's
     * consumer (there is one consumer at a time only because B is dead), publishes the takeover
     * word, and the PMD forwards what is on the ring through the normal path, after A's
     * pre-switch packets and before A's post-revert ones.
     */
    public void consumerDead() {
        if (takeoverRing != null) {
            return;
        }
        words.takeOverConsumer();
        // Created after B died: the view starts at B's final consumer position.
        takeoverRing = link.ring(direction, pool);
        log.info("{} direction {}: consumer {} declared dead, the switch consumes the link ring ({} waiting)", link,
                direction, consumer.name(), takeoverRing.count());
    }

    /** The phase as last published by the PMD thread. */
    public LinkPhase phase() {
        return PHASES[phase];
    }

    /** Protocol words from a VNF that the gate refused (see the class comment). */
    public long rejectedWords() {
        return rejectedWords;
    }

    /** Link traffic for statistics (allocates; not for the packet path). */
    public LinkTraffic traffic() {
        RingCounters counters = linkObserver.counters();
        long overPackets = publishedTakenOverPackets;
        long overBytes = publishedTakenOverBytes;
        return new LinkTraffic(Math.max(0, counters.enqueuedPackets() - overPackets),
                Math.max(0, counters.enqueuedBytes() - overBytes), overPackets, overBytes, counters.rejected());
    }

    public LinkRegion link() {
        return link;
    }

    public int direction() {
        return direction;
    }

    public DpdkrPort producer() {
        return producer;
    }

    public DpdkrPort consumer() {
        return consumer;
    }

    // ---- PMD thread ----

    /** A's receive burst under the gate: {@code fromVnf} is A's tx ring, consumer view of this PMD. */
    int rxBurst(SpscRing fromVnf, int[] dst, int max) {
        switch (state) {
            case OPEN:
                return open(fromVnf, dst, max);
            case DRAINING_TX:
                return drainToSwitchPosition(fromVnf, dst, max);
            case FENCE_DUE:
                return 0;
            case FENCED:
            case DIRECT:
                return direct(fromVnf, dst, max);
            case REVERTING:
                return reverting(fromVnf, dst, max);
            default:
                return fromVnf.dequeueBurst(dst, 0, max);
        }
    }

    /** Establish step 4: the burst that reached the switch position is in B's rx ring (or counted as dropped). */
    void afterBurstFlushed() {
        if (state == FENCE_DUE) {
            // Read after our own flush: every packet of A this thread moved is below it.
            words.publishFence(consumer.rxRingProducerPosition());
            enter(FENCED);
        }
    }

    private int open(SpscRing fromVnf, int[] dst, int max) {
        // Step 3: the tail first, then the ack. Everything below this tail was sent before any
        // switch we may see later, so it may be taken now whatever the ack says.
        long tail = fromVnf.producerPosition();
        boolean dead = producerDead;   // before the ack: a dead A's last ack store is then visible
        long ack = words.txAck();
        if (dead && ack == LinkDirection.REQUEST_NONE) {
            // A died before it ever switched (a receive-only VNF never bursts): L was never used,
            // and a dead A cannot switch any more (protocol, failures: A dies).
            words.close();
            enter(CLOSED);
            return fromVnf.dequeueBurst(dst, 0, max);
        }
        if (ack == LinkDirection.REQUEST_DIRECT || ack == LinkDirection.REQUEST_REVERT) {
            long position = words.switchPosition();
            if (position == LinkDirection.UNSET_POSITION) {
                if (ack == LinkDirection.REQUEST_REVERT) {
                    // Reverted before it ever switched: L was never used (revert, last paragraph).
                    words.close();
                    enter(CLOSED);
                    return fromVnf.dequeueBurst(dst, 0, max);
                }
                reject(ack);
            } else if (position - fromVnf.consumedPosition() >= 0
                    && position - fromVnf.consumedPosition() <= fromVnf.capacity()) {
                switchPosition = position;
                enter(DRAINING_TX);
                return drainToSwitchPosition(fromVnf, dst, max);
            } else {
                reject(position);
            }
        } else if (ack != LinkDirection.REQUEST_NONE) {
            reject(ack);
        }
        long room = tail - fromVnf.consumedPosition();
        return room <= 0 ? 0 : fromVnf.dequeueBurst(dst, 0, (int) Math.min(max, room));
    }

    private int drainToSwitchPosition(SpscRing fromVnf, int[] dst, int max) {
        long room = switchPosition - fromVnf.consumedPosition();
        int n = room <= 0 ? 0 : fromVnf.dequeueBurst(dst, 0, (int) Math.min(max, room));
        if (fromVnf.consumedPosition() == switchPosition) {
            // The fence goes out after this round's flush (afterBurstFlushed), not before.
            state = FENCE_DUE;
        }
        return n;
    }

    private int direct(SpscRing fromVnf, int[] dst, int max) {
        long ack = words.txAck();
        if (ack == LinkDirection.REQUEST_REVERT || producerDead) {
            enter(REVERTING);
            return reverting(fromVnf, dst, max);
        }
        if (ack != LinkDirection.REQUEST_DIRECT) {
            reject(ack);
        }
        if (state == FENCED && words.rxState() == LinkDirection.RX_READING) {
            enter(DIRECT);
        }
        return takeOver(dst, max);
    }

    private int reverting(SpscRing fromVnf, int[] dst, int max) {
        int n = takeOver(dst, max);
        if (n > 0) {
            return n;
        }
        // tx_ack = 2 was loaded (acquire) before these: the producer position is final.
        long produced = linkObserver.producerPosition();
        long consumed = linkObserver.consumerPosition();
        if (consumed - produced < 0) {
            return 0;
        }
        if (consumed != produced) {
            reject(consumed);
        }
        // Revert step 4; A's packets sent after its ack now come after every packet of L.
        words.close();
        enter(CLOSED);
        return fromVnf.dequeueBurst(dst, 0, max);
    }

    /** B is dead: consume the link ring as A's traffic. */
    private int takeOver(int[] dst, int max) {
        SpscRing ring = takeover;
        if (ring == null) {
            ring = takeover = takeoverRing;
            if (ring == null) {
                return 0;
            }
        }
        int n = ring.dequeueBurst(dst, 0, max);
        if (n > 0) {
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                bytes += pool.packetLength(dst[i]);
            }
            takenOverPackets += n;
            takenOverBytes += bytes;
            publishedTakenOverPackets = takenOverPackets;
            publishedTakenOverBytes = takenOverBytes;
        }
        return n;
    }

    private void enter(int next) {
        state = next;
        phase = next;
    }

    private void reject(long value) {
        // Once per distinct value: a word that stays wrong is one refusal, not one per poll.
        if (value != lastRejected) {
            lastRejected = value;
            rejectedWords = rejectedWords + 1;
        }
    }

    @Override
    public String toString() {
        return "gate " + link + " direction " + direction + " (" + producer.name() + " => " + consumer.name() + ", "
                + phase() + ")";
    }
}
