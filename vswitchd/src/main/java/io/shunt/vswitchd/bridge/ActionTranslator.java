package io.shunt.vswitchd.bridge;

import io.shunt.datapath.engine.DpAction;
import io.shunt.datapath.engine.DropReason;
import io.shunt.datapath.engine.FlowCredit;
import io.shunt.datapath.engine.ActionProgram;
import io.shunt.ofproto.datapath.DatapathHost;
import io.shunt.ofproto.datapath.PacketIn;
import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.ofproto.flow.FlowEntry;
import io.shunt.ofproto.group.BucketChoice;
import io.shunt.ofproto.group.Group;
import io.shunt.ofproto.meter.Meter;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionDecMplsTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionDecNwTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionPopMpls;
import org.projectfloodlight.openflow.protocol.action.OFActionPushMpls;
import org.projectfloodlight.openflow.protocol.action.OFActionSetMplsTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionSetNwTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionGroup;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionPopVlan;
import org.projectfloodlight.openflow.protocol.action.OFActionPushVlan;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.action.OFActionSetQueue;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBand;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBandDrop;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmEthDst;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmEthSrc;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmIpDscp;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmIpv4Dst;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmIpv4Src;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmIpv6Dst;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmIpv6Flabel;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmIpv6Src;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmMplsLabel;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmMplsTc;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmSctpDst;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmSctpSrc;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmTcpDst;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmTcpSrc;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmUdpDst;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmUdpSrc;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmVlanPcp;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmVlanVid;
import org.projectfloodlight.openflow.types.OFPort;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Translates OpenFlow actions, as the pipeline or a PACKET_OUT gives them, into a datapath
 * {@link ActionProgram}. Decisions that depend only on switch state are taken here, once
 * per megaflow: reserved ports become flood/normal/upcall steps, groups are resolved to
 * their buckets (a select group by the flow's hash, a fast-failover group to its first
 * live bucket), outputs to ports configured NO_FWD or down become drops. Anything that
 * changes that state (flow, group, meter or port changes, a controller connecting)
 * advances the flow generation, so no megaflow outlives it. Meters stay per packet (a
 * {@link DpAction.Meter} gate charging the OpenFlow meter).
 */
final class ActionTranslator {
    private static final int OFPP_IN_PORT = OFPort.IN_PORT.getPortNumber();
    private static final int OFPP_TABLE = OFPort.TABLE.getPortNumber();
    private static final int OFPP_NORMAL = OFPort.NORMAL.getPortNumber();
    private static final int OFPP_FLOOD = OFPort.FLOOD.getPortNumber();
    private static final int OFPP_ALL = OFPort.ALL.getPortNumber();
    private static final int OFPP_CONTROLLER = OFPort.CONTROLLER.getPortNumber();
    private static final int MAX_GROUP_DEPTH = 8;

    private final DatapathHost host;
    private final IntFunction<PortInfo> ports;
    private final BucketChoice bucketChoice;

    ActionTranslator(DatapathHost host, IntFunction<PortInfo> ports) {
        this.host = host;
        this.ports = ports;
        this.bucketChoice = new BucketChoice(ports, host.groups(), MAX_GROUP_DEPTH);
    }

    /** What the packet-ins of one program report: the entry that sent them (null for a packet-out). */
    record Origin(FlowEntry entry, long metadata) {
        static final Origin PACKET_OUT = new Origin(null, 0);
    }

    /** Collects the group buckets a program's packets go through, for exact group statistics. */
    static final class GroupUse {
        final List<Group> groups = new ArrayList<>();
        final List<Integer> buckets = new ArrayList<>();
        /** True: the bucket only (an ALL group's copy); false: the group and the bucket (-1 for none). */
        final List<Boolean> bucketOnly = new ArrayList<>();
        /** A select group chose its bucket by the whole key's hash: the megaflow must be exact. */
        boolean keyHashed;

        void add(Group g, int bucket, boolean only) {
            groups.add(g);
            buckets.add(bucket);
            bucketOnly.add(only);
        }

        FlowCredit credit() {
            if (groups.isEmpty()) {
                return FlowCredit.NONE;
            }
            Group[] gs = groups.toArray(Group[]::new);
            int[] bs = buckets.stream().mapToInt(Integer::intValue).toArray();
            boolean[] only = new boolean[gs.length];
            for (int i = 0; i < only.length; i++) {
                only[i] = bucketOnly.get(i);
            }
            return (packets, bytes, now) -> {
                for (int i = 0; i < gs.length; i++) {
                    // Group counters take one packet at a time; the bytes go with the first call so sums are exact.
                    for (long p = 0; p < packets; p++) {
                        long b = p == 0 ? bytes : 0;
                        if (only[i]) {
                            gs[i].countBucket(bs[i], b);
                        } else {
                            gs[i].count(bs[i], b);
                        }
                    }
                }
            };
        }
    }

    void translate(List<OFAction> actions, int inPort, Origin origin, long flowHash, List<DpAction> out, GroupUse use,
                   int depth) {
        for (OFAction a : actions) {
            switch (a) {
                case OFActionOutput o -> output(o.getPort().getPortNumber(), o.getMaxLen(), inPort, origin, out);
                case OFActionGroup g -> group(g.getGroup().getGroupNumber(), inPort, origin, flowHash, out, use, depth);
                case OFActionSetField sf -> out.add(setField(sf.getField()));
                case OFActionPushVlan p -> out.add(new DpAction.PushVlan(p.getEthertype().getValue()));
                case OFActionPopVlan p -> out.add(new DpAction.PopVlan());
                case OFActionDecNwTtl t -> out.add(new DpAction.DecTtl());
                case OFActionSetNwTtl t -> out.add(new DpAction.SetNwTtl(t.getNwTtl()));
                case OFActionPushMpls p -> out.add(new DpAction.PushMpls(p.getEthertype().getValue()));
                case OFActionPopMpls p -> out.add(new DpAction.PopMpls(p.getEthertype().getValue()));
                case OFActionSetMplsTtl t -> out.add(new DpAction.SetMplsTtl(t.getMplsTtl()));
                case OFActionDecMplsTtl t -> out.add(new DpAction.DecMplsTtl());
                case OFActionSetQueue q -> { }
                default -> out.add(new DpAction.Drop(DropReason.UNSUPPORTED));
            }
        }
    }

    /** A meter step: charges the OpenFlow meter per packet; a drop band drops. */
    DpAction meter(long meterId) {
        return new DpAction.Meter((bytes, now) -> {
            Meter m = host.meters().meter(meterId);
            if (m == null) {
                return true;
            }
            int band = m.charge(now, bytes);
            if (band < 0) {
                return true;
            }
            OFMeterBand b = m.bands().get(band);
            return !(b instanceof OFMeterBandDrop);
        });
    }

    DpAction toController(int maxLen, OFPacketInReason reason, int tableId, long cookie, long metadata) {
        return new DpAction.Userspace((frame, inPort) ->
                host.packetIn(new PacketIn(frame, inPort, metadata, reason, tableId, cookie, maxLen)));
    }

    private void output(int port, int maxLen, int inPort, Origin origin, List<DpAction> out) {
        if (port == OFPP_IN_PORT) {
            out.add(new DpAction.OutputInPort());
        } else if (port == OFPP_ALL) {
            out.add(new DpAction.Flood(true));
        } else if (port == OFPP_FLOOD) {
            out.add(new DpAction.Flood(false));
        } else if (port == OFPP_NORMAL) {
            out.add(new DpAction.Normal());
        } else if (port == OFPP_TABLE) {
            out.add(new DpAction.Table());
        } else if (port == OFPP_CONTROLLER) {
            FlowEntry e = origin.entry();
            PortInfo in = ports.apply(inPort);
            if (in != null && in.config().contains(OFPortConfig.NO_PACKET_IN)) {
                return;
            }
            boolean miss = e != null && e.priority() == 0 && e.compiledMatch().isCatchAll();
            out.add(toController(maxLen,
                    e == null ? OFPacketInReason.PACKET_OUT : miss ? OFPacketInReason.NO_MATCH : OFPacketInReason.ACTION,
                    e == null ? 0 : e.tableId(), e == null ? -1L : e.cookie(), origin.metadata()));
        } else {
            // LOCAL is an ordinary output here: the engine knows OFPP_LOCAL's number as the bridge's own
            // port (the internal port named like the bridge). A port that does not exist (LOCAL while the
            // bridge has no such port) is counted by the PMD as a NO_PORT drop; the other outputs of the
            // list still happen.
            PortInfo p = ports.apply(port);
            if (p == null || !(p.config().contains(OFPortConfig.NO_FWD) || p.config().contains(OFPortConfig.PORT_DOWN))) {
                out.add(new DpAction.Output(port));
            }
        }
    }

    private void group(int groupId, int inPort, Origin origin, long flowHash, List<DpAction> out, GroupUse use,
                       int depth) {
        Group g = host.groups().group(groupId);
        if (g == null || depth > MAX_GROUP_DEPTH) {
            out.add(new DpAction.Drop(DropReason.UNSUPPORTED));
            return;
        }
        List<OFBucket> buckets = g.buckets();
        switch (g.type()) {
            case ALL -> {
                use.add(g, -1, false);
                for (int i = 0; i < buckets.size(); i++) {
                    use.add(g, i, true);
                    List<DpAction> sub = new ArrayList<>();
                    translate(buckets.get(i).getActions(), inPort, origin, flowHash, sub, use, depth + 1);
                    // Each bucket acts on its own copy of the packet (OF1.3 section 5.6.1).
                    out.add(new DpAction.Clone(new ActionProgram(sub, FlowCredit.NONE)));
                }
            }
            case INDIRECT -> {
                use.add(g, 0, false);
                translate(buckets.get(0).getActions(), inPort, origin, flowHash, out, use, depth + 1);
            }
            case SELECT -> {
                use.keyHashed = true;
                int chosen = bucketChoice.select(buckets, flowHash, depth);
                use.add(g, chosen, false);
                if (chosen >= 0) {
                    translate(buckets.get(chosen).getActions(), inPort, origin, flowHash, out, use, depth + 1);
                }
            }
            case FF -> {
                int live = bucketChoice.firstLive(buckets, depth);
                use.add(g, live, false);
                if (live >= 0) {
                    translate(buckets.get(live).getActions(), inPort, origin, flowHash, out, use, depth + 1);
                }
            }
        }
    }

    private static DpAction setField(OFOxm<?> oxm) {
        return switch (oxm) {
            case OFOxmEthDst d -> new DpAction.SetEthDst(d.getValue().getLong());
            case OFOxmEthSrc s -> new DpAction.SetEthSrc(s.getValue().getLong());
            case OFOxmVlanVid v -> new DpAction.SetVlanVid(v.getValue().getVlan() & 0xfff);
            case OFOxmVlanPcp p -> new DpAction.SetVlanPcp(p.getValue().getValue());
            case OFOxmIpv4Src s -> new DpAction.SetIpv4Src(s.getValue().getInt());
            case OFOxmIpv4Dst d -> new DpAction.SetIpv4Dst(d.getValue().getInt());
            case OFOxmIpDscp d -> new DpAction.SetIpDscp(d.getValue().getDscpValue());
            case OFOxmIpv6Src s -> {
                ByteBuffer a = ByteBuffer.wrap(s.getValue().getBytes());
                yield new DpAction.SetIpv6Src(a.getLong(0), a.getLong(8));
            }
            case OFOxmIpv6Dst d -> {
                ByteBuffer a = ByteBuffer.wrap(d.getValue().getBytes());
                yield new DpAction.SetIpv6Dst(a.getLong(0), a.getLong(8));
            }
            case OFOxmIpv6Flabel l -> new DpAction.SetIpv6FlowLabel(l.getValue().getIPv6FlowLabelValue());
            // The OXM's prerequisite (ip_proto) was checked when the flow was added, so the
            // packet carries the protocol the field names; the datapath edit is the same for all three.
            case OFOxmTcpSrc t -> new DpAction.SetTransportSrc(t.getValue().getPort());
            case OFOxmTcpDst t -> new DpAction.SetTransportDst(t.getValue().getPort());
            case OFOxmUdpSrc u -> new DpAction.SetTransportSrc(u.getValue().getPort());
            case OFOxmUdpDst u -> new DpAction.SetTransportDst(u.getValue().getPort());
            case OFOxmSctpSrc t -> new DpAction.SetTransportSrc(t.getValue().getPort());
            case OFOxmSctpDst t -> new DpAction.SetTransportDst(t.getValue().getPort());
            case OFOxmMplsLabel l -> new DpAction.SetMplsLabel((int) l.getValue().getValue());
            case OFOxmMplsTc t -> new DpAction.SetMplsTc(t.getValue().getValue());
            default -> new DpAction.Drop(DropReason.UNSUPPORTED);
        };
    }
}
