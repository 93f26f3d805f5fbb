package io.shunt.vswitchd.bridge;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.datapath.engine.DropReason;
import io.shunt.datapath.engine.PmdStats;
import io.shunt.datapath.engine.TscRate;
import io.shunt.datapath.hostport.HostLink;
import io.shunt.ofproto.datapath.PortCounters;
import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.vswitchd.mgmt.ManagementServer;

import java.util.Locale;

/**
 * Management methods of the forwarding engine: {@code pmd-stats} (per PMD: packets,
 * cycles per packet, cache hits, idle share, drops; as OVS's {@code dpif-netdev/pmd-stats-show})
 * and {@code counters} (per port: the ring counters the switch reports in port stats).
 * Both take an optional {@code bridge} parameter. {@code connections}: OpenFlow connections per
 * bridge and whether fail-mode standalone is in effect.
 */
public final class EngineMethods {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final Bridges bridges;

    public EngineMethods(Bridges bridges) {
        this.bridges = bridges;
    }

    public void registerOn(ManagementServer server) {
        server.register("pmd-stats", p -> {
            String only = p != null && p.hasNonNull("bridge") ? p.get("bridge").asText() : null;
            ArrayNode out = JSON.arrayNode();
            for (Bridge b : bridges.all()) {
                if (only != null && !only.equals(b.name())) {
                    continue;
                }
                for (PmdStats s : b.pmdStats()) {
                    ObjectNode n = out.addObject();
                    n.put("bridge", b.name());
                    n.put("pmd", s.pmdId());
                    ArrayNode ports = n.putArray("ports");
                    s.ports().forEach(ports::add);
                    n.put("packets", s.packets());
                    n.put("busy_ns", s.busyNanos());
                    n.put("idle_ns", s.idleNanos());
                    n.put("cycles_per_packet", round(s.cyclesPerPacket()));
                    n.put("cycles_source", "nanoTime x " + TscRate.MACHINE.ghz() + " GHz, " + TscRate.MACHINE.source());
                    n.put("idle_share", round(s.idleShare()));
                    ObjectNode idle = n.putObject("idle_policy");
                    idle.put("spin_polls", s.idlePolicy().spinPolls());
                    idle.put("yield_polls", s.idlePolicy().yieldPolls());
                    idle.put("park_us", s.idlePolicy().parkMicros());
                    n.put("emc_hits", s.cache().emcHits());
                    n.put("megaflow_hits", s.cache().megaflowHits());
                    n.put("upcalls", s.cache().misses());
                    n.put("megaflow_inserts", s.cache().megaflowInserts());
                    ObjectNode drops = n.putObject("drops");
                    for (DropReason r : DropReason.values()) {
                        drops.put(r.name().toLowerCase(Locale.ROOT), s.drops().getOrDefault(r, 0L));
                    }
                }
            }
            return out;
        });
        server.register("connections", p -> {
            ArrayNode out = JSON.arrayNode();
            for (Bridge b : bridges.all()) {
                ObjectNode n = out.addObject();
                n.put("bridge", b.name());
                n.put("openflow_connections", b.openFlowSwitch().connections().size());
                n.put("standalone_active", b.openFlowSwitch().standaloneActive());
            }
            return out;
        });
        server.register("counters", p -> {
            String only = p != null && p.hasNonNull("bridge") ? p.get("bridge").asText() : null;
            ArrayNode out = JSON.arrayNode();
            for (Bridge b : bridges.all()) {
                if (only != null && !only.equals(b.name())) {
                    continue;
                }
                for (PortInfo port : b.datapath().ports()) {
                    PortCounters c = b.datapath().portCounters(port.portNo());
                    if (c == null) {
                        continue;
                    }
                    ObjectNode n = out.addObject();
                    n.put("bridge", b.name());
                    n.put("port", port.name());
                    n.put("ofport", port.portNo());
                    n.put("rx_packets", c.rxPackets());
                    n.put("rx_bytes", c.rxBytes());
                    n.put("rx_errors", c.rxErrors());
                    n.put("tx_packets", c.txPackets());
                    n.put("tx_bytes", c.txBytes());
                    n.put("tx_dropped", c.txDropped());
                    if (b.datapath().driver(port.portNo()) instanceof HostLink link) {
                        // afpacket/internal/patch: drops by cause (oversize, ring full, kernel ring drops...).
                        ObjectNode detail = n.putObject("detail");
                        link.detailCounters().forEach(detail::put);
                    }
                }
            }
            return out;
        });
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
