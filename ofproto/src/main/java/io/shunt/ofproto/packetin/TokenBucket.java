package io.shunt.ofproto.packetin;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free token bucket (rate per second, burst depth) for the switch's
 * PACKET_IN rate limit; any thread may take a token. Tokens are kept in
 * nano-tokens (1e9 per token) so refills need no division per call.
 */
public final class TokenBucket {
    private static final long NANO = 1_000_000_000L;
    private final long ratePerSecond;
    private final long capacity; // nano-tokens
    private final AtomicLong tokens;
    private final AtomicLong last;

    public TokenBucket(long ratePerSecond, long burst, long nowNanos) {
        this.ratePerSecond = ratePerSecond;
        this.capacity = burst * NANO;
        this.tokens = new AtomicLong(capacity);
        this.last = new AtomicLong(nowNanos);
    }

    /** Takes one token if available. */
    public boolean tryTake(long nowNanos) {
        long prev = last.get();
        if (nowNanos > prev && last.compareAndSet(prev, nowNanos)) {
            long add = Math.min(capacity, (nowNanos - prev)) * ratePerSecond; // nano-tokens, bounded against overflow
            long cur;
            do {
                cur = tokens.get();
            } while (!tokens.compareAndSet(cur, Math.min(capacity, cur + add)));
        }
        long cur;
        do {
            cur = tokens.get();
            if (cur < NANO) return false;
        } while (!tokens.compareAndSet(cur, cur - NANO));
        return true;
    }
}
