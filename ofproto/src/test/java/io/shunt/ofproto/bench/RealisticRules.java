package io.shunt.ofproto.bench;

import io.shunt.ofproto.classifier.ClassifierRule;
import io.shunt.ofproto.classifier.FlowKey;
import io.shunt.ofproto.classifier.KeyField;
import io.shunt.ofproto.classifier.KeyLayout;
import java.util.SplittableRandom;

/**
 * Rule sets shaped like what SDN controllers install in an NFV switch: ten
 * mask shapes (port-based steering, L2 learning, L3 routes of several
 * prefix lengths, 5-tuple ACLs, ARP handling), unique values, priorities
 * by specificity. Also produces keys that hit a given rule, so that lookups
 * exercise matches, not only misses.
 */
public final class RealisticRules {
    /** A rule of the benchmark: the classifier's rule plus the key that built it. */
    public static final class Rule extends ClassifierRule {
        public final FlowKey hit;

        Rule(long[] value, long[] mask, int priority, FlowKey hit) {
            super(value, mask, priority);
            this.hit = hit;
        }
    }

    private RealisticRules() {}

    private static void exact(long[] m, KeyField f) {
        f.set(m, f.valueMask);
    }

    /** Rule {@code i} of a set; shape = i % 10. */
    public static Rule rule(int i, SplittableRandom r) {
        long[] m = new long[KeyLayout.WORDS];
        FlowKey k = new FlowKey();
        k.inPort(1 + r.nextInt(64)).ethDst(0x020000000000L | r.nextInt(1 << 24)).ethSrc(0x020000000000L | r.nextInt(1 << 24));
        k.ethType(0x0800).ipv4Src(0x0a000000 | r.nextInt(1 << 24)).ipv4Dst(0xc0a80000 | i)
                .ipProto(r.nextBoolean() ? 6 : 17).tpSrc(1024 + r.nextInt(60000)).tpDst(r.nextInt(1024));
        int shape = i % 10;
        int priority;
        switch (shape) {
            case 0 -> { exact(m, KeyField.IN_PORT); priority = 100; }                                   // port steering
            case 1, 2 -> { exact(m, KeyField.IN_PORT); exact(m, KeyField.ETH_DST); priority = 200; }   // L2 per port
            case 3 -> { exact(m, KeyField.ETH_DST); priority = 150; }                                   // L2 learning
            case 4 -> { exact(m, KeyField.ETH_TYPE); KeyField.NW_DST.set(m, 0xffffff00L); priority = 300; } // /24 route
            case 5 -> { exact(m, KeyField.ETH_TYPE); KeyField.NW_DST.set(m, 0xffff0000L); priority = 250; } // /16 route
            case 6 -> { exact(m, KeyField.ETH_TYPE); exact(m, KeyField.NW_DST); priority = 320; }       // host route
            case 7, 8 -> {                                                                              // 5-tuple ACL
                exact(m, KeyField.ETH_TYPE); exact(m, KeyField.IP_PROTO); exact(m, KeyField.NW_SRC);
                exact(m, KeyField.NW_DST); exact(m, KeyField.TP_SRC); exact(m, KeyField.TP_DST); priority = 500;
            }
            default -> {                                                                                // ARP per port
                k.ethType(0x0806);
                exact(m, KeyField.IN_PORT); exact(m, KeyField.ETH_TYPE); priority = 400;
            }
        }
        long[] v = k.words().clone();
        return new Rule(v, m, priority, k);
    }

    /** A key that matches no rule of the set in most shapes (unknown addresses, unused port). */
    public static FlowKey missKey(SplittableRandom r) {
        return new FlowKey().inPort(1000 + r.nextInt(1000)).ethDst(0x060000000000L | r.nextInt()).ethType(0x86dd);
    }
}
