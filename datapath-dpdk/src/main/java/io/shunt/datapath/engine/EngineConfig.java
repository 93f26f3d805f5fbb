package io.shunt.datapath.engine;

import io.shunt.datapath.cache.CacheConfig;

/**
 * Settings of a forwarding engine.
 *
 * @param pmdThreads  PMD threads; ports are assigned round-robin in the order they are added
 * @param burst       packets per receive burst (at most {@link #MAX_BURST})
 * @param spinPolls   empty polls that busy-wait before yielding
 * @param yieldPolls  empty polls that yield before parking
 * @param parkMicros  longest park of an idle PMD (the first park is 1 microsecond, then doubles)
 * @param cache       per-PMD cache sizes
 */
public record EngineConfig(int pmdThreads, int burst, int spinPolls, int yieldPolls, int parkMicros, CacheConfig cache) {
    public static final int MAX_BURST = 256;

    public EngineConfig {
        if (pmdThreads < 1 || burst < 1 || burst > MAX_BURST || spinPolls < 0 || yieldPolls < 0 || parkMicros < 1) {
            throw new IllegalArgumentException("bad engine config: " + pmdThreads + " PMDs, burst " + burst + ", "
                    + spinPolls + " spins, " + yieldPolls + " yields, park " + parkMicros + " us");
        }
    }

    /** The idle back-off part of these settings. */
    public IdlePolicy idlePolicy() {
        return new IdlePolicy(spinPolls, yieldPolls, parkMicros);
    }

    public static EngineConfig defaults() {
        return new EngineConfig(1, 32, 1_000, 1_000, 50, CacheConfig.defaults());
    }
}
