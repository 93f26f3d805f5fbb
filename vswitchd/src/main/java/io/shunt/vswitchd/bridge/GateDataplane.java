package io.shunt.vswitchd.bridge;

import io.shunt.datapath.engine.DpdkrPort;
import io.shunt.datapath.engine.ForwardingEngine;
import io.shunt.datapath.engine.LinkTxGate;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.vswitchd.link.LinkDataplane;
import io.shunt.vswitchd.link.LinkTraffic;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The link manager's {@link LinkDataplane} over datapath-dpdk's {@link LinkTxGate}s: one gate
 * per link direction, installed on the producer's {@link DpdkrPort}, whose PMD then follows the
 * protocol for it. Control thread only.
 */
final class GateDataplane implements LinkDataplane {
    private static final Logger log = LoggerFactory.getLogger(GateDataplane.class);
    /** How long a detach waits for every PMD to leave the round that may still use the gate. */
    static final long QUIESCE_NANOS = 1_000_000_000L;

    private record Key(String link, int direction) {
    }

    private final String bridge;
    private final ForwardingEngine engine;
    private final DpdkDatapath datapath;
    private final PacketPool pool;
    private final Map<Key, LinkTxGate> gates = new HashMap<>();

    GateDataplane(String bridge, ForwardingEngine engine, DpdkDatapath datapath, PacketPool pool) {
        this.bridge = bridge;
        this.engine = engine;
        this.datapath = datapath;
        this.pool = pool;
    }

    private static Key key(LinkRegion link, int direction) {
        return new Key(link.region().name(), direction);
    }

    @Override
    public void attach(LinkRegion link, int direction, int from, int to) {
        if (!(datapath.driver(from) instanceof DpdkrPort a) || !(datapath.driver(to) instanceof DpdkrPort b)) {
            throw new IllegalArgumentException("bridge " + bridge + ": link " + link.region().name() + " direction "
                    + direction + ": ports " + from + " and " + to + " are not both dpdkr ports of this bridge");
        }
        gates.put(key(link, direction), LinkTxGate.attach(link, direction, a, b, pool));
    }

    @Override
    public void adopt(LinkRegion link, int direction, int from, int to) {
        // LinkTxGate rebuilds its state from the words: attaching is adopting.
        attach(link, direction, from, to);
    }

    @Override
    public void producerDead(LinkRegion link, int direction) {
        LinkTxGate g = gates.get(key(link, direction));
        if (g != null) {
            g.producerDead();
        }
    }

    @Override
    public void takeOverConsumer(LinkRegion link, int direction) {
        LinkTxGate g = gates.get(key(link, direction));
        if (g != null) {
            g.consumerDead();
        }
    }

    @Override
    public void detach(LinkRegion link, int direction) {
        LinkTxGate g = gates.remove(key(link, direction));
        if (g == null) {
            return;
        }
        g.detach();
        // The region is unmapped next: no PMD may still be inside a round that read the gate.
        if (!engine.quiesce(QUIESCE_NANOS)) {
            log.warn("bridge {}: a PMD did not finish its round within {} ms after detaching {}", bridge,
                    QUIESCE_NANOS / 1_000_000, g);
        }
    }

    @Override
    public LinkTraffic traffic(LinkRegion link, int direction) {
        LinkTxGate g = gates.get(key(link, direction));
        if (g == null) {
            return LinkTraffic.ZERO;
        }
        io.shunt.datapath.engine.LinkTraffic t = g.traffic();
        return new LinkTraffic(t.directPackets() + t.takenOverPackets(), t.directBytes() + t.takenOverBytes(),
                t.directPackets(), t.directBytes());
    }
}
