package io.shunt.ofproto.datapath;

import io.shunt.ofproto.SwitchClock;
import io.shunt.ofproto.classifier.FlowKey;
import io.shunt.ofproto.flow.FlowEntry;
import io.shunt.ofproto.flow.PipelineResult;
import io.shunt.ofproto.group.BucketChoice;
import io.shunt.ofproto.group.Group;
import io.shunt.ofproto.meter.Meter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.action.*;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBand;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBandDrop;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmEthDst;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmEthSrc;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmVlanPcp;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmVlanVid;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * A software datapath for development and tests: ports are in-memory
 * queues of frames (byte arrays), one "PMD" (the caller of
 * {@link #receive}) classifies each frame through the switch's pipeline and
 * executes the actions. It is a real, complete forwarding path over a
 * simple transport, used by ofproto's tests and the channel end-to-end
 * tests; the production datapath is datapath-dpdk's.
 *
 * <p>What it executes: output to ports and to every reserved port
 * (IN_PORT, ALL, FLOOD honouring NO_FLOOD, CONTROLLER, LOCAL, TABLE;
 * NORMAL floods, there is no MAC learning), groups of the four types
 * (select hashes the flow key over live buckets by weight, fast-failover
 * takes the first live bucket), meters (drop bands drop; dscp-remark bands
 * are counted, the frame is not re-marked), fail mode standalone without a
 * controller (a table-0 miss is forwarded as NORMAL), set-field of Ethernet addresses
 * and VLAN VID/PCP, push/pop VLAN, set-queue (ignored: no queues). Any other
 * header rewrite is not implemented here: the packet is dropped and counted
 * in {@link #unsupportedActionDrops()} rather than forwarded unmodified.
 *
 * <p>Threading: {@link #receive} and {@link #packetOut} are serialised on
 * this object's monitor (one PMD); port management is thread-safe. It is
 * built for clarity, not speed: it copies frames and action lists per
 * packet (the pipeline it calls, {@code FlowTables.run}, allocates nothing).
 * When the switch says so ({@link DatapathHost#packetInOnTableMiss}) a table
 * miss becomes a PACKET_IN; otherwise it is dropped and counted.
 */
public final class SoftDatapath implements Datapath {
    /** Frames held per port before transmit drops. */
    public static final int TX_QUEUE_LIMIT = 4096;

    private static final int OFPP_IN_PORT = OFPort.IN_PORT.getPortNumber();
    private static final int OFPP_TABLE = OFPort.TABLE.getPortNumber();
    private static final int OFPP_NORMAL = OFPort.NORMAL.getPortNumber();
    private static final int OFPP_FLOOD = OFPort.FLOOD.getPortNumber();
    private static final int OFPP_ALL = OFPort.ALL.getPortNumber();
    private static final int OFPP_CONTROLLER = OFPort.CONTROLLER.getPortNumber();

    private final class SoftPort {
        volatile PortInfo info;
        final long createdNanos;
        final ArrayDeque<byte[]> tx = new ArrayDeque<>();
        final AtomicLong rxPackets = new AtomicLong(), rxBytes = new AtomicLong(), txPackets = new AtomicLong(),
                txBytes = new AtomicLong(), txDropped = new AtomicLong(), rxDropped = new AtomicLong();

        SoftPort(PortInfo info, long now) {
            this.info = info;
            this.createdNanos = now;
        }
    }

    private final SwitchClock clock;
    private final Map<Integer, SoftPort> ports = new ConcurrentSkipListMap<>(Integer::compareUnsigned);
    private volatile DatapathHost host;
    private volatile BucketChoice bucketChoice;
    private PipelineResult result;
    private final FlowKey key = new FlowKey();
    private final LongAdder unsupported = new LongAdder();
    private final LongAdder missDrops = new LongAdder();
    private final LongAdder meterDrops = new LongAdder();

    public SoftDatapath(SwitchClock clock) {
        this.clock = clock;
    }

    @Override
    public void attach(DatapathHost h) {
        this.host = h;
        this.bucketChoice = new BucketChoice(this::port, h.groups(), 16);
        this.result = new PipelineResult(h.flowTables().tableCount());
    }

    // ---- ports ----

    public void addPort(PortInfo p) {
        ports.put(p.portNo(), new SoftPort(p, clock.nanos()));
        DatapathHost h = host;
        if (h != null) h.portAdded(p);
    }

    public void removePort(int portNo) {
        SoftPort p = ports.remove(portNo);
        DatapathHost h = host;
        if (p != null && h != null) h.portRemoved(p.info);
    }

    /** Link up/down as a NIC would report it: LINK_DOWN and LIVE state bits, then PORT_STATUS. */
    public void setLink(int portNo, boolean up) {
        SoftPort p = ports.get(portNo);
        if (p == null) throw new IllegalArgumentException("no port " + portNo);
        p.info = p.info.withState(up ? Set.of(OFPortState.LIVE) : Set.of(OFPortState.LINK_DOWN));
        DatapathHost h = host;
        if (h != null) h.portChanged(p.info);
    }

    @Override
    public List<PortInfo> ports() {
        List<PortInfo> list = new ArrayList<>();
        for (SoftPort p : ports.values()) list.add(p.info);
        return list;
    }

    @Override
    public PortInfo port(int portNo) {
        SoftPort p = ports.get(portNo);
        return p == null ? null : p.info;
    }

    @Override
    public PortCounters portCounters(int portNo) {
        SoftPort p = ports.get(portNo);
        if (p == null) return null;
        return new PortCounters(p.rxPackets.get(), p.txPackets.get(), p.rxBytes.get(), p.txBytes.get(), p.rxDropped.get(),
                p.txDropped.get(), 0, 0, clock.nanos() - p.createdNanos);
    }

    @Override
    public PortInfo portMod(int portNo, Set<OFPortConfig> config, Set<OFPortConfig> mask) {
        SoftPort p = ports.get(portNo);
        if (p == null) throw new IllegalArgumentException("no port " + portNo);
        p.info = p.info.withConfig(config, mask);
        DatapathHost h = host;
        if (h != null) h.portChanged(p.info);
        return p.info;
    }

    /** Frames sent out of a port since the last call, oldest first. */
    public synchronized List<byte[]> drainTransmitted(int portNo) {
        SoftPort p = ports.get(portNo);
        if (p == null) return List.of();
        List<byte[]> out = new ArrayList<>(p.tx);
        p.tx.clear();
        return out;
    }

    public long unsupportedActionDrops() { return unsupported.sum(); }
    public long tableMissDrops() { return missDrops.sum(); }
    public long meterDrops() { return meterDrops.sum(); }

    // ---- forwarding ----

    /** A frame arrives on a port: classify, count, execute. */
    public synchronized void receive(int inPort, byte[] frame) {
        SoftPort in = ports.get(inPort);
        if (in == null) throw new IllegalArgumentException("no port " + inPort);
        in.rxPackets.incrementAndGet();
        in.rxBytes.addAndGet(frame.length);
        Set<OFPortConfig> cfg = in.info.config();
        if (cfg.contains(OFPortConfig.NO_RECV) || cfg.contains(OFPortConfig.PORT_DOWN)) {
            in.rxDropped.incrementAndGet();
            return;
        }
        classifyAndExecute(frame, inPort);
    }

    private void classifyAndExecute(byte[] frame, int inPort) {
        FrameParser.parse(frame, frame.length, inPort, key);
        host.flowTables().run(key, result);
        long now = clock.nanos();
        for (int i = 0; i < result.matchedCount(); i++) result.matched(i).counters().add(1, frame.length, now);
        if (result.missTable() == 0 && result.matchedCount() == 0 && host.standaloneActive()) {
            // Fail mode standalone without a controller: forward as OFPP_NORMAL (here: flood, no MAC learning).
            output(frame, inPort, OFPP_NORMAL, 0, null, 0);
            return;
        }
        if (result.missTable() >= 0) {
            // The miss discards the action set (the pipeline already did); apply-actions of the tables
            // before it have taken effect and still execute below, with the meters they passed.
            if (host.packetInOnTableMiss()) {
                host.packetIn(new PacketIn(frame.clone(), inPort, result.finalKey().metadata(), OFPacketInReason.NO_MATCH,
                        result.missTable(), -1L, PacketIn.USE_MISS_SEND_LEN));
            } else {
                missDrops.increment();
            }
        }
        for (int i = 0; i < result.meterCount(); i++) {
            Meter m = host.meters().meter(result.meter(i));
            if (m == null) continue;
            int band = m.charge(now, frame.length);
            if (band >= 0) {
                OFMeterBand b = m.bands().get(band);
                if (b instanceof OFMeterBandDrop) {
                    meterDrops.increment();
                    return;
                }
            }
        }
        FlowEntry last = result.matchedCount() > 0 ? result.matched(result.matchedCount() - 1) : null;
        List<OFAction> actions = result.actionList();
        execute(frame, inPort, actions, last, result.finalKey().metadata());
    }

    @Override
    public synchronized void packetOut(byte[] frame, int inPort, List<OFAction> actions) {
        execute(frame, inPort, actions, null, 0);
    }

    private void execute(byte[] frame, int inPort, List<OFAction> actions, FlowEntry entry, long metadata) {
        byte[] pkt = frame;
        for (OFAction a : actions) {
            switch (a) {
                case OFActionOutput o -> output(pkt, inPort, o.getPort().getPortNumber(), o.getMaxLen(), entry, metadata);
                case OFActionGroup g -> {
                    group(pkt, inPort, g.getGroup().getGroupNumber(), entry, metadata, 0);
                }
                case OFActionSetField sf -> {
                    pkt = setField(pkt, sf.getField());
                    if (pkt == null) {
                        unsupported.increment();
                        return;
                    }
                }
                case OFActionPushVlan p -> pkt = pushVlan(pkt, p.getEthertype().getValue());
                case OFActionPopVlan p -> pkt = popVlan(pkt);
                case OFActionSetQueue q -> { }
                default -> {
                    unsupported.increment();
                    return;
                }
            }
        }
    }

    private void group(byte[] pkt, int inPort, int groupId, FlowEntry entry, long metadata, int depth) {
        Group g = host.groups().group(groupId);
        if (g == null || depth > 16) return;
        List<OFBucket> buckets = g.buckets();
        switch (g.type()) {
            case ALL -> {
                g.count(-1, pkt.length);
                for (int i = 0; i < buckets.size(); i++) {
                    g.countBucket(i, pkt.length);
                    runBucket(pkt, inPort, buckets.get(i), entry, metadata, depth);
                }
            }
            case INDIRECT -> {
                g.count(0, pkt.length);
                runBucket(pkt, inPort, buckets.get(0), entry, metadata, depth);
            }
            case SELECT -> {
                int chosen = bucketChoice.select(buckets, key.hashCode(), 0);
                g.count(chosen, pkt.length);
                if (chosen >= 0) runBucket(pkt, inPort, buckets.get(chosen), entry, metadata, depth);
            }
            case FF -> {
                int live = bucketChoice.firstLive(buckets, depth);
                g.count(live, pkt.length);
                if (live >= 0) runBucket(pkt, inPort, buckets.get(live), entry, metadata, depth);
            }
        }
    }

    private void runBucket(byte[] pkt, int inPort, OFBucket b, FlowEntry entry, long metadata, int depth) {
        byte[] copy = pkt;
        for (OFAction a : b.getActions()) {
            switch (a) {
                case OFActionOutput o -> output(copy, inPort, o.getPort().getPortNumber(), o.getMaxLen(), entry, metadata);
                case OFActionGroup g -> group(copy, inPort, g.getGroup().getGroupNumber(), entry, metadata, depth + 1);
                case OFActionSetField sf -> {
                    copy = setField(copy, sf.getField());
                    if (copy == null) {
                        unsupported.increment();
                        return;
                    }
                }
                case OFActionPushVlan p -> copy = pushVlan(copy, p.getEthertype().getValue());
                case OFActionPopVlan p -> copy = popVlan(copy);
                case OFActionSetQueue q -> { }
                default -> {
                    unsupported.increment();
                    return;
                }
            }
        }
    }

    private void output(byte[] pkt, int inPort, int port, int maxLen, FlowEntry entry, long metadata) {
        if (port == OFPP_IN_PORT) {
            transmit(inPort, pkt);
        } else if (port == OFPP_ALL || port == OFPP_FLOOD || port == OFPP_NORMAL) {
            for (SoftPort p : ports.values()) {
                int no = p.info.portNo();
                if (no == inPort) continue;
                if (port != OFPP_ALL && p.info.config().contains(OFPortConfig.NO_FLOOD)) continue;
                transmit(no, pkt);
            }
        } else if (port == OFPP_CONTROLLER) {
            boolean miss = entry != null && entry.priority() == 0 && entry.compiledMatch().isCatchAll();
            host.packetIn(new PacketIn(pkt.clone(), inPort, metadata,
                    entry == null ? OFPacketInReason.PACKET_OUT : miss ? OFPacketInReason.NO_MATCH : OFPacketInReason.ACTION,
                    entry == null ? 0 : entry.tableId(), entry == null ? -1L : entry.cookie(), maxLen));
        } else if (port == OFPP_TABLE) {
            classifyAndExecute(pkt, inPort);
        } else {
            transmit(port, pkt);
        }
    }

    private void transmit(int portNo, byte[] pkt) {
        SoftPort p = ports.get(portNo);
        if (p == null) return;
        Set<OFPortConfig> cfg = p.info.config();
        if (cfg.contains(OFPortConfig.NO_FWD) || cfg.contains(OFPortConfig.PORT_DOWN) || !p.info.isLive()) {
            p.txDropped.incrementAndGet();
            return;
        }
        if (p.tx.size() >= TX_QUEUE_LIMIT) {
            p.txDropped.incrementAndGet();
            return;
        }
        p.tx.add(pkt.clone());
        p.txPackets.incrementAndGet();
        p.txBytes.addAndGet(pkt.length);
    }

    // ---- header rewrites (L2 only) ----

    private static void putMac(byte[] f, int off, long mac) {
        for (int i = 5; i >= 0; i--) {
            f[off + i] = (byte) mac;
            mac >>>= 8;
        }
    }

    private static boolean tagged(byte[] f) {
        if (f.length < 18) return false;
        int t = ((f[12] & 0xff) << 8) | (f[13] & 0xff);
        return t == 0x8100 || t == 0x88a8;
    }

    private static byte[] setField(byte[] f, OFOxm<?> oxm) {
        if (f.length < 14) return null;
        byte[] out = f.clone();
        switch (oxm) {
            case OFOxmEthDst d -> putMac(out, 0, d.getValue().getLong());
            case OFOxmEthSrc s -> putMac(out, 6, s.getValue().getLong());
            case OFOxmVlanVid v -> {
                if (!tagged(out)) return null;
                int vid = v.getValue().getVlan() & 0xfff;
                out[14] = (byte) ((out[14] & 0xf0) | (vid >>> 8));
                out[15] = (byte) vid;
            }
            case OFOxmVlanPcp p -> {
                if (!tagged(out)) return null;
                out[14] = (byte) ((out[14] & 0x1f) | (p.getValue().getValue() << 5));
            }
            default -> {
                return null;
            }
        }
        return out;
    }

    private static byte[] pushVlan(byte[] f, int tpid) {
        if (f.length < 14) return f;
        byte[] out = new byte[f.length + 4];
        System.arraycopy(f, 0, out, 0, 12);
        out[12] = (byte) (tpid >>> 8);
        out[13] = (byte) tpid;
        // A new outer tag copies an existing tag's TCI, else 0 (OF1.3 section 5.12.1).
        if (tagged(f)) {
            out[14] = f[14];
            out[15] = f[15];
        }
        System.arraycopy(f, 12, out, 16, f.length - 12);
        return out;
    }

    private static byte[] popVlan(byte[] f) {
        if (!tagged(f)) return f;
        byte[] out = new byte[f.length - 4];
        System.arraycopy(f, 0, out, 0, 12);
        System.arraycopy(f, 16, out, 12, f.length - 16);
        return out;
    }

    @Override
    public String toString() {
        return "SoftDatapath" + Arrays.toString(ports.keySet().toArray());
    }
}
