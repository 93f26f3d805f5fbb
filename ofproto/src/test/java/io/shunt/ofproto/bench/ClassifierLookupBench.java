package io.shunt.ofproto.bench;

import io.shunt.ofproto.classifier.Classifier;
import io.shunt.ofproto.classifier.ClassifierRule;
import io.shunt.ofproto.classifier.FlowKey;
import io.shunt.ofproto.classifier.KeyField;
import io.shunt.ofproto.classifier.KeyLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * Lookup cost of the tuple-space classifier at 1k, 100k and 1M rules of
 * ten realistic mask shapes (see {@link RealisticRules}), with a stream of
 * 64k keys of which 3/4 hit a rule (and 1/4 miss). The in-run anchor,
 * {@link #exactMatchAnchor}, is the same classifier holding the same number
 * of rules in one exact-match subtable: the cost of one hash probe, which
 * the mixed-mask lookup is reported against.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:+UseParallelGC"})
public class ClassifierLookupBench {
    @Param({"1000", "100000", "1000000"})
    public int rules;

    private static final int KEYS = 1 << 16;
    private Classifier mixed;
    private Classifier exact;
    private FlowKey[] keys;
    private FlowKey[] exactKeys;
    private final long[] wildcards = new long[KeyLayout.WORDS];
    private int i;

    static final class ExactRule extends ClassifierRule {
        ExactRule(long[] v, long[] m) {
            super(v, m, 1);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom r = new SplittableRandom(1);
        mixed = new Classifier();
        RealisticRules.Rule[] all = new RealisticRules.Rule[rules];
        for (int n = 0; n < rules; n++) {
            all[n] = RealisticRules.rule(n, r);
            mixed.insert(all[n], 1);
        }
        keys = new FlowKey[KEYS];
        for (int n = 0; n < KEYS; n++) {
            keys[n] = (n & 3) == 3 ? RealisticRules.missKey(r) : new FlowKey().copyFrom(all[r.nextInt(rules)].hit);
        }
        exact = new Classifier();
        long[] m = new long[KeyLayout.WORDS];
        KeyField.IN_PORT.set(m, KeyField.IN_PORT.valueMask);
        KeyField.ETH_DST.set(m, KeyField.ETH_DST.valueMask);
        exactKeys = new FlowKey[KEYS];
        FlowKey[] made = new FlowKey[rules];
        for (int n = 0; n < rules; n++) {
            made[n] = new FlowKey().inPort(1 + n % 64).ethDst(0x020000000000L + n);
            exact.insert(new ExactRule(made[n].words().clone(), m), 1);
        }
        for (int n = 0; n < KEYS; n++) {
            exactKeys[n] = (n & 3) == 3 ? RealisticRules.missKey(r) : made[r.nextInt(rules)];
        }
    }

    @Benchmark
    public ClassifierRule mixedMasks() {
        return mixed.lookup(keys[i++ & (KEYS - 1)], 1, null);
    }

    /** As {@link #mixedMasks}, also collecting the megaflow wildcard mask. */
    @Benchmark
    public ClassifierRule mixedMasksWithWildcards() {
        return mixed.lookup(keys[i++ & (KEYS - 1)], 1, wildcards);
    }

    @Benchmark
    public ClassifierRule exactMatchAnchor() {
        return exact.lookup(exactKeys[i++ & (KEYS - 1)], 1, null);
    }
}
