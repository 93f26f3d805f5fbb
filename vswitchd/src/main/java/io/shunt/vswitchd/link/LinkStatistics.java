package io.shunt.vswitchd.link;

import io.shunt.ofproto.SwitchClock;
import io.shunt.ofproto.datapath.FlowTraffic;
import io.shunt.ofproto.datapath.PortCounters;
import io.shunt.ofproto.flow.FlowCounters;
import io.shunt.ofproto.flow.FlowEntry;
import io.shunt.ofproto.flow.FlowTables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Statistics transparency (DESIGN §4.4): the traffic that went through link rings, folded
 * into what the controller sees as if every packet had crossed the switch. Per direction a
 * {@link Feed} remembers the ring counters it has already accounted; {@link #settle()}
 * adds the difference to the carrier entries (flow statistics and idle timeouts, through
 * {@code Datapath#extraTraffic}), to the lookup and matched counts of every table the
 * carrier crosses, to the producer port's rx and to the consumer port's tx counters.
 *
 * <p>Everything is accumulated, never recomputed from a live ring, so the numbers stay
 * monotonic when a link is freed and a later generation starts from zero: the final
 * counters of a freed link are settled before its feed is dropped. The one decrease: when
 * the switch takes a ring over from a dead consumer, the packets still on it move from the
 * link's account to the switch's own (it forwards and counts them). A carrier change settles
 * first, so traffic before it stays with the old carrier. The accumulated traffic of an entry
 * is keyed by its {@link FlowCounters} (shared by the versions of a modified entry).
 *
 * <p>Threads: the bridge's control thread and management requests (port counters); a lock
 * is fine here, no packet path touches this class.
 */
public final class LinkStatistics {
    private static final int RX_PACKETS = 0;
    private static final int RX_BYTES = 1;
    private static final int TX_PACKETS = 2;
    private static final int TX_BYTES = 3;

    /** One direction of one link being accounted. */
    public static final class Feed {
        private final int from;
        private final int to;
        private final Supplier<LinkTraffic> ring;
        private List<FlowEntry> carrier;
        /** The dataplane's counters as last accounted. */
        private LinkTraffic seen;

        private Feed(int from, int to, Supplier<LinkTraffic> ring, List<FlowEntry> carrier, LinkTraffic already) {
            this.from = from;
            this.to = to;
            this.ring = ring;
            this.carrier = List.copyOf(carrier);
            this.seen = already;
        }

        /** The direct traffic this feed has accounted so far. */
        public LinkTraffic accounted() {
            return seen;
        }
    }

    private static final class Traffic {
        long packets;
        long bytes;
        long lastUsedNanos;
    }

    private final SwitchClock clock;
    private final FlowTables tables;
    private final List<Feed> feeds = new ArrayList<>();
    private final Map<FlowCounters, Traffic> flows = new IdentityHashMap<>();
    private final Map<Integer, long[]> ports = new HashMap<>();

    public LinkStatistics(SwitchClock clock, FlowTables tables) {
        this.clock = clock;
        this.tables = tables;
    }

    /**
     * Starts accounting a direction {@code from ⇒ to}. {@code already}: ring traffic that the
     * ports have already seen (an adopted link after a restart counts it now, into the
     * ports only: the carrier entries of this process are new).
     */
    public synchronized Feed start(int from, int to, Supplier<LinkTraffic> ring, List<FlowEntry> carrier,
                                   LinkTraffic already) {
        Feed f = new Feed(from, to, ring, carrier, already);
        addPort(from, RX_PACKETS, already.enqueuedPackets(), already.enqueuedBytes());
        addPort(to, TX_PACKETS, already.directPackets(), already.directBytes());
        feeds.add(f);
        return f;
    }

    /** Moves a direction's future traffic to another carrier (the detector's CarrierChanged). */
    public synchronized void carrierChanged(Feed f, List<FlowEntry> carrier) {
        settle(f);
        f.carrier = List.copyOf(carrier);
    }

    /** Settles the last traffic of a direction and stops accounting it (the link is freed). */
    public synchronized void stop(Feed f) {
        settle(f);
        feeds.remove(f);
    }

    /** Accounts every direction's new traffic. */
    public synchronized void settle() {
        for (Feed f : feeds) {
            settle(f);
        }
    }

    private void settle(Feed f) {
        LinkTraffic now = f.ring.get();
        LinkTraffic before = f.seen;
        if (now.equals(before)) {
            return;
        }
        f.seen = now;
        addPort(f.from, RX_PACKETS, now.enqueuedPackets() - before.enqueuedPackets(),
                now.enqueuedBytes() - before.enqueuedBytes());
        long dp = now.directPackets() - before.directPackets();
        long db = now.directBytes() - before.directBytes();
        if (dp == 0 && db == 0) {
            return;
        }
        // dp < 0 only when the switch took the ring over from a dead consumer: the packets it
        // then forwards are counted by the switch itself (flows, consumer's tx), so they leave here.
        long t = clock.nanos();
        for (FlowEntry e : f.carrier) {
            Traffic tr = flows.computeIfAbsent(e.counters(), k -> new Traffic());
            tr.packets += dp;
            tr.bytes += db;
            if (dp > 0) {
                tr.lastUsedNanos = t;
            }
            tables.table(e.tableId()).addLookups(dp, dp);
        }
        addPort(f.to, TX_PACKETS, dp, db);
    }

    private void addPort(int port, int packetsSlot, long packets, long bytes) {
        if (packets == 0 && bytes == 0) {
            return;
        }
        long[] c = ports.computeIfAbsent(port, k -> new long[4]);
        c[packetsSlot] += packets;
        c[packetsSlot + 1] += bytes;
    }

    /** Link traffic of a flow entry ({@code Datapath#extraTraffic}). */
    public synchronized FlowTraffic flowTraffic(FlowEntry e) {
        if (feeds.isEmpty() && flows.isEmpty()) {
            return FlowTraffic.NONE;
        }
        settle();
        Traffic t = flows.get(e.counters());
        return t == null ? FlowTraffic.NONE : new FlowTraffic(t.packets, t.bytes, t.lastUsedNanos);
    }

    /** A port's counters with its link traffic added (rx of producers, tx of consumers). */
    public synchronized PortCounters withLinkTraffic(int port, PortCounters ring) {
        if (ring == null) {
            return null;
        }
        settle();
        long[] c = ports.get(port);
        if (c == null) {
            return ring;
        }
        return new PortCounters(ring.rxPackets() + c[RX_PACKETS], ring.txPackets() + c[TX_PACKETS],
                ring.rxBytes() + c[RX_BYTES], ring.txBytes() + c[TX_BYTES], ring.rxDropped(), ring.txDropped(),
                ring.rxErrors(), ring.txErrors(), ring.uptimeNanos());
    }

    /** Drops the accumulated traffic of an entry that is gone for good (after its FLOW_REMOVED was built). */
    public synchronized void forget(FlowCounters counters) {
        for (Feed f : feeds) {
            for (FlowEntry e : f.carrier) {
                if (e.counters() == counters) {
                    return;
                }
            }
        }
        flows.remove(counters);
    }

    /** Forgets a removed port's link traffic (a port number is never reused while the bridge lives). */
    public synchronized void portRemoved(int port) {
        ports.remove(port);
    }
}
