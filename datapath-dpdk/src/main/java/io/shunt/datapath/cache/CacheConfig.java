package io.shunt.datapath.cache;

/**
 * Sizes and policies of one PMD's caches.
 *
 * @param emcEntries          exact-match cache slots, a power of two (OVS: 8192)
 * @param emcInsertInvProb    insert into the EMC with probability 1/N; 1 always, 0 never (OVS's
 *                            other_config:emc-insert-inv-prob, default 100): with many flows a full
 *                            insert rate only thrashes the EMC
 * @param megaflowMaxEntries  megaflows a PMD may hold (OVS: 65536 per PMD, its compile-time MAX_FLOWS)
 * @param rankInterval        megaflow lookups between two re-rankings of the subtables by hits
 * @param seed                seed of the EMC insertion coin (fixed in tests for determinism)
 */
public record CacheConfig(int emcEntries, int emcInsertInvProb, int megaflowMaxEntries, int rankInterval, long seed) {
    public CacheConfig {
        if (emcEntries < 2 || Integer.bitCount(emcEntries) != 1) {
            throw new IllegalArgumentException("emcEntries must be a power of two >= 2, got " + emcEntries);
        }
        if (emcInsertInvProb < 0) {
            throw new IllegalArgumentException("emcInsertInvProb must be >= 0 (0 disables the EMC), got " + emcInsertInvProb);
        }
        if (megaflowMaxEntries < 1) {
            throw new IllegalArgumentException("megaflowMaxEntries must be >= 1, got " + megaflowMaxEntries);
        }
        if (rankInterval < 1) {
            throw new IllegalArgumentException("rankInterval must be >= 1, got " + rankInterval);
        }
    }

    /**
     * OVS's EMC defaults (8192 entries, insert 1 in 100); 200,000 megaflows per PMD, where
     * OVS's dpif-netdev stops at 65,536 (and its ofproto's default flow-limit is 200,000):
     * with 100,000 active flows a 65,536 cap leaves a third of the packets on the upcall path
     * for good (measured: 5.7 million upcalls in 20 s). Subtables grow as megaflows are
     * installed, so the higher cap costs memory only where flows need it. Re-rank every
     * 65536 lookups.
     */
    public static CacheConfig defaults() {
        return new CacheConfig(8192, 100, 200_000, 1 << 16, 0x5eed);
    }

    public CacheConfig withEmcInsertInvProb(int n) {
        return new CacheConfig(emcEntries, n, megaflowMaxEntries, rankInterval, seed);
    }

    public CacheConfig withEmcEntries(int n) {
        return new CacheConfig(n, emcInsertInvProb, megaflowMaxEntries, rankInterval, seed);
    }

    public CacheConfig withMegaflowMaxEntries(int n) {
        return new CacheConfig(emcEntries, emcInsertInvProb, n, rankInterval, seed);
    }

    public CacheConfig withRankInterval(int n) {
        return new CacheConfig(emcEntries, emcInsertInvProb, megaflowMaxEntries, n, seed);
    }
}
