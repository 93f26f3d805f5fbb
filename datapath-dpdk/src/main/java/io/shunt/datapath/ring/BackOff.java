package io.shunt.datapath.ring;

import java.util.concurrent.locks.LockSupport;

/**
 * What a polling thread does when a ring is empty (or full): spin a little, then yield,
 * then park for growing periods, so that an idle poller on a 2-core machine leaves the
 * CPU to others (DESIGN.md section 3). One instance per thread; no allocation.
 */
public final class BackOff {
    private final int spins;
    private final int yields;
    private final long minParkNanos;
    private final long maxParkNanos;
    private long idleRounds;
    private long parkNanos;

    /**
     * @param spins        busy-wait rounds before yielding
     * @param yields       yield rounds before parking
     * @param minParkNanos first park period
     * @param maxParkNanos park period cap (the period doubles up to it)
     */
    public BackOff(int spins, int yields, long minParkNanos, long maxParkNanos) {
        if (spins < 0 || yields < 0 || minParkNanos <= 0 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("bad back-off: spins " + spins + ", yields " + yields
                    + ", park " + minParkNanos + ".." + maxParkNanos + " ns");
        }
        this.spins = spins;
        this.yields = yields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.parkNanos = minParkNanos;
    }

    /** 100 spins, 10 yields, then parks of 1 microsecond doubling up to 1 ms. */
    public static BackOff standard() {
        return new BackOff(100, 10, 1_000, 1_000_000);
    }

    /** Call after a round that did no work. */
    public void idle() {
        long round = idleRounds++;
        if (round < spins) {
            Thread.onSpinWait();
        } else if (round < spins + yields) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(parkNanos << 1, maxParkNanos);
        }
    }

    /** Call after a round that did work: the next idle round starts spinning again. */
    public void reset() {
        idleRounds = 0;
        parkNanos = minParkNanos;
    }

    /** {@link #reset()} if {@code workDone > 0}, else {@link #idle()}. */
    public void afterRound(int workDone) {
        if (workDone > 0) {
            if (idleRounds != 0) {
                reset();
            }
        } else {
            idle();
        }
    }
}
