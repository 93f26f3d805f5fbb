package io.shunt.datapath.cache;

import io.shunt.datapath.flow.FlowKey;
import io.shunt.datapath.flow.FlowMask;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The caches one PMD thread keeps in front of the (slow) OpenFlow classifier, as in
 * OVS's dpif-netdev: an exact-match cache, then a megaflow cache, then a miss that the
 * caller answers by an upcall to the classifier, which supplies the actions and the
 * mask of the megaflow to {@link #insert}.
 *
 * <p>Protocol, per PMD thread:
 * <ol>
 *   <li>{@link #beginBurst()} on every poll iteration, even an empty one: reads the
 *       {@link FlowGeneration} (acquire), drops the megaflows if it changed, and
 *       publishes the generation this PMD now works in ({@link #observedGeneration()}).
 *   <li>{@link #lookup} for each packet's key; null means a miss.
 *   <li>On a miss, classify and call {@link #insert} with the generation
 *       {@code beginBurst} returned, which was read before the classifier ran: if the
 *       tables changed meanwhile, the entry is stale from birth and is never returned.
 * </ol>
 * The control plane, after {@link FlowGeneration#advance()} to g, knows that every
 * packet a PMD looks up once its {@code observedGeneration() >= g} uses the new tables:
 * that is how a BARRIER_REPLY can promise the new flow table to every later packet.
 *
 * <p>Owned by a single PMD thread (only {@link #stats()} and {@link #observedGeneration()}
 * may be called from others). The lookup path allocates nothing and takes no lock.
 *
 * @param <A> the immutable actions object of the vswitchd layer; opaque to the datapath
 */
public final class FlowCaches<A> {
    private static final VarHandle OBSERVED;

    static {
        try {
            OBSERVED = MethodHandles.lookup().findVarHandle(FlowCaches.class, "observed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final FlowGeneration generation;
    private final ExactMatchCache<A> emc;
    private final MegaflowCache<A> megaflows;
    private final CacheCounters counters = new CacheCounters();
    /** With an insertion probability of 0 the EMC stays empty: skip its hash and probe (as OVS does). */
    private final boolean emcEnabled;
    private long current;
    @SuppressWarnings("unused") // through OBSERVED
    private long observed;

    public FlowCaches(CacheConfig config, FlowGeneration generation) {
        this.generation = generation;
        this.emc = new ExactMatchCache<>(config.emcEntries(), config.emcInsertInvProb(), config.seed());
        this.megaflows = new MegaflowCache<>(config.megaflowMaxEntries(), config.rankInterval());
        this.emcEnabled = config.emcInsertInvProb() != 0;
        this.current = generation.current();
        OBSERVED.setRelease(this, current);
    }

    /** Starts a burst: returns the generation to stamp this burst's upcall results with. */
    public long beginBurst() {
        long g = generation.current();
        if (g != current) {
            current = g;
            // a generation change may have changed any megaflow; EMC entries are
            // rejected lazily by their own generation stamp
            megaflows.clear();
            counters.increment(CacheCounters.GENERATION_FLUSHES);
            // release: a control thread that reads observed >= g (acquire) may rely on
            // this PMD doing every later lookup in generation g
            OBSERVED.setRelease(this, g);
        }
        return g;
    }

    /** The actions for {@code key} from the EMC or the megaflow cache, or null on a miss. */
    public A lookup(FlowKey key) {
        long g = current;
        int hash = 0;
        A a;
        if (emcEnabled) {
            hash = key.hash();
            a = emc.lookup(key, hash, g);
            if (a != null) {
                counters.increment(CacheCounters.EMC_HITS);
                return a;
            }
        }
        long before = megaflows.subtableSearches();
        a = megaflows.lookup(key, g);
        counters.add(CacheCounters.SUBTABLE_SEARCHES, megaflows.subtableSearches() - before);
        if (a != null) {
            counters.increment(CacheCounters.MEGAFLOW_HITS);
            if (emcEnabled && emc.maybeInsert(key, hash, a, g)) {
                counters.increment(CacheCounters.EMC_INSERTS);
            }
            return a;
        }
        counters.increment(CacheCounters.MISSES);
        return null;
    }

    /**
     * Installs the classifier's answer for a missed key: the megaflow {@code (mask, key & mask)}
     * and, by the insertion coin, the exact key. {@code builtGeneration} is the value
     * {@link #beginBurst()} returned before the classifier ran. Returns false if nothing was
     * installed (stale generation or megaflow cache full); the caller still executes the
     * actions for this packet.
     */
    public boolean insert(FlowKey key, FlowMask mask, A actions, long builtGeneration) {
        if (builtGeneration != current) {
            counters.increment(CacheCounters.STALE_INSERTS);
            return false;
        }
        if (!megaflows.insert(key, mask, actions, builtGeneration)) {
            counters.increment(CacheCounters.MEGAFLOW_FULL);
            return false;
        }
        counters.increment(CacheCounters.MEGAFLOW_INSERTS);
        if (emcEnabled && emc.maybeInsert(key, key.hash(), actions, builtGeneration)) {
            counters.increment(CacheCounters.EMC_INSERTS);
        }
        return true;
    }

    /** The generation this PMD works in (acquire; any thread). */
    public long observedGeneration() {
        return (long) OBSERVED.getAcquire(this);
    }

    /** Counter snapshot (any thread). */
    public CacheStats stats() {
        return counters.snapshot();
    }

    /** Megaflows currently held (owner thread). */
    public int megaflowCount() {
        return megaflows.entryCount();
    }

    /** Megaflow subtables currently held (owner thread). */
    public int subtableCount() {
        return megaflows.subtableCount();
    }
}
