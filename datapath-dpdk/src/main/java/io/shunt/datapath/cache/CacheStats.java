package io.shunt.datapath.cache;

/**
 * A snapshot of one PMD's cache counters, as {@code pmd-stats} shows them: every
 * lookup ends as exactly one of an EMC hit, a megaflow hit or a miss (an upcall to
 * the classifier).
 *
 * @param emcHits           lookups answered by the exact-match cache
 * @param megaflowHits      lookups that missed the EMC and were answered by the megaflow cache
 * @param misses            lookups that missed both caches
 * @param emcInserts        entries written into the EMC (probabilistic, see {@link CacheConfig#emcInsertInvProb()})
 * @param megaflowInserts   megaflows installed
 * @param megaflowFull      megaflows refused because the cache held {@link CacheConfig#megaflowMaxEntries()} entries
 * @param staleInserts      megaflows refused because they were built from an older flow-table generation
 * @param generationFlushes times the PMD saw a new generation and dropped its megaflows
 * @param subtableSearches  megaflow subtables probed in total (subtableSearches / lookups that reached the megaflow cache
 *                          is OVS's "avg. subtable lookups per megaflow hit")
 */
public record CacheStats(long emcHits, long megaflowHits, long misses, long emcInserts, long megaflowInserts,
                         long megaflowFull, long staleInserts, long generationFlushes, long subtableSearches) {

    /** All lookups counted. */
    public long lookups() {
        return emcHits + megaflowHits + misses;
    }
}
