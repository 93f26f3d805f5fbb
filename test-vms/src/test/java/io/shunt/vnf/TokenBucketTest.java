package io.shunt.vnf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    @Test
    void tokensAccrueAtTheRateUpToOneBurst() {
        TokenBucket b = new TokenBucket(1_000_000, 32, 0);     // one token per microsecond
        assertEquals(0, b.available(0));
        assertEquals(10, b.available(10_000));
        assertEquals(32, b.available(1_000_000), "capped at the depth");
        b.spend(32, 1_000_000);
        assertEquals(0, b.available(1_000_000), "a full bucket saves nothing beyond its depth");
        assertEquals(5, b.available(1_005_000));
    }

    @Test
    void spendingKeepsTheLongRunRateExact() {
        // 333,333,333 ns per token; a depth of 2 absorbs the 1 ms polling delay.
        TokenBucket b = new TokenBucket(3, 2, 0);
        long sent = 0;
        for (long now = 0; now <= 10_000_000_000L; now += 1_000_000) {
            int n = b.available(now);
            if (n > 0) {
                b.spend(n, now);
                sent += n;
            }
        }
        assertEquals(30, sent);
    }
}
