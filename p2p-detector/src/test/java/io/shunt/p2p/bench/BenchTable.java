package io.shunt.p2p.bench;

import io.shunt.p2p.DirectPathDetector;
import io.shunt.p2p.model.FlowEntry;
import io.shunt.p2p.model.Instructions;
import io.shunt.p2p.model.MatchSummary;
import io.shunt.p2p.model.PortView;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A flow table shaped like a service-chain host's: {@link #PORTS} dpdkr ports in pairs, each
 * port with its carrier {@code in_port=p, priority=1000, actions=output:partner}, and the rest
 * of the entries classifier-like: {@code in_port=p} plus other fields (an L2/L3 match) at
 * priorities below the carriers, a tenth of them in table 1, and a few wildcard ones.
 */
final class BenchTable {
    static final int PORTS = 64;
    static final int CARRIER_PRIORITY = 1000;

    final List<FlowEntry> entries = new ArrayList<>();
    final Map<Integer, PortView> ports = new LinkedHashMap<>();
    long nextId;

    BenchTable(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int p = 1; p <= PORTS; p++) {
            ports.put(p, new PortView(p, true, "red", true));
            int partner = p % 2 == 1 ? p + 1 : p - 1;
            entries.add(FlowEntry.of(nextId++, 0, CARRIER_PRIORITY, MatchSummary.inPort(p), Instructions.output(partner)));
        }
        while (entries.size() < size) {
            int table = random.nextInt(10) == 0 ? 1 : 0;
            Integer inPort = random.nextInt(100) == 0 ? null : 1 + random.nextInt(PORTS);
            entries.add(FlowEntry.of(nextId++, table, random.nextInt(CARRIER_PRIORITY),
                    MatchSummary.inPortAndOtherFields(inPort), Instructions.output(1 + random.nextInt(PORTS))));
        }
    }

    DirectPathDetector load(DirectPathDetector detector) {
        try (var batch = detector.batch()) {
            ports.values().forEach(detector::portUpdated);
            entries.forEach(detector::entryAdded);
        }
        return detector;
    }
}
