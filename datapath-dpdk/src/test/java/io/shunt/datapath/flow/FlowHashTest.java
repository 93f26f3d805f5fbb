package io.shunt.datapath.flow;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The key hash spreads the structured keys real traffic has (counters in one field) over cache slots. */
class FlowHashTest {
    private static final int KEYS = 65536;
    private static final int SLOTS = 8192;

    private static void assertSpreads(FlowField field, int shift) {
        FlowKey base = FlowText.parse("udp,in_port=1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,"
                + "nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_src=1000,tp_dst=53").key();
        int[] buckets = new int[SLOTS];
        int[] highBuckets = new int[SLOTS];
        Set<Integer> distinct = new HashSet<>();
        FlowKey k = new FlowKey();
        for (int i = 0; i < KEYS; i++) {
            k.copyFrom(base);
            k.set(field, (long) i << shift);
            int h = k.hash();
            distinct.add(h);
            buckets[h & (SLOTS - 1)]++;
            highBuckets[Integer.rotateRight(h, 13) & (SLOTS - 1)]++; // the EMC's second way
        }
        int max = 0;
        int maxHigh = 0;
        for (int s = 0; s < SLOTS; s++) {
            max = Math.max(max, buckets[s]);
            maxHigh = Math.max(maxHigh, highBuckets[s]);
        }
        // 8 keys per slot on average; a uniform hash gives a maximum near 20
        assertTrue(max <= 32, field + " << " + shift + ": a slot got " + max + " of " + KEYS + " keys");
        assertTrue(maxHigh <= 32, field + " << " + shift + ": a second-way slot got " + maxHigh + " keys");
        assertTrue(distinct.size() >= KEYS - 4, field + ": " + (KEYS - distinct.size()) + " full hash collisions");
    }

    @Test
    void sequentialValuesInOneFieldSpreadOverSlots() {
        assertSpreads(FlowField.NW_SRC, 0);
        assertSpreads(FlowField.NW_SRC, 16);
        assertSpreads(FlowField.TP_SRC, 0);
        assertSpreads(FlowField.IN_PORT, 0);
        assertSpreads(FlowField.DL_SRC, 0);
        assertSpreads(FlowField.DL_SRC, 32);
        assertSpreads(FlowField.IPV6_SRC_LO, 0);
        assertSpreads(FlowField.IPV6_DST_HI, 48);
    }
}
