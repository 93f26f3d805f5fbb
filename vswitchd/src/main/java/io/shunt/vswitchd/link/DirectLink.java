package io.shunt.vswitchd.link;

import io.shunt.datapath.port.LinkDirection;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.ring.SpscRing;
import java.nio.file.Path;
import java.util.List;

/**
 * One direct link of a bridge (a path A⇒B, or a pair sharing one region) and where it is in
 * its life. Mutable, owned by the bridge's control thread; {@link #view()} takes the
 * snapshot that management requests read.
 */
final class DirectLink {

    /** One direction of the link: its words, its ring (read for counters only) and its statistics feed. */
    static final class Direction {
        final int index;
        final LinkPort from;
        final LinkPort to;
        final LinkDirection words;
        final SpscRing ring;
        LinkStatistics.Feed feed;
        boolean producerDeadReported;
        boolean consumerTakenOver;

        Direction(int index, LinkPort from, LinkPort to, LinkDirection words, SpscRing ring) {
            this.index = index;
            this.from = from;
            this.to = to;
            this.words = words;
            this.ring = ring;
        }

        /** Set once the gate is attached: the direction's traffic as the dataplane counts it. */
        java.util.function.Supplier<LinkTraffic> traffic = () -> LinkTraffic.ZERO;

        LinkTraffic ringTraffic() {
            return traffic.get();
        }
    }

    final LinkKey key;
    final String name;
    final long generation;
    final LinkRegion region;
    final Path file;
    final List<Direction> directions;
    final long createdNanos;
    LinkPhase phase;
    long phaseSinceNanos;
    LinkTransition lastTransition;
    String error;
    /** Plug confirmations still awaited in PLUGGING. */
    int plugsPending;
    /** Ports whose VNF has the device. */
    final java.util.Set<String> plugged = new java.util.HashSet<>();
    /** For an adopted link: until when it waits for its path to be detected again. */
    long adoptGraceUntilNanos;
    /** For RETRY_WAIT, and PLUGGING while waiting for the operator: when to try again. */
    long retryAtNanos;
    /** Ports whose device the operator has to plug by hand (no compute agent); PLUGGING waits for them. */
    final java.util.Set<LinkPort> awaitingOperator = new java.util.LinkedHashSet<>();
    /** The last instruction logged for each port awaiting the operator (logged again only when it changes). */
    final java.util.Map<String, String> operatorMessages = new java.util.HashMap<>();
    /** Plug re-checks done while waiting for the operator (for the back-off). */
    int operatorChecks;

    DirectLink(LinkKey key, String name, long generation, LinkRegion region, Path file, List<Direction> directions,
               LinkPhase phase, long nowNanos) {
        this.key = key;
        this.name = name;
        this.generation = generation;
        this.region = region;
        this.file = file;
        this.directions = List.copyOf(directions);
        this.phase = phase;
        this.createdNanos = nowNanos;
        this.phaseSinceNanos = nowNanos;
    }

    /** A placeholder for a path whose plugging failed: no region, waiting for the back-off. */
    static DirectLink retrying(LinkKey key, String name, List<Direction> ends, long nowNanos) {
        List<Direction> dirs = new java.util.ArrayList<>();
        for (Direction d : ends) {
            // Only the ends: the region is gone, its words and ring are never read in RETRY_WAIT.
            dirs.add(new Direction(d.index, d.from, d.to, null, null));
        }
        return new DirectLink(key, name, 0, null, null, dirs, LinkPhase.RETRY_WAIT, nowNanos);
    }

    /** A snapshot for {@code links}. */
    LinkView view(long nowNanos) {
        List<LinkView.DirectionView> dirs = new java.util.ArrayList<>();
        for (Direction d : directions) {
            LinkTraffic t = d.feed != null ? d.feed.accounted() : LinkTraffic.ZERO;
            dirs.add(new LinkView.DirectionView(d.from.name(), d.to.name(), d.from.ofport(), d.to.ofport(),
                    directionState(d), t.packets(), t.bytes()));
        }
        return new LinkView(name, generation, key.pair(), phase.name(), (nowNanos - createdNanos) / 1_000_000, dirs,
                lastTransition, error);
    }

    /** What one direction's words say, in the link states' names. */
    private String directionState(Direction d) {
        if (phase == LinkPhase.RETRY_WAIT || phase == LinkPhase.PLUGGING || phase == LinkPhase.NORMAL) {
            return phase.name();
        }
        LinkDirection w = d.words;
        if (w.request() == LinkDirection.REQUEST_REVERT) {
            return w.isClosed() ? "CLOSED" : LinkPhase.REVERTING.name();
        }
        if (w.rxState() == LinkDirection.RX_READING) {
            return LinkPhase.DIRECT.name();
        }
        if (w.fence() != LinkDirection.UNSET_POSITION) {
            return LinkPhase.FENCED.name();
        }
        return LinkPhase.TX_SWITCHED.name();
    }
}
