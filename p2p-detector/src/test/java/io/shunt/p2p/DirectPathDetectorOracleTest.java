package io.shunt.p2p;

import io.shunt.p2p.DirectPathOracle.Outcome;
import io.shunt.p2p.model.FlowEntry;
import io.shunt.p2p.model.PortView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property test: random flow-table and port changes, the detector's paths, verdicts and
 * events compared with the brute-force oracle after every change (or batch).
 *
 * <p>Default: 120,000 changes over several seeds. Soak: {@code -Dshunt.p2p.soak.changes=N}.
 */
class DirectPathDetectorOracleTest {

    private static final int DEFAULT_CHANGES = 200_000;

    @Test
    void detectorAgreesWithOracleAfterEveryRandomChange() {
        int total = Integer.getInteger("shunt.p2p.soak.changes", DEFAULT_CHANGES);
        int seeds = 12;
        Coverage coverage = new Coverage();
        for (int seed = 0; seed < seeds; seed++) {
            new Run(0x5eed_0000L + seed, seed % 3 == 0 ? 12 : seed % 3 == 1 ? 40 : 120, coverage)
                    .changes(total / seeds);
        }
        System.out.println("oracle property test coverage: " + coverage);
        // The generator must have exercised what it claims to: every rule produced events.
        assertTrue(coverage.changes >= total - seeds, "changes applied: " + coverage.changes);
        long scale = total / 1000; // thresholds are per thousand changes
        assertTrue(coverage.ups > 20 * scale, "ups: " + coverage.ups);
        assertTrue(coverage.pairedUps > scale, "paired ups: " + coverage.pairedUps);
        assertTrue(coverage.carrierChanges > scale / 2, "carrier changes: " + coverage.carrierChanges);
        assertTrue(coverage.chainPaths > scale / 2, "paths through goto-table: " + coverage.chainPaths);
        assertTrue(coverage.batches > 5 * scale, "batches: " + coverage.batches);
        for (EndReason r : EndReason.values()) {
            assertTrue(coverage.downs.getOrDefault(r, 0) > scale / 2, "downs for " + r + ": " + coverage.downs);
        }
    }

    /**
     * Fewer changes on bigger tables (32 ports, 200 priorities, up to 1,500 entries): deep
     * priority trees, top levels removed over many levels, wildcard changes that touch some
     * of many sources.
     */
    @Test
    void detectorAgreesWithOracleOnLargerTables() {
        Coverage coverage = new Coverage();
        for (int seed = 0; seed < 2; seed++) {
            new Run(0xb16_0000L + seed, 1_500, coverage, new RandomChanges(0xb16_0000L + seed, 32,
                    RandomChanges.priorities(200), 0.03, true)).prefill(32, 1_000).changes(4_000);
        }
        System.out.println("oracle larger-table coverage: " + coverage);
        assertTrue(coverage.ups > 100, "ups: " + coverage.ups);
        assertTrue(coverage.downs.values().stream().mapToInt(Integer::intValue).sum() > 100, "downs: " + coverage.downs);
    }

    static final class Coverage {
        long changes;
        long batches;
        long ups;
        long pairedUps;
        long carrierChanges;
        long chainPaths;
        final Map<EndReason, Integer> downs = new EnumMap<>(EndReason.class);

        @Override
        public String toString() {
            return "changes=" + changes + " batches=" + batches + " ups=" + ups + " pairedUps=" + pairedUps
                    + " carrierChanges=" + carrierChanges + " chainPaths=" + chainPaths + " downs=" + downs;
        }
    }

    private static final class Run {
        private final long seed;
        private final int maxEntries;
        private final Coverage coverage;
        private final RandomChanges gen;
        private final List<DirectPathEvent> events = new ArrayList<>();
        private final DirectPathDetector detector = new DirectPathDetector(events::add);
        private final Map<Long, FlowEntry> entries = new LinkedHashMap<>();
        private final List<Long> ids = new ArrayList<>();
        private final Map<Integer, PortView> ports = new TreeMap<>();
        private Map<Integer, Outcome> expected = Map.of();
        private long nextId = 1;
        private final List<String> recent = new ArrayList<>();

        Run(long seed, int maxEntries, Coverage coverage) {
            this(seed, maxEntries, coverage, new RandomChanges(seed));
        }

        Run(long seed, int maxEntries, Coverage coverage, RandomChanges gen) {
            this.seed = seed;
            this.maxEntries = maxEntries;
            this.coverage = coverage;
            this.gen = gen;
        }

        /** Loads {@code portCount} ports and {@code n} entries in one batch, then checks. */
        Run prefill(int portCount, int n) {
            try (var batch = detector.batch()) {
                for (int p = 1; p <= portCount; p++) {
                    PortView v = gen.portView(p);
                    ports.put(p, v);
                    detector.portUpdated(v);
                }
                for (int i = 0; i < n; i++) {
                    add(gen.entry(nextId++));
                }
            }
            check();
            return this;
        }

        void changes(int n) {
            int done = 0;
            while (done < n) {
                if (gen.chance(0.02)) {
                    int size = 2 + gen.random().nextInt(6);
                    try (var batch = detector.batch()) {
                        for (int i = 0; i < size; i++) {
                            oneChange();
                        }
                        assertTrue(events.isEmpty(), "no event inside a batch");
                    }
                    coverage.batches++;
                    done += size;
                    coverage.changes += size;
                } else {
                    oneChange();
                    done++;
                    coverage.changes++;
                }
                check();
            }
        }

        private void oneChange() {
            int op = gen.random().nextInt(100);
            String what;
            if (op < 12 || ports.isEmpty()) {
                PortView p = gen.portView(gen.port());
                ports.put(p.portNo(), p);
                detector.portUpdated(p);
                what = "port " + p;
            } else if (op < 14) {
                int p = gen.port();
                ports.remove(p);
                detector.portRemoved(p);
                what = "remove port " + p;
            } else if (op < 18 && entries.size() < maxEntries - 1) {
                try (var pair = detector.batch()) { // nested when already batching
                    for (FlowEntry e : gen.pair(nextId)) {
                        add(e);
                    }
                }
                nextId += 2;
                what = "add pair " + (nextId - 2) + ", " + (nextId - 1);
            } else if (op < 24 && !entries.isEmpty() && entries.size() < maxEntries) {
                FlowEntry e = gen.shadow(entries.get(randomId()), nextId++);
                add(e);
                what = "add shadow " + e;
            } else if (op < 50 && entries.size() < maxEntries || entries.isEmpty()) {
                FlowEntry e = gen.entry(nextId++);
                entries.put(e.id(), e);
                ids.add(e.id());
                detector.entryAdded(e);
                what = "add " + e;
            } else if (op < 70) {
                FlowEntry e = gen.modifiedInstructions(entries.get(randomId()));
                entries.put(e.id(), e);
                detector.entryModified(e);
                what = "modify " + e;
            } else if (op < 75) {
                FlowEntry e = gen.entry(randomId());
                entries.put(e.id(), e);
                detector.entryModified(e);
                what = "replace " + e;
            } else {
                int i = gen.random().nextInt(ids.size());
                long id = ids.get(i);
                ids.set(i, ids.getLast());
                ids.removeLast();
                entries.remove(id);
                detector.entryRemoved(id);
                what = "remove entry " + id;
            }
            recent.add(what);
            if (recent.size() > 12) {
                recent.removeFirst();
            }
        }

        private void add(FlowEntry e) {
            entries.put(e.id(), e);
            ids.add(e.id());
            detector.entryAdded(e);
        }

        private long randomId() {
            return ids.get(gen.random().nextInt(ids.size()));
        }

        private void check() {
            Map<Integer, Outcome> now = DirectPathOracle.compute(entries.values(), ports);
            List<DirectPathEvent> want = expectedEvents(expected, now);
            try {
                assertEquals(want, normalized(events), "events");
                Map<Integer, Outcome> actual = new TreeMap<>();
                for (PortView p : ports.values()) {
                    PathVerdict v = detector.explain(p.portNo());
                    actual.put(p.portNo(), detector.pathFrom(p.portNo())
                            .map(path -> new Outcome(v, path.to(), path.carrier().ids()))
                            .orElse(new Outcome(v, 0, null)));
                }
                assertEquals(now, actual, "verdicts and paths");
                for (DirectPath path : detector.paths()) {
                    assertTrue(now.containsKey(path.from()) && now.get(path.from()).isPath(), "extra path " + path);
                    for (FlowEntry e : path.carrier().entries()) {
                        assertEquals(entries.get(e.id()), e, "carrier holds the current entry");
                    }
                }
            } catch (AssertionError e) {
                fail("seed " + seed + ", after: \n  " + String.join("\n  ", recent) + "\nports " + ports.values()
                        + "\nentries:\n  " + entries.values().stream().map(Object::toString)
                        .reduce((a, b) -> a + "\n  " + b).orElse("") + "\n" + e.getMessage(), e);
            }
            for (DirectPathEvent ev : events) {
                switch (ev) {
                    case DirectPathEvent.Up up -> {
                        coverage.ups++;
                        coverage.pairedUps += up.paired() ? 1 : 0;
                        coverage.chainPaths += up.carrier().entries().size() > 1 ? 1 : 0;
                    }
                    case DirectPathEvent.Down down -> coverage.downs.merge(down.reason(), 1, Integer::sum);
                    case DirectPathEvent.CarrierChanged c -> coverage.carrierChanges++;
                }
            }
            events.clear();
            expected = now;
        }

        /** Carriers compared by entry ids: the oracle knows ids only. */
        private static List<DirectPathEvent> normalized(List<DirectPathEvent> events) {
            List<DirectPathEvent> out = new ArrayList<>();
            for (DirectPathEvent e : events) {
                out.add(switch (e) {
                    case DirectPathEvent.Up u -> new DirectPathEvent.Up(u.from(), u.to(), null, u.paired());
                    case DirectPathEvent.Down d -> new DirectPathEvent.Down(d.from(), d.to(), null, d.reason(), d.wasPaired());
                    case DirectPathEvent.CarrierChanged c -> new DirectPathEvent.CarrierChanged(c.from(), c.to(), null, null);
                });
            }
            return out;
        }

        /** The oracle's set difference, in the detector's documented order. */
        private static List<DirectPathEvent> expectedEvents(Map<Integer, Outcome> before, Map<Integer, Outcome> after) {
            List<DirectPathEvent> downs = new ArrayList<>();
            List<DirectPathEvent> changes = new ArrayList<>();
            List<DirectPathEvent> ups = new ArrayList<>();
            TreeMap<Integer, Boolean> sources = new TreeMap<>();
            before.keySet().forEach(k -> sources.put(k, true));
            after.keySet().forEach(k -> sources.put(k, true));
            for (int a : sources.keySet()) {
                Outcome was = before.get(a);
                Outcome is = after.get(a);
                boolean wasPath = was != null && was.isPath();
                boolean isPath = is != null && is.isPath();
                if (wasPath && (!isPath || is.target() != was.target())) {
                    EndReason reason = isPath ? EndReason.TARGET_CHANGED
                            : is == null ? EndReason.SOURCE_PORT_REMOVED : EndReason.of(is.verdict());
                    downs.add(new DirectPathEvent.Down(a, was.target(), null, reason, pathBetween(before, was.target(), a)));
                }
                if (isPath && (!wasPath || is.target() != was.target())) {
                    ups.add(new DirectPathEvent.Up(a, is.target(), null, pathBetween(after, is.target(), a)));
                }
                if (wasPath && isPath && is.target() == was.target() && !Arrays.equals(was.carrier(), is.carrier())) {
                    changes.add(new DirectPathEvent.CarrierChanged(a, is.target(), null, null));
                }
            }
            List<DirectPathEvent> all = new ArrayList<>(downs);
            all.addAll(changes);
            all.addAll(ups);
            return all;
        }

        private static boolean pathBetween(Map<Integer, Outcome> state, int from, int to) {
            Outcome o = state.get(from);
            return o != null && o.isPath() && o.target() == to;
        }
    }
}
