package io.shunt.vnf;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces a sender to a fixed packet rate in bursts: tokens accrue at {@code rate} per second
 * up to {@code depth} (one burst), each packet spends one. Time is kept as nanoseconds owed
 * rather than fractional tokens, so the rate does not drift over a long run. Single thread;
 * allocates nothing.
 */
final class TokenBucket {
    private static final long SPIN_BELOW_NANOS = 20_000;

    private final long nanosPerToken;
    private final long depth;
    /** Time at which the bucket was last empty: tokens = (now - emptyAt) / nanosPerToken, capped at depth. */
    private long emptyAt;

    /** @param packetsPerSecond rate, at most 1e9 (one token per nanosecond) */
    TokenBucket(long packetsPerSecond, int depth, long now) {
        if (packetsPerSecond < 1 || packetsPerSecond > 1_000_000_000L || depth < 1) {
            throw new IllegalArgumentException("rate " + packetsPerSecond + " pps (1..1e9), depth " + depth);
        }
        this.nanosPerToken = 1_000_000_000L / packetsPerSecond;
        this.depth = depth;
        this.emptyAt = now;
    }

    /** Tokens available at {@code now}, at most the depth; does not spend them. */
    int available(long now) {
        long tokens = (now - emptyAt) / nanosPerToken;
        return (int) Math.min(tokens, depth);
    }

    /** Spends {@code n} tokens (at most {@link #available}) at {@code now}. */
    void spend(int n, long now) {
        // A full bucket does not save tokens beyond its depth.
        long floor = now - depth * nanosPerToken;
        if (emptyAt < floor) {
            emptyAt = floor;
        }
        emptyAt += n * nanosPerToken;
    }

    /** Waits until at least one token is there: parks for long waits, spins for short ones. */
    void awaitToken(long now) {
        long wait = emptyAt + nanosPerToken - now;
        if (wait > SPIN_BELOW_NANOS) {
            LockSupport.parkNanos(wait - SPIN_BELOW_NANOS / 2);
        } else if (wait > 0) {
            Thread.onSpinWait();
        }
    }
}
