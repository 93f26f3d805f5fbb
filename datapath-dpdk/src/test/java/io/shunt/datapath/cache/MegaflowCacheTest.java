package io.shunt.datapath.cache;

import static io.shunt.datapath.flow.FlowKeyLayout.WORDS;
import static org.junit.jupiter.api.Assertions.*;

import io.shunt.datapath.flow.FlowField;
import io.shunt.datapath.flow.FlowKey;
import io.shunt.datapath.flow.FlowMask;
import io.shunt.datapath.flow.FlowText;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MegaflowCacheTest {
    /** An oracle entry: a mask and a key already masked by it. */
    record Entry(FlowMask mask, FlowKey masked, Integer actions) {
        boolean matches(FlowKey k) {
            for (int w = 0; w < WORDS; w++) {
                if ((k.word(w) & mask.word(w)) != masked.word(w)) {
                    return false;
                }
            }
            return true;
        }

        boolean overlaps(Entry o) {
            for (int w = 0; w < WORDS; w++) {
                if (((masked.word(w) ^ o.masked.word(w)) & mask.word(w) & o.mask.word(w)) != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Random masks over a few realistic field sets, with random prefix lengths on addresses. */
    private static FlowMask randomMask(SplittableRandom r) {
        FlowMask.Builder b = FlowMask.builder().exact(FlowField.IN_PORT, FlowField.DL_TYPE);
        if (r.nextBoolean()) {
            b.exact(FlowField.DL_DST);
        }
        if (r.nextInt(3) == 0) {
            b.exact(FlowField.VLAN_TCI);
        }
        if (r.nextBoolean()) {
            int prefix = 8 * (1 + r.nextInt(4));
            b.bits(FlowField.NW_SRC, (0xffffffffL << (32 - prefix)) & 0xffffffffL);
        }
        if (r.nextBoolean()) {
            b.exact(FlowField.NW_PROTO);
            if (r.nextBoolean()) {
                b.exact(FlowField.TP_DST);
            }
        }
        if (r.nextInt(4) == 0) {
            b.exact(FlowField.IPV6_DST_LO);
        }
        return b.build();
    }

    /** Random keys drawn from small value sets so that lookups often hit. */
    private static FlowKey randomKey(SplittableRandom r) {
        FlowKey k = new FlowKey();
        k.set(FlowField.IN_PORT, 1 + r.nextInt(3));
        k.set(FlowField.DL_TYPE, r.nextBoolean() ? 0x0800 : 0x86dd);
        k.set(FlowField.DL_DST, 0x020000000000L | r.nextInt(4));
        k.set(FlowField.DL_SRC, r.nextLong() & 0xffffffffffffL);
        k.set(FlowField.VLAN_TCI, r.nextBoolean() ? 0 : 0x1000 | r.nextInt(3));
        k.set(FlowField.NW_SRC, 0x0a000000L | (r.nextInt(4) << 16) | (r.nextInt(4) << 8) | r.nextInt(256));
        k.set(FlowField.NW_PROTO, r.nextBoolean() ? 6 : 17);
        k.set(FlowField.TP_SRC, r.nextInt(65536));
        k.set(FlowField.TP_DST, 80 + r.nextInt(3));
        k.set(FlowField.IPV6_DST_LO, r.nextInt(3));
        return k;
    }

    @Test
    void lookupAgreesWithALinearScanOfNonOverlappingMegaflows() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            MegaflowCache<Integer> cache = new MegaflowCache<>(100_000, 1 + r.nextInt(500));
            List<Entry> oracle = new ArrayList<>();
            int attempts = 50 + r.nextInt(400);
            for (int i = 0; i < attempts; i++) {
                FlowMask mask = randomMask(r);
                FlowKey masked = new FlowKey();
                randomKey(r).maskInto(mask, masked);
                Entry e = new Entry(mask, masked, i);
                // a classifier never produces two megaflows that one packet matches with different actions
                if (oracle.stream().anyMatch(o -> o.overlaps(e))) {
                    continue;
                }
                oracle.add(e);
                assertTrue(cache.insert(masked, mask, i, 1));
            }
            assertEquals(oracle.size(), cache.entryCount(), "seed " + seed);
            assertEquals(oracle.stream().map(Entry::mask).distinct().count(), cache.subtableCount(), "seed " + seed);
            int hits = 0;
            for (int i = 0; i < 5000; i++) {
                FlowKey probe = randomKey(r);
                if (r.nextInt(3) == 0 && !oracle.isEmpty()) {
                    // a key inside a megaflow: its masked bits plus random wildcarded bits
                    Entry e = oracle.get(r.nextInt(oracle.size()));
                    for (int w = 0; w < WORDS; w++) {
                        probe.setWord(w, e.masked().word(w) | (probe.word(w) & ~e.mask().word(w)));
                    }
                }
                Integer expected = oracle.stream().filter(e -> e.matches(probe)).map(Entry::actions).findFirst().orElse(null);
                assertEquals(expected, cache.lookup(probe, 1), "seed " + seed + " probe " + probe);
                if (expected != null) {
                    hits++;
                }
            }
            assertTrue(hits > 1000, "the probes exercise hits as well as misses (seed " + seed + ", " + hits + " hits)");
        }
    }

    @Test
    void rankingProbesTheBusiestSubtableFirst() {
        MegaflowCache<String> cache = new MegaflowCache<>(1000, 100);
        FlowText.Match byPort = FlowText.parse("in_port=1");
        FlowText.Match byDst = FlowText.parse("in_port=2,dl_dst=00:00:00:00:00:02");
        cache.insert(byPort.key(), byPort.mask(), "port", 1);
        cache.insert(byDst.key(), byDst.mask(), "dst", 1);
        assertEquals(byPort.mask(), cache.subtableMask(0));
        FlowKey hot = FlowText.parse("in_port=2,dl_dst=00:00:00:00:00:02,dl_src=00:00:00:00:00:09").key();
        for (int i = 0; i < 100; i++) {
            assertEquals("dst", cache.lookup(hot, 1));
        }
        assertEquals(byDst.mask(), cache.subtableMask(0), "after a ranking the subtable with the hits comes first");
        long before = cache.subtableSearches();
        cache.lookup(hot, 1);
        assertEquals(1, cache.subtableSearches() - before, "the hot key is now found in the first subtable probed");
    }

    @Test
    void aFullCacheRefusesNewMegaflowsButReplacesExistingOnes() {
        MegaflowCache<String> cache = new MegaflowCache<>(2, 1000);
        FlowText.Match a = FlowText.parse("in_port=1");
        FlowText.Match b = FlowText.parse("in_port=2");
        FlowText.Match c = FlowText.parse("in_port=3");
        assertTrue(cache.insert(a.key(), a.mask(), "a", 1));
        assertTrue(cache.insert(b.key(), b.mask(), "b", 1));
        assertFalse(cache.insert(c.key(), c.mask(), "c", 1));
        assertNull(cache.lookup(c.key(), 1));
        assertTrue(cache.insert(a.key(), a.mask(), "a2", 1));
        assertEquals("a2", cache.lookup(a.key(), 1));
        assertEquals(2, cache.entryCount());
    }

    @Test
    void afterAClearTheSameMasksComeBackEmptyAndWork() {
        MegaflowCache<String> cache = new MegaflowCache<>(1000, 1000);
        FlowText.Match a = FlowText.parse("in_port=1,dl_dst=00:00:00:00:00:01");
        FlowText.Match b = FlowText.parse("tcp,tp_dst=80");
        cache.insert(a.key(), a.mask(), "a", 1);
        cache.insert(b.key(), b.mask(), "b", 1);
        cache.clear();
        assertEquals(0, cache.subtableCount());
        assertEquals(0, cache.entryCount());
        assertNull(cache.lookup(a.key(), 1));
        cache.insert(b.key(), b.mask(), "b2", 2);
        assertEquals(1, cache.subtableCount());
        assertNull(cache.lookup(a.key(), 2), "a reused subtable holds nothing of before the clear");
        assertNull(cache.lookup(a.key(), 1));
        assertEquals("b2", cache.lookup(b.key(), 2));
        cache.insert(a.key(), a.mask(), "a2", 2);
        assertEquals("a2", cache.lookup(a.key(), 2));
        assertEquals(2, cache.entryCount());
    }

    @Test
    void aSubtableGrowsPastItsInitialSize() {
        MegaflowCache<Integer> cache = new MegaflowCache<>(100_000, 1 << 20);
        FlowMask mask = FlowMask.builder().exact(FlowField.IN_PORT, FlowField.NW_DST).build();
        FlowKey k = new FlowKey();
        for (int i = 0; i < 10_000; i++) {
            k.set(FlowField.NW_DST, i);
            assertTrue(cache.insert(k, mask, i, 7));
        }
        assertEquals(1, cache.subtableCount());
        for (int i = 0; i < 10_000; i++) {
            k.set(FlowField.NW_DST, i);
            assertEquals(i, cache.lookup(k, 7));
            assertNull(cache.lookup(k, 8), "an entry of generation 7 is not returned for generation 8");
        }
    }
}
