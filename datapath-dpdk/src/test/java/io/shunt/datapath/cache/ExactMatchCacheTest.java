package io.shunt.datapath.cache;

import static org.junit.jupiter.api.Assertions.*;

import io.shunt.datapath.flow.FlowKey;
import io.shunt.datapath.flow.FlowText;
import org.junit.jupiter.api.Test;

class ExactMatchCacheTest {
    static FlowKey key(int i) {
        return FlowText.parse("udp,in_port=1,nw_src=10.0." + (i >>> 8 & 0xff) + "." + (i & 0xff)
                + ",nw_dst=10.1.0.1,tp_src=" + (1000 + (i & 0xfff)) + ",tp_dst=53").key();
    }

    @Test
    void insertedKeyHitsAndOtherKeysMiss() {
        ExactMatchCache<String> emc = new ExactMatchCache<>(1024, 1, 1);
        FlowKey a = key(1);
        FlowKey b = key(2);
        emc.insert(a, a.hash(), "A", 1);
        assertEquals("A", emc.lookup(a, a.hash(), 1));
        assertNull(emc.lookup(b, b.hash(), 1));
        emc.insert(a, a.hash(), "A2", 1);
        assertEquals("A2", emc.lookup(a, a.hash(), 1), "a second insert of the same key replaces its actions");
    }

    @Test
    void anEntryOfAnotherGenerationIsAMiss() {
        ExactMatchCache<String> emc = new ExactMatchCache<>(64, 1, 1);
        FlowKey a = key(3);
        emc.insert(a, a.hash(), "old", 4);
        assertNull(emc.lookup(a, a.hash(), 5));
        emc.insert(a, a.hash(), "new", 5);
        assertEquals("new", emc.lookup(a, a.hash(), 5));
    }

    @Test
    void aFullPairOfWaysEvictsOneEntryAndKeepsTheNewest() {
        ExactMatchCache<Integer> emc = new ExactMatchCache<>(2, 1, 1);
        for (int i = 0; i < 50; i++) {
            FlowKey k = key(i);
            emc.insert(k, k.hash(), i, 1);
            assertEquals(i, emc.lookup(k, k.hash(), 1), "the key just inserted is cached");
            int present = 0;
            for (int j = 0; j <= i; j++) {
                FlowKey old = key(j);
                Integer v = emc.lookup(old, old.hash(), 1);
                if (v != null) {
                    assertEquals(j, v, "a hit returns the key's own actions");
                    present++;
                }
            }
            assertTrue(present <= 2, "two slots hold at most two keys, found " + present);
        }
    }

    @Test
    void insertionProbabilityFollowsTheInverseSetting() {
        FlowKey k = key(9);
        assertEquals(0, inserts(new ExactMatchCache<>(64, 0, 42), k, 10_000), "0 disables insertion");
        assertEquals(10_000, inserts(new ExactMatchCache<>(64, 1, 42), k, 10_000), "1 always inserts");
        int n = inserts(new ExactMatchCache<>(64, 100, 42), k, 100_000);
        assertTrue(n >= 800 && n <= 1200, "about 1 in 100 of 100000 inserted, got " + n);
    }

    private static int inserts(ExactMatchCache<String> emc, FlowKey k, int attempts) {
        int n = 0;
        for (int i = 0; i < attempts; i++) {
            if (emc.maybeInsert(k, k.hash(), "x", 1)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void sizeMustBeAPowerOfTwo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ExactMatchCache<>(1000, 1, 1));
        assertTrue(e.getMessage().contains("1000"));
    }
}
