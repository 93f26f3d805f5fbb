package io.shunt.ofproto.classifier;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The tuple-space classifier against a linear scan over the same rules,
 * on random tables of realistic masks (in_port, eth_type, ip_proto, IPv4
 * prefixes, transport ports), with insertions and removals in between.
 */
class ClassifierOracleTest {

    static final class Rule extends ClassifierRule {
        final int id;

        Rule(long[] value, long[] mask, int priority, int id) {
            super(value, mask, priority);
            this.id = id;
        }
    }

    private static final int[] PREFIXES = {8, 16, 24, 32};

    static Rule randomRule(SplittableRandom r, int id) {
        long[] v = new long[KeyLayout.WORDS];
        long[] m = new long[KeyLayout.WORDS];
        if (r.nextInt(3) > 0) set(v, m, KeyField.IN_PORT, 1 + r.nextInt(4));
        if (r.nextInt(4) > 0) {
            set(v, m, KeyField.ETH_TYPE, 0x0800);
            if (r.nextBoolean()) {
                int len = PREFIXES[r.nextInt(PREFIXES.length)];
                long pm = (0xffffffffL << (32 - len)) & 0xffffffffL;
                KeyField.NW_DST.set(v, (0x0a000000L | r.nextInt(4) << 8 | r.nextInt(4)) & pm);
                KeyField.NW_DST.set(m, pm);
            }
            if (r.nextBoolean()) {
                set(v, m, KeyField.IP_PROTO, r.nextBoolean() ? 6 : 17);
                if (r.nextBoolean()) set(v, m, KeyField.TP_DST, 80 + r.nextInt(3));
            }
        } else if (r.nextBoolean()) {
            set(v, m, KeyField.ETH_DST, r.nextInt(6));
        }
        if (r.nextInt(8) == 0) {
            KeyField.METADATA.set(v, r.nextInt(4));
            KeyField.METADATA.set(m, 0x3);
        }
        return new Rule(v, m, r.nextInt(200), id);
    }

    private static void set(long[] v, long[] m, KeyField f, long value) {
        f.set(v, value);
        f.set(m, f.valueMask);
    }

    static FlowKey randomKey(SplittableRandom r, FlowKey k) {
        k.clear();
        k.inPort(1 + r.nextInt(5));
        k.ethDst(r.nextInt(7));
        if (r.nextInt(5) > 0) {
            k.ethType(0x0800);
            k.ipv4Dst(0x0a000000 | r.nextInt(5) << 8 | r.nextInt(5));
            k.ipProto(r.nextBoolean() ? 6 : 17);
            k.tpDst(79 + r.nextInt(5));
        } else {
            k.ethType(0x0806);
        }
        k.metadata(r.nextInt(8));
        return k;
    }

    private static Rule oracle(List<Rule> rules, FlowKey k) {
        Rule best = null;
        for (Rule x : rules) {
            if (x.matches(k) && (best == null || x.priority() > best.priority())) best = x;
        }
        return best;
    }

    @Test
    void lookupAgreesWithLinearScanAndMegaflowMaskIsSound() {
        SplittableRandom r = new SplittableRandom(42);
        Classifier c = new Classifier();
        List<Rule> live = new ArrayList<>();
        int nextId = 0;
        long version = 1;
        FlowKey k = new FlowKey();
        FlowKey k2 = new FlowKey();
        long[] wc = new long[KeyLayout.WORDS];
        int lookups = 0;
        int hits = 0;
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < 25; i++) {
                Rule rule = randomRule(r, nextId++);
                c.insert(rule, version);
                live.add(rule);
            }
            for (int i = 0; i < 8 && !live.isEmpty(); i++) {
                Rule gone = live.remove(r.nextInt(live.size()));
                assertTrue(c.remove(gone));
            }
            for (int i = 0; i < 300; i++) {
                randomKey(r, k);
                java.util.Arrays.fill(wc, 0);
                ClassifierRule got = c.lookup(k, version, wc);
                Rule want = oracle(live, k);
                lookups++;
                if (want == null) {
                    assertNull(got, "key " + k);
                    continue;
                }
                hits++;
                assertNotNull(got, "key " + k + " should match priority " + want.priority());
                assertEquals(want.priority(), got.priority(), "key " + k);
                assertTrue(got.matches(k));
                // Megaflow soundness: any key equal to k on the examined bits gets a rule of the same priority.
                randomKey(r, k2);
                long[] a = k.words(), b = k2.words();
                for (int w = 0; w < KeyLayout.WORDS; w++) b[w] = (a[w] & wc[w]) | (b[w] & ~wc[w]);
                Rule want2 = oracle(live, k2);
                assertNotNull(want2);
                assertEquals(want.priority(), want2.priority(), "key " + k2 + " agrees with " + k + " on the mask");
            }
        }
        assertTrue(lookups >= 10_000, "lookups " + lookups);
        assertTrue(hits > lookups / 4, "too few matching keys for a meaningful oracle: " + hits);
        assertEquals(live.size(), c.size());
    }

    @Test
    void rulesAreInvisibleBeforeTheirVersionAndAfterBeingHidden() {
        Classifier c = new Classifier();
        long[] v = new long[KeyLayout.WORDS], m = new long[KeyLayout.WORDS];
        set(v, m, KeyField.IN_PORT, 1);
        Rule a = new Rule(v, m, 10, 1);
        c.insert(a, 5);
        FlowKey k = new FlowKey().inPort(1);
        assertNull(c.lookup(k, 4, null));
        assertSame(a, c.lookup(k, 5, null));
        Rule b = new Rule(v, m, 10, 2);
        c.hide(a, 7);
        c.insert(b, 7);
        assertSame(a, c.lookup(k, 6, null));
        assertSame(b, c.lookup(k, 7, null));
        c.remove(a);
        assertSame(b, c.lookup(k, 9, null));
        assertEquals(1, c.size());
    }

    @Test
    void nonStrictCoverVisitsOnlyMoreSpecificRules() {
        Classifier c = new Classifier();
        SplittableRandom r = new SplittableRandom(7);
        List<Rule> all = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Rule x = randomRule(r, i);
            c.insert(x, 1);
            all.add(x);
        }
        long[] qv = new long[KeyLayout.WORDS], qm = new long[KeyLayout.WORDS];
        set(qv, qm, KeyField.ETH_TYPE, 0x0800);
        set(qv, qm, KeyField.IP_PROTO, 6);
        List<ClassifierRule> got = new ArrayList<>();
        c.forEachCovered(qv, qm, 1, got::add);
        long want = all.stream().filter(x -> {
            long[] xm = x.maskWords(), xv = x.valueWords();
            for (int w = 0; w < KeyLayout.WORDS; w++) {
                if ((qm[w] & ~xm[w]) != 0 || (xv[w] & qm[w]) != qv[w]) return false;
            }
            return true;
        }).count();
        assertEquals(want, got.size());
        assertTrue(want > 0);
    }
}
