package io.shunt.p2p;

import io.shunt.p2p.model.Action;
import io.shunt.p2p.model.FlowEntry;
import io.shunt.p2p.model.Instructions;
import io.shunt.p2p.model.MatchSummary;
import io.shunt.p2p.model.PortNumbers;
import io.shunt.p2p.model.PortView;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random flow entries and ports over a small universe, so that overlaps, equal priorities,
 * chains, pairs and every kind of breaking action happen often.
 */
final class RandomChanges {
    static final int TABLES = 4;
    private static final int[] FEW_PRIORITIES = {0, 1, 2, 5, 100, 65535};
    private static final int[] RESERVED = {PortNumbers.IN_PORT, PortNumbers.NORMAL, PortNumbers.FLOOD,
            PortNumbers.ALL, PortNumbers.CONTROLLER, PortNumbers.LOCAL, PortNumbers.ANY, 0xffffff01};

    private final SplittableRandom random;
    private final int ports;
    private final int[] priorities;
    private final double wildcardShare;
    private final boolean pairsOnTop;

    /** 8 ports and 6 priorities: ties and overlaps on almost every change. */
    RandomChanges(long seed) {
        this(seed, 8, FEW_PRIORITIES, 0.3, false);
    }

    /**
     * {@code ports} ports (numbered 1..ports), the given priorities, {@code wildcardShare} of
     * the entries without in_port; {@code pairsOnTop}: {@link #pair} entries take priorities
     * from the top quarter, so that paths stand out of a big table.
     */
    RandomChanges(long seed, int ports, int[] priorities, double wildcardShare, boolean pairsOnTop) {
        this.random = new SplittableRandom(seed);
        this.ports = ports;
        this.priorities = priorities.clone();
        this.wildcardShare = wildcardShare;
        this.pairsOnTop = pairsOnTop;
    }

    /** Priorities 0..n-1. */
    static int[] priorities(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    SplittableRandom random() {
        return random;
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** A port number of the universe 1..ports, or ports+1 which is never a port. */
    int port() {
        return 1 + random.nextInt(ports + 1);
    }

    PortView portView(int portNo) {
        return new PortView(portNo, chance(0.85), chance(0.8) ? "red" : "blue", chance(0.85));
    }

    FlowEntry entry(long id) {
        int table = chance(0.6) ? 0 : random.nextInt(TABLES);
        return FlowEntry.of(id, table, priorities[random.nextInt(priorities.length)], match(), instructions(table));
    }

    /** The same entry (id, table, priority, match) with new instructions: an OpenFlow modify. */
    FlowEntry modifiedInstructions(FlowEntry e) {
        return new FlowEntry(e.id(), e.tableId(), e.priority(), e.match(), instructions(e.tableId()),
                e.idleTimeout(), e.hardTimeout());
    }

    MatchSummary match() {
        boolean inPortMatched = !chance(wildcardShare);
        MatchSummary m = new MatchSummary(inPortMatched, inPortMatched ? port() : 0, chance(0.12), 0, 0);
        if (chance(0.1)) {
            long mask = chance(0.5) ? -1L : 0xff00L;
            long value = chance(0.5) ? 0 : random.nextLong(1, 4) << 8;
            m = m.withMetadata(value, mask);
        }
        return m;
    }

    Instructions instructions(int table) {
        int kind = random.nextInt(100);
        Instructions ins;
        if (kind < 45) {
            ins = Instructions.output(outputPort());
        } else if (kind < 50) {
            ins = Instructions.write(new Action.Output(outputPort()));
        } else if (kind < 55) {
            ins = Instructions.drop();
        } else if (kind < 60) {
            ins = Instructions.apply(new Action.Modify("set_field:eth_dst"), new Action.Output(outputPort()));
        } else if (kind < 63) {
            ins = Instructions.apply(new Action.Output(outputPort()), new Action.Output(outputPort()));
        } else if (kind < 66) {
            ins = Instructions.apply(new Action.Group(1));
        } else if (kind < 68) {
            ins = Instructions.output(outputPort()).withMeter();
        } else if (kind < 70) {
            ins = Instructions.apply(new Action.Meter(1), new Action.Output(outputPort()));
        } else if (kind < 74) {
            ins = Instructions.output(RESERVED[random.nextInt(RESERVED.length)]);
        } else if (kind < 76) {
            ins = Instructions.output(outputPort()).withOtherInstruction();
        } else if (kind < 79) {
            ins = Instructions.write(new Action.Modify("push_vlan"), new Action.Output(outputPort()));
        } else if (kind < 81) {
            ins = Instructions.write(new Action.Output(outputPort()), new Action.Output(outputPort()));
        } else if (kind < 83) {
            ins = new Instructions(false, List.of(new Action.Output(outputPort())), false,
                    List.of(new Action.Output(outputPort())), false, Instructions.NO_GOTO, false);
        } else {
            ins = Instructions.drop();
        }
        if (table < TABLES - 1 && kind >= 83) {
            // Chains: goto a later table, with what the earlier tables typically do on the way.
            int to = table + 1 + random.nextInt(TABLES - 1 - table);
            List<Action> apply = new ArrayList<>();
            List<Action> write = new ArrayList<>();
            int extra = random.nextInt(10);
            if (extra == 0) {
                apply.add(new Action.Output(outputPort()));
            } else if (extra == 1) {
                write.add(new Action.Output(outputPort()));
            } else if (extra == 2) {
                write.add(new Action.Modify("dec_ttl"));
            } else if (extra == 3) {
                apply.add(new Action.Modify("pop_vlan"));
            }
            ins = new Instructions(false, apply, chance(0.2), write, chance(0.3), to, false);
        } else if (kind >= 83 && chance(0.5)) {
            ins = new Instructions(false, List.of(), true, List.of(new Action.Output(outputPort())), false,
                    Instructions.NO_GOTO, false);
        }
        return ins;
    }

    /** {@code in_port=a → output:b} and {@code in_port=b → output:a}: a candidate pair. */
    List<FlowEntry> pair(long id) {
        int a = port();
        int b = port();
        int priority = pairsOnTop ? priorities[priorities.length - 1 - random.nextInt(Math.max(1, priorities.length / 4))]
                : priorities[random.nextInt(priorities.length)];
        return List.of(FlowEntry.of(id, 0, priority, MatchSummary.inPort(a), Instructions.output(b)),
                FlowEntry.of(id + 1, 0, priority, MatchSummary.inPort(b), Instructions.output(a)));
    }

    /** A copy of {@code e} (same table, match, instructions) under a new id and priority. */
    FlowEntry shadow(FlowEntry e, long id) {
        return new FlowEntry(id, e.tableId(), priorities[random.nextInt(priorities.length)], e.match(),
                e.instructions(), e.idleTimeout(), e.hardTimeout());
    }

    private int outputPort() {
        return port();
    }
}
