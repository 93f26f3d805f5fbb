package io.shunt.vswitchd.link;

import io.shunt.ofproto.FlowTableListener;
import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.ofproto.flow.FlowChange;
import io.shunt.ofproto.flow.FlowEntry;
import io.shunt.ofproto.flow.FlowTablesView;
import io.shunt.p2p.DirectPathDetector;
import io.shunt.p2p.DirectPathListener;
import io.shunt.p2p.model.PortView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortState;

/**
 * Feeds one bridge's {@link DirectPathDetector} from ofproto: every committed flow-table
 * change (one FLOW_MOD, sweep, bundle) becomes one detector batch, so a bundle that moves a
 * carrier is judged once, on its final state; port additions, changes and removals become
 * {@link PortView}s. Runs on the bridge's control thread, where ofproto calls its listeners.
 *
 * <p>Entry ids: ofproto's entries have no number of their own, and a modify replaces the
 * entry object; the feed hands out an id per added entry and carries it over a
 * {@link FlowChange.Modified}, which is what the detector's model asks for.
 */
public final class DetectorFeed implements FlowTableListener {
    private final DirectPathDetector detector;
    private final Map<FlowEntry, Long> ids = new IdentityHashMap<>();
    private final Map<Long, FlowEntry> entries = new HashMap<>();
    private final java.util.function.Consumer<FlowEntry> removed;
    private long nextId = 1;

    public DetectorFeed(DirectPathListener listener) {
        this(listener, e -> { });
    }

    /** {@code removed}: told of every entry that left the tables (after the detector). */
    public DetectorFeed(DirectPathListener listener, java.util.function.Consumer<FlowEntry> removed) {
        this.detector = new DirectPathDetector(listener);
        this.removed = removed;
    }

    public DirectPathDetector detector() {
        return detector;
    }

    /** Loads entries committed before the feed was registered (none for a new switch). */
    public void load(FlowTablesView tables) {
        try (var batch = detector.batch()) {
            for (int t = 0; t < tables.tableCount(); t++) {
                if (tables.entryCount(t) == 0) {
                    continue;
                }
                for (FlowEntry e : tables.entries(t)) {
                    if (!ids.containsKey(e)) {
                        added(e);
                    }
                }
            }
        }
    }

    @Override
    public void flowTablesChanged(List<FlowChange> changes) {
        try (var batch = detector.batch()) {
            for (FlowChange c : changes) {
                switch (c) {
                    case FlowChange.Added a -> added(a.entry());
                    case FlowChange.Modified m -> {
                        Long id = ids.remove(m.old());
                        if (id == null) {
                            added(m.entry());
                        } else {
                            ids.put(m.entry(), id);
                            entries.put(id, m.entry());
                            detector.entryModified(FlowEntryTranslator.translate(id, m.entry()));
                        }
                    }
                    case FlowChange.Removed r -> {
                        Long id = ids.remove(r.entry());
                        if (id != null) {
                            entries.remove(id);
                            detector.entryRemoved(id);
                        }
                        removed.accept(r.entry());
                    }
                }
            }
        }
    }

    private void added(FlowEntry e) {
        long id = nextId++;
        ids.put(e, id);
        entries.put(id, e);
        detector.entryAdded(FlowEntryTranslator.translate(id, e));
    }

    /** ofproto's entry behind a detector id (null once removed). */
    public FlowEntry entry(long id) {
        return entries.get(id);
    }

    /** ofproto's entries of a carrier, in pipeline order (missing ones skipped). */
    public List<FlowEntry> entries(long[] carrierIds) {
        List<FlowEntry> out = new ArrayList<>(carrierIds.length);
        for (long id : carrierIds) {
            FlowEntry e = entries.get(id);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    public void portUpdated(PortInfo port, boolean dpdkr, String trustDomain) {
        detector.portUpdated(new PortView(port.portNo(), dpdkr, trustDomain, forwards(port)));
    }

    public void portRemoved(int portNo) {
        detector.portRemoved(portNo);
    }

    /** docs/p2p-detector.md, PortView.up: a port that drops what it receives or forwards carries no path. */
    static boolean forwards(PortInfo port) {
        Set<OFPortConfig> config = port.config();
        return !config.contains(OFPortConfig.PORT_DOWN) && !config.contains(OFPortConfig.NO_RECV)
                && !config.contains(OFPortConfig.NO_FWD) && !port.state().contains(OFPortState.LINK_DOWN);
    }
}
