package io.shunt.datapath.engine;

import io.shunt.datapath.cache.CacheStats;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of one PMD thread, as {@code pmd-stats} prints it.
 *
 * <p>Cycles are not read from the TSC (Java has no portable rdtsc): they are busy
 * nanoseconds ({@link System#nanoTime()} around every poll round that did work) times
 * the machine's TSC rate ({@link TscRate#MACHINE}), so the figures compare with OVS's
 * {@code pmd-stats-show} on the same machine. Idle share is the fraction of
 * wall time spent in rounds that found nothing to do.
 *
 * @param packets       packets received from ports (and injected)
 * @param busyNanos     time in rounds that did work
 * @param idleNanos     time in rounds that found nothing (including back-off)
 * @param cache         EMC / megaflow / upcall counters
 * @param drops         packets dropped, by reason
 * @param idlePolicy    the idle back-off the PMD's loop uses now
 */
public record PmdStats(int pmdId, List<String> ports, long packets, long busyNanos, long idleNanos, CacheStats cache,
                       Map<DropReason, Long> drops, IdlePolicy idlePolicy) {
    public double cyclesPerPacket() {
        return packets == 0 ? 0 : busyNanos * TscRate.MACHINE.ghz() / packets;
    }

    public double idleShare() {
        long total = busyNanos + idleNanos;
        return total == 0 ? 1.0 : (double) idleNanos / total;
    }
}
