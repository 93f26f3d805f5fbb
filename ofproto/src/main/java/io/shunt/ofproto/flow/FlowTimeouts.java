package io.shunt.ofproto.flow;

import java.util.PriorityQueue;

/**
 * Idle and hard timeouts (OF1.3 section 5.5): a priority queue of check
 * times, so that a sweep costs O(k log n) for the k entries due, not a scan
 * of the tables. Idle deadlines move with use, so a popped entry whose
 * last use is recent is simply pushed back at its new deadline (lazy
 * rescheduling; the queue never holds more than one item per live entry
 * version).
 */
final class FlowTimeouts {
    private record Due(long atNanos, FlowEntry entry) {}

    private final PriorityQueue<Due> queue = new PriorityQueue<>((a, b) -> Long.compare(a.atNanos, b.atNanos));

    /** Schedules the first check of an entry that has a timeout. */
    void schedule(FlowEntry e) {
        long next = nextCheck(e, e.counters().lastUsedNanos());
        if (next != Long.MAX_VALUE) queue.add(new Due(next, e));
    }

    static long nextCheck(FlowEntry e, long lastUsedNanos) {
        long hard = e.hardTimeout() > 0 ? e.installedNanos() + e.hardTimeout() * 1_000_000_000L : Long.MAX_VALUE;
        long idle = e.idleTimeout() > 0 ? lastUsedNanos + e.idleTimeout() * 1_000_000_000L : Long.MAX_VALUE;
        return Math.min(hard, idle);
    }

    /** The earliest scheduled check, or Long.MAX_VALUE. */
    long nextDeadline() {
        Due d = queue.peek();
        return d == null ? Long.MAX_VALUE : d.atNanos;
    }

    interface Expiry {
        /** Last use of the entry including traffic outside the classifier (Datapath#extraTraffic). */
        long lastUsed(FlowEntry e);

        void expired(FlowEntry e, boolean hard);
    }

    /** Pops every entry due at {@code now}; reports expired ones, reschedules the others. */
    void sweep(long now, Expiry expiry) {
        while (!queue.isEmpty() && queue.peek().atNanos <= now) {
            FlowEntry e = queue.poll().entry;
            if (!e.live) continue; // removed or replaced by a newer version with its own schedule
            long hard = e.hardTimeout() > 0 ? e.installedNanos() + e.hardTimeout() * 1_000_000_000L : Long.MAX_VALUE;
            long lastUsed = expiry.lastUsed(e);
            long idle = e.idleTimeout() > 0 ? lastUsed + e.idleTimeout() * 1_000_000_000L : Long.MAX_VALUE;
            if (now >= hard) {
                expiry.expired(e, true);
            } else if (now >= idle) {
                expiry.expired(e, false);
            } else {
                queue.add(new Due(Math.min(hard, idle), e));
            }
        }
    }

    int size() {
        return queue.size();
    }
}
