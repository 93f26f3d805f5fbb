package io.shunt.datapath.cache;

import static org.junit.jupiter.api.Assertions.*;

import io.shunt.datapath.flow.FlowField;
import io.shunt.datapath.flow.FlowKey;
import io.shunt.datapath.flow.FlowMask;
import io.shunt.datapath.flow.FlowText;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class FlowCachesTest {
    private static final FlowMask BY_DST = FlowMask.builder()
            .exact(FlowField.IN_PORT, FlowField.DL_TYPE, FlowField.NW_DST).build();

    private static FlowKey packet(int src, int dst) {
        return FlowText.parse("udp,in_port=1,nw_src=10.0.0." + src + ",nw_dst=10.1.0." + dst + ",tp_src=1,tp_dst=2").key();
    }

    @Test
    void aLookupEndsInExactlyOneLevelAndIsCounted() {
        FlowCaches<String> caches = new FlowCaches<>(CacheConfig.defaults().withEmcInsertInvProb(1), new FlowGeneration());
        long g = caches.beginBurst();
        FlowKey p1 = packet(1, 1);
        assertNull(caches.lookup(p1), "an empty cache misses");
        assertTrue(caches.insert(p1, BY_DST, "to-1", g));
        assertEquals("to-1", caches.lookup(p1), "the EMC answers the key it was given");
        FlowKey p2 = packet(2, 1);
        assertEquals("to-1", caches.lookup(p2), "the megaflow answers another source to the same destination");
        assertEquals("to-1", caches.lookup(p2), "and the EMC now has that key too");
        assertNull(caches.lookup(packet(1, 2)));
        CacheStats s = caches.stats();
        assertEquals(2, s.emcHits());
        assertEquals(1, s.megaflowHits());
        assertEquals(2, s.misses());
        assertEquals(5, s.lookups());
        assertEquals(1, s.megaflowInserts());
        assertEquals(2, s.emcInserts());
        assertEquals(1, caches.megaflowCount());
        assertEquals(1, caches.subtableCount());
    }

    @Test
    void withTheEmcDisabledEveryHitIsAMegaflowHit() {
        FlowCaches<String> caches = new FlowCaches<>(CacheConfig.defaults().withEmcInsertInvProb(0), new FlowGeneration());
        long g = caches.beginBurst();
        FlowKey p = packet(1, 1);
        assertTrue(caches.insert(p, BY_DST, "to-1", g));
        for (int i = 0; i < 10; i++) {
            assertEquals("to-1", caches.lookup(p));
        }
        CacheStats s = caches.stats();
        assertEquals(0, s.emcHits());
        assertEquals(0, s.emcInserts());
        assertEquals(10, s.megaflowHits());
    }

    @Test
    void afterAGenerationBumpNoStaleEntryIsReturned() {
        FlowGeneration generation = new FlowGeneration();
        FlowCaches<String> caches = new FlowCaches<>(CacheConfig.defaults().withEmcInsertInvProb(1), generation);
        long g = caches.beginBurst();
        for (int i = 0; i < 200; i++) {
            FlowKey p = packet(i % 50, i);
            assertTrue(caches.insert(p, i % 2 == 0 ? BY_DST : FlowMask.EXACT, "gen" + g + "-" + i, g));
            assertNotNull(caches.lookup(p));
        }
        long next = generation.advance();
        assertEquals(g, caches.observedGeneration(), "the PMD has not started a burst in the new generation yet");
        assertEquals(next, caches.beginBurst());
        assertEquals(next, caches.observedGeneration());
        assertEquals(0, caches.megaflowCount());
        for (int i = 0; i < 200; i++) {
            assertNull(caches.lookup(packet(i % 50, i)), "packet " + i + " must go to the classifier again");
        }
        assertEquals(1, caches.stats().generationFlushes());
    }

    @Test
    void aResultBuiltBeforeTheBumpIsNeverServedAfterIt() {
        FlowGeneration generation = new FlowGeneration();
        FlowCaches<String> caches = new FlowCaches<>(CacheConfig.defaults().withEmcInsertInvProb(1), generation);
        long g = caches.beginBurst();
        FlowKey p = packet(1, 1);
        assertNull(caches.lookup(p));
        generation.advance(); // the tables change while the PMD is classifying p
        assertTrue(caches.insert(p, BY_DST, "old", g), "accepted: the PMD still works in generation g");
        long g2 = caches.beginBurst();
        assertNull(caches.lookup(p), "the next burst does not serve what the old tables said");
        assertFalse(caches.insert(p, BY_DST, "old", g), "a late result of generation g is refused");
        assertEquals(1, caches.stats().staleInserts());
        assertTrue(caches.insert(p, BY_DST, "new", g2));
        assertEquals("new", caches.lookup(p));
    }

    @Test
    void aFullMegaflowCacheIsCountedAndTheEmcStillWorks() {
        FlowCaches<String> caches = new FlowCaches<>(
                CacheConfig.defaults().withEmcInsertInvProb(1).withMegaflowMaxEntries(1), new FlowGeneration());
        long g = caches.beginBurst();
        assertTrue(caches.insert(packet(1, 1), BY_DST, "a", g));
        assertFalse(caches.insert(packet(1, 2), BY_DST, "b", g));
        assertEquals(1, caches.stats().megaflowFull());
        assertNull(caches.lookup(packet(1, 2)));
    }

    /** Actions as a classifier would build them: from the table version it read, in the generation of the burst. */
    record Actions(long tableVersion, long generation) {
    }

    @Test
    void aPmdThreadNeverUsesTablesOlderThanTheGenerationItObserved() throws Exception {
        FlowGeneration generation = new FlowGeneration();
        // the "flow table": its version; version v is published before generation 1 + v
        AtomicLong tables = new AtomicLong(0);
        FlowCaches<Actions> caches = new FlowCaches<>(CacheConfig.defaults().withEmcInsertInvProb(2), generation);
        AtomicReference<String> violation = new AtomicReference<>();
        AtomicLong lookups = new AtomicLong();
        long changes = 2_000;
        Thread pmd = new Thread(() -> {
            FlowKey[] keys = new FlowKey[16];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = packet(i, i % 4);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long n = 0;
            while (System.nanoTime() < deadline && violation.get() == null) {
                long g = caches.beginBurst();
                for (FlowKey k : keys) {
                    Actions a = caches.lookup(k);
                    n++;
                    if (a == null) {
                        // upcall: the classifier reads the tables after the generation
                        caches.insert(k, BY_DST, new Actions(tables.getPlain(), g), g);
                    } else if (a.generation() != g || a.tableVersion() < g - 1) {
                        violation.set("in generation " + g + " a lookup returned " + a);
                    }
                }
                if (g >= 1 + changes) {
                    break;
                }
                Thread.onSpinWait();
            }
            lookups.set(n);
        }, "pmd-test");
        pmd.start();
        for (long v = 1; v <= changes; v++) {
            tables.setPlain(v); // the table change itself needs no ordering: advance() releases it
            long g = generation.advance();
            // as a BARRIER_REPLY would: wait until the PMD works in the new generation (bounded)
            long waitUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (caches.observedGeneration() < g) {
                assertTrue(System.nanoTime() < waitUntil, "the PMD did not observe generation " + g + " within 10 s");
                LockSupport.parkNanos(10_000);
            }
        }
        pmd.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(pmd.isAlive(), "the PMD thread ended");
        assertNull(violation.get());
        assertEquals(changes, caches.stats().generationFlushes());
        assertEquals(lookups.get(), caches.stats().lookups());
    }
}
