package io.shunt.vswitchd.bridge;

import io.shunt.datapath.engine.ActionProgram;
import io.shunt.datapath.engine.DpAction;
import io.shunt.datapath.engine.ForwardingEngine;
import io.shunt.datapath.engine.PortDriver;
import io.shunt.datapath.engine.PortStats;
import io.shunt.ofproto.datapath.Datapath;
import io.shunt.ofproto.datapath.DatapathHost;
import io.shunt.ofproto.datapath.FlowTraffic;
import io.shunt.ofproto.flow.FlowEntry;
import io.shunt.vswitchd.link.LinkStatistics;
import io.shunt.ofproto.datapath.PortCounters;
import io.shunt.ofproto.datapath.PortInfo;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ofproto's {@link Datapath} over datapath-dpdk's {@link ForwardingEngine}: ports are the
 * engine's port drivers, classification is the engine's PMD caches with
 * {@link PipelineUpcall} on a miss, packet-out is injected into a PMD, port counters are
 * the ports' ring counters.
 *
 * <p>Threading: as the interface says, ofproto calls it on the switch's control thread;
 * {@link #addPort}/{@link #removePort} are called on that thread too (the bridge moves them
 * there).
 */
public final class DpdkDatapath implements Datapath {
    private static final Logger log = LoggerFactory.getLogger(DpdkDatapath.class);
    /** How long a flow-table change waits for every PMD to see it before the switch goes on. */
    static final long BARRIER_WAIT_NANOS = 1_000_000_000L;

    private record Port(PortInfo info, PortDriver driver, long addedNanos) { }

    /** Told of every port change, on the control thread (the direct-path detector's port view). */
    public interface PortObserver {
        void portUpdated(PortInfo info, PortDriver driver);

        void portRemoved(int portNo);
    }

    private final String bridge;
    private final ForwardingEngine engine;
    private final Map<Integer, Port> ports = new ConcurrentSkipListMap<>(Integer::compareUnsigned);
    private final AtomicLong packetOutFailures = new AtomicLong();
    private volatile DatapathHost host;
    private volatile ActionTranslator translator;
    private volatile LinkStatistics linkStatistics;
    private volatile PortObserver portObserver;

    public DpdkDatapath(String bridge, ForwardingEngine engine) {
        this.bridge = bridge;
        this.engine = engine;
    }

    @Override
    public void attach(DatapathHost h) {
        this.host = h;
        this.translator = new ActionTranslator(h, this::port);
    }

    /** Link-ring traffic to add to flow, table and port statistics (DESIGN §4.4). */
    public void linkStatistics(LinkStatistics statistics) {
        this.linkStatistics = statistics;
    }

    public void portObserver(PortObserver observer) {
        this.portObserver = observer;
    }

    /** The miss handler of one PMD (one per PMD: it keeps scratch state). */
    PipelineUpcall newUpcall() {
        return new PipelineUpcall(host, translator, this::port);
    }

    public void addPort(PortInfo info, PortDriver driver) {
        engine.addPort(driver);
        ports.put(info.portNo(), new Port(info, driver, System.nanoTime()));
        host.portAdded(info);
        flowStateChanged();
        PortObserver o = portObserver;
        if (o != null) {
            o.portUpdated(info, driver);
        }
    }

    /** Removes a port from the engine (no PMD touches it afterwards), closes its driver, reports it. */
    public void removePort(int portNo) {
        Port p = ports.remove(portNo);
        if (p == null) {
            return;
        }
        PortDriver d = engine.removePort(portNo);
        if (d != null) {
            d.close();
        }
        PortObserver o = portObserver;
        if (o != null) {
            o.portRemoved(portNo);
        }
        host.portRemoved(p.info());
        flowStateChanged();
    }

    /**
     * Something megaflows depend on changed (flows, groups, meters, ports, controller
     * connections): new generation, and wait until every PMD works in it.
     */
    public void flowStateChanged() {
        if (!engine.flowTablesChanged(BARRIER_WAIT_NANOS)) {
            log.warn("bridge {}: a PMD did not pick up the new flow tables within {} ms", bridge,
                    BARRIER_WAIT_NANOS / 1_000_000);
        }
    }

    @Override
    public List<PortInfo> ports() {
        List<PortInfo> list = new ArrayList<>();
        for (Port p : ports.values()) {
            list.add(p.info());
        }
        return list;
    }

    @Override
    public PortInfo port(int portNo) {
        Port p = ports.get(portNo);
        return p == null ? null : p.info();
    }

    /**
     * The link of a port went up or down (its interface's carrier, a deleted veth): the port
     * description gets OFPPS_LINK_DOWN (or loses it), megaflows are re-derived (fast-failover
     * groups follow liveness), and the controllers get a PORT_STATUS MODIFY. No-op when the
     * state is already so.
     */
    public void linkStateChanged(int portNo, boolean up) {
        Port p = ports.get(portNo);
        if (p == null) {
            return;
        }
        EnumSet<OFPortState> state = EnumSet.noneOf(OFPortState.class);
        state.addAll(p.info().state());
        boolean changed = up ? state.remove(OFPortState.LINK_DOWN)
                : state.add(OFPortState.LINK_DOWN);
        if (up) {
            changed |= state.add(OFPortState.LIVE);
        } else {
            changed |= state.remove(OFPortState.LIVE);
        }
        if (!changed) {
            return;
        }
        PortInfo info = p.info().withState(state);
        ports.put(portNo, new Port(info, p.driver(), p.addedNanos()));
        log.info("bridge {}: port {} ({}) link {}", bridge, portNo, info.name(), up ? "up" : "down");
        flowStateChanged();
        host.portChanged(info);
    }

    public PortDriver driver(int portNo) {
        Port p = ports.get(portNo);
        return p == null ? null : p.driver();
    }

    @Override
    public PortCounters portCounters(int portNo) {
        Port p = ports.get(portNo);
        if (p == null) {
            return null;
        }
        PortStats s = p.driver().stats();
        PortCounters ring = new PortCounters(s.rxPackets(), s.txPackets(), s.rxBytes(), s.txBytes(), 0, s.txDropped(),
                s.rxErrors(), 0, System.nanoTime() - p.addedNanos());
        LinkStatistics links = linkStatistics;
        return links == null ? ring : links.withLinkTraffic(portNo, ring);
    }

    @Override
    public FlowTraffic extraTraffic(FlowEntry entry) {
        LinkStatistics links = linkStatistics;
        return links == null ? FlowTraffic.NONE : links.flowTraffic(entry);
    }

    @Override
    public void packetOut(byte[] frame, int inPort, List<OFAction> actions) {
        List<DpAction> ops = new ArrayList<>();
        ActionTranslator.GroupUse groups = new ActionTranslator.GroupUse();
        translator.translate(actions, inPort, ActionTranslator.Origin.PACKET_OUT, java.util.Arrays.hashCode(frame), ops,
                groups, 0);
        if (!engine.inject(frame, inPort, new ActionProgram(ops, groups.credit()))) {
            packetOutFailures.incrementAndGet();
            log.warn("bridge {}: packet-out of {} bytes dropped: no free buffer in pool {}", bridge, frame.length,
                    engine.pool().region().name());
        }
    }

    @Override
    public PortInfo portMod(int portNo, Set<OFPortConfig> config, Set<OFPortConfig> mask) {
        Port p = ports.get(portNo);
        if (p == null) {
            throw new IllegalArgumentException("bridge " + bridge + ": no port " + portNo);
        }
        PortInfo info = p.info().withConfig(config, mask);
        ports.put(portNo, new Port(info, p.driver(), p.addedNanos()));
        engine.setNoFlood(portNo, info.config().contains(OFPortConfig.NO_FLOOD));
        flowStateChanged();
        host.portChanged(info);
        PortObserver o = portObserver;
        if (o != null) {
            o.portUpdated(info, p.driver());
        }
        return info;
    }

    public long packetOutFailures() {
        return packetOutFailures.get();
    }
}
