package io.shunt.ofproto.stats;

import io.shunt.ofproto.OfErrorException;
import io.shunt.ofproto.SwitchConfig;
import io.shunt.ofproto.channel.ControllerConnection;
import io.shunt.ofproto.datapath.Datapath;
import io.shunt.ofproto.datapath.FlowTraffic;
import io.shunt.ofproto.datapath.PortCounters;
import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.ofproto.flow.CompiledMatch;
import io.shunt.ofproto.flow.FlowEntry;
import io.shunt.ofproto.flow.FlowStore;
import io.shunt.ofproto.flow.FlowTable;
import io.shunt.ofproto.flow.FlowTables;
import io.shunt.ofproto.flow.InstructionCompiler;
import io.shunt.ofproto.flow.MatchCompiler;
import io.shunt.ofproto.group.Group;
import io.shunt.ofproto.group.GroupTable;
import io.shunt.ofproto.meter.Meter;
import io.shunt.ofproto.meter.MeterTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.*;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.actionid.OFActionId;
import org.projectfloodlight.openflow.protocol.actionid.OFActionIds;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instructionid.OFInstructionId;
import org.projectfloodlight.openflow.protocol.instructionid.OFInstructionIds;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.types.*;

/**
 * Answers MULTIPART (STATS) requests (OF1.3 section 7.3.5): desc, flow,
 * aggregate, table, table-features, port, port-desc, queue, group,
 * group-desc, group-features, meter, meter-config, meter-features. Large
 * replies are split under 64 KiB per message. Unsupported types get
 * OFPBRC_BAD_MULTIPART.
 */
public final class MultipartService {
    private final SwitchConfig config;
    private final FlowTables tables;
    private final FlowStore store;
    private final GroupTable groups;
    private final MeterTable meters;
    private final Datapath datapath;
    private final Map<OFVersion, List<OFTableFeatures>> tableFeatures = new EnumMap<>(OFVersion.class);

    public MultipartService(SwitchConfig config, FlowStore store, GroupTable groups, MeterTable meters, Datapath datapath) {
        this.config = config;
        this.tables = store.tables();
        this.store = store;
        this.groups = groups;
        this.meters = meters;
        this.datapath = datapath;
    }

    private long now() {
        return config.clock().nanos();
    }

    private static Set<OFStatsReplyFlags> more(boolean more) {
        return more ? EnumSet.of(OFStatsReplyFlags.REPLY_MORE) : EnumSet.noneOf(OFStatsReplyFlags.class);
    }

    public void handle(OFStatsRequest<?> req, ControllerConnection to) throws OfErrorException {
        OFFactory f = to.factory();
        if (!req.getFlags().isEmpty() && !(req instanceof OFTableFeaturesStatsRequest)) {
            throw OfErrorException.badRequest(OFBadRequestCode.MULTIPART_BUFFER_OVERFLOW,
                    "multi-part requests (REQ_MORE) are only accepted for table features");
        }
        switch (req) {
            case OFDescStatsRequest r -> to.send(f.buildDescStatsReply().setXid(r.getXid())
                    .setMfrDesc(config.mfrDesc()).setHwDesc(config.hwDesc()).setSwDesc(config.swDesc())
                    .setSerialNum(config.serialNum()).setDpDesc(config.dpDesc()).build());
            case OFFlowStatsRequest r -> flowStats(r, to);
            case OFAggregateStatsRequest r -> aggregate(r, to);
            case OFTableStatsRequest r -> tableStats(r, to);
            case OFTableFeaturesStatsRequest r -> tableFeatures(r, to);
            case OFPortStatsRequest r -> portStats(r, to);
            case OFPortDescStatsRequest r -> {
                List<OFPortDesc> ports = new ArrayList<>();
                for (PortInfo p : datapath.ports()) ports.add(PortDescriptions.of(f, p));
                ReplySplitter.send(to, ports, (part, m) ->
                        f.buildPortDescStatsReply().setXid(r.getXid()).setEntries(part).setFlags(more(m)).build());
            }
            case OFQueueStatsRequest r -> queueStats(r, to);
            case OFGroupStatsRequest r -> groupStats(r, to);
            case OFGroupDescStatsRequest r -> {
                List<OFGroupDescStatsEntry> list = new ArrayList<>();
                for (Group g : groups.all()) {
                    list.add(f.buildGroupDescStatsEntry().setGroup(OFGroup.of(g.id())).setGroupType(g.type())
                            .setBuckets(g.buckets()).build());
                }
                ReplySplitter.send(to, list, (part, m) ->
                        f.buildGroupDescStatsReply().setXid(r.getXid()).setEntries(part).setFlags(more(m)).build());
            }
            case OFGroupFeaturesStatsRequest r -> {
                long actions = groupActionBits();
                to.send(f.buildGroupFeaturesStatsReply().setXid(r.getXid())
                        .setTypes(0xf) // all, select, indirect, fast-failover
                        .setCapabilities(EnumSet.of(OFGroupCapabilities.SELECT_WEIGHT, OFGroupCapabilities.SELECT_LIVENESS,
                                OFGroupCapabilities.CHAINING, OFGroupCapabilities.CHAINING_CHECKS))
                        .setMaxGroupsAll(groups.maxGroups()).setMaxGroupsSelect(groups.maxGroups())
                        .setMaxGroupsIndirect(groups.maxGroups()).setMaxGroupsFf(groups.maxGroups())
                        .setActionsAll(actions).setActionsSelect(actions).setActionsIndirect(actions).setActionsFf(actions)
                        .build());
            }
            case OFMeterStatsRequest r -> meterStats(r, to);
            case OFExperimenterStatsRequest<?> r -> throw OfErrorException.badRequest(OFBadRequestCode.BAD_EXPERIMENTER,
                    "experimenter multipart 0x" + Long.toHexString(r.getExperimenter()) + " is not supported");
            case OFMeterConfigStatsRequest r -> meterConfig(r, to);
            case OFMeterFeaturesStatsRequest r -> {
                OFMeterFeatures.Builder mf = f.buildMeterFeatures().setMaxMeter(meters.maxMeters())
                        .setBandTypes((1 << 1) | (1 << 2)) // OFPMBT_DROP, OFPMBT_DSCP_REMARK
                        .setCapabilities(0xf)              // KBPS, PKTPS, BURST, STATS
                        .setMaxBands((short) meters.maxBands()).setMaxColor((short) 0);
                to.send(f.buildMeterFeaturesStatsReply().setXid(r.getXid()).setFeatures(mf.build()).build());
            }
            default -> throw OfErrorException.badRequest(OFBadRequestCode.BAD_STAT,
                    "multipart type " + req.getStatsType() + " is not supported");
        }
    }

    // ---- flows ----

    private interface Filter {
        boolean test(FlowEntry e);
    }

    private List<FlowEntry> selectFlows(TableId tableId, Match match, OFPort outPort, OFGroup outGroup, U64 cookie,
                                        U64 cookieMask, OFVersion v) throws OfErrorException {
        CompiledMatch cm = MatchCompiler.compile(match, v);
        int t = tableId.getValue() & 0xff;
        boolean all = tableId.equals(TableId.ALL);
        if (!all && t >= tables.tableCount()) {
            throw OfErrorException.badRequest(OFBadRequestCode.BAD_TABLE_ID, "table " + t + " does not exist");
        }
        long cm0 = cookieMask == null ? 0 : cookieMask.getValue();
        long c0 = cookie == null ? 0 : cookie.getValue() & cm0;
        int op = outPort.getPortNumber();
        int og = outGroup == null ? OFGroup.ANY.getGroupNumber() : outGroup.getGroupNumber();
        Filter filter = e -> (e.cookie() & cm0) == c0
                && (op == OFPort.ANY.getPortNumber() || InstructionCompiler.outputsTo(e.instructions(), op))
                && (og == OFGroup.ANY.getGroupNumber() || InstructionCompiler.usesGroup(e.instructions(), og));
        List<FlowEntry> out = new ArrayList<>();
        long version = tables.publishedVersion();
        for (int i = all ? 0 : t; i <= (all ? tables.tableCount() - 1 : t); i++) {
            FlowTable table = tables.table(i);
            if (table.activeCount() == 0) continue;
            List<FlowEntry> inTable = new ArrayList<>();
            table.classifier().forEachCovered(cm.value(), cm.mask(), version, r -> {
                FlowEntry e = (FlowEntry) r;
                if (filter.test(e)) inTable.add(e);
            });
            // Stable output: highest priority first, as ovs-ofctl users expect from a dump.
            inTable.sort(Comparator.comparingInt(FlowEntry::priority).reversed());
            out.addAll(inTable);
        }
        return out;
    }

    private void flowStats(OFFlowStatsRequest r, ControllerConnection to) throws OfErrorException {
        OFFactory f = to.factory();
        OFVersion v = f.getVersion();
        boolean v10 = v == OFVersion.OF_10;
        List<FlowEntry> flows = selectFlows(v10 ? TableId.ALL : r.getTableId(), r.getMatch(), r.getOutPort(),
                v10 ? null : r.getOutGroup(), v10 ? null : r.getCookie(), v10 ? null : r.getCookieMask(), v);
        long now = now();
        List<OFFlowStatsEntry> entries = new ArrayList<>(flows.size());
        for (FlowEntry e : flows) {
            FlowTraffic extra = datapath.extraTraffic(e);
            long dur = Math.max(0, now - e.installedNanos());
            OFFlowStatsEntry.Builder b = f.buildFlowStatsEntry()
                    .setTableId(TableId.of(e.tableId()))
                    .setMatch(e.match())
                    .setPriority(e.priority())
                    .setIdleTimeout(e.idleTimeout())
                    .setHardTimeout(e.hardTimeout())
                    .setCookie(U64.of(e.cookie()));
            long packets = e.counters().packets() + extra.packets();
            long bytes = e.counters().bytes() + extra.bytes();
            if (v.compareTo(OFVersion.OF_15) < 0) {
                b.setDurationSec(dur / 1_000_000_000L).setDurationNsec(dur % 1_000_000_000L)
                        .setPacketCount(U64.of(packets)).setByteCount(U64.of(bytes));
            } else {
                b.setStats(Of15Stats.flow(f, dur, packets, bytes));
            }
            if (v10) b.setActions(actionsOf(e.instructions()));
            else b.setInstructions(e.instructions());
            if (v.compareTo(OFVersion.OF_13) >= 0) b.setFlags(e.flags());
            if (v.compareTo(OFVersion.OF_14) >= 0) b.setImportance(e.importance());
            entries.add(b.build());
        }
        ReplySplitter.send(to, entries, (part, m) ->
                f.buildFlowStatsReply().setXid(r.getXid()).setEntries(part).setFlags(more(m)).build());
    }

    private static List<OFAction> actionsOf(List<OFInstruction> instructions) {
        for (OFInstruction i : instructions) {
            if (i instanceof OFInstructionApplyActions a) return a.getActions();
        }
        return List.of();
    }

    private void aggregate(OFAggregateStatsRequest r, ControllerConnection to) throws OfErrorException {
        OFFactory f = to.factory();
        OFVersion v = f.getVersion();
        boolean v10 = v == OFVersion.OF_10;
        List<FlowEntry> flows = selectFlows(v10 ? TableId.ALL : r.getTableId(), r.getMatch(), r.getOutPort(),
                v10 ? null : r.getOutGroup(), v10 ? null : r.getCookie(), v10 ? null : r.getCookieMask(), v);
        long packets = 0, bytes = 0;
        for (FlowEntry e : flows) {
            FlowTraffic extra = datapath.extraTraffic(e);
            packets += e.counters().packets() + extra.packets();
            bytes += e.counters().bytes() + extra.bytes();
        }
        OFAggregateStatsReply.Builder b = f.buildAggregateStatsReply().setXid(r.getXid());
        if (v.compareTo(OFVersion.OF_15) < 0) b.setFlowCount(flows.size()).setPacketCount(U64.of(packets)).setByteCount(U64.of(bytes));
        else b.setStats(Of15Stats.aggregate(f, flows.size(), packets, bytes));
        to.send(b.build());
    }

    // ---- tables ----

    private void tableStats(OFTableStatsRequest r, ControllerConnection to) {
        OFFactory f = to.factory();
        OFVersion v = f.getVersion();
        List<OFTableStatsEntry> list = new ArrayList<>();
        for (int i = 0; i < tables.tableCount(); i++) {
            FlowTable t = tables.table(i);
            OFTableStatsEntry.Builder b = f.buildTableStatsEntry().setTableId(TableId.of(i))
                    .setActiveCount(t.activeCount()).setLookupCount(U64.of(t.lookupCount()))
                    .setMatchedCount(U64.of(t.matchedCount()));
            if (v == OFVersion.OF_10) b.setName("table" + i).setWildcards(0x3fffff).setMaxEntries(t.maxEntries());
            list.add(b.build());
        }
        ReplySplitter.send(to, list, (part, m) ->
                f.buildTableStatsReply().setXid(r.getXid()).setEntries(part).setFlags(more(m)).build());
    }

    private void tableFeatures(OFTableFeaturesStatsRequest r, ControllerConnection to) throws OfErrorException {
        if (!r.getEntries().isEmpty() || !r.getFlags().isEmpty()) {
            throw OfErrorException.tableFeaturesFailed(OFTableFeaturesFailedCode.EPERM,
                    "the table pipeline is fixed: setting table features is not permitted");
        }
        OFFactory f = to.factory();
        List<OFTableFeatures> list = tableFeatures.computeIfAbsent(f.getVersion(), v -> buildTableFeatures(f));
        ReplySplitter.send(to, list, (part, m) ->
                f.buildTableFeaturesStatsReply().setXid(r.getXid()).setEntries(part).setFlags(more(m)).build());
    }

    private List<OFTableFeatures> buildTableFeatures(OFFactory f) {
        OFInstructionIds ii = f.instructionIds();
        OFActionIds ai = f.actionIds();
        List<OFActionId> actions = List.of(ai.output(), ai.copyTtlOut(), ai.copyTtlIn(), ai.setMplsTtl(), ai.decMplsTtl(),
                ai.pushVlan(), ai.popVlan(), ai.pushMpls(), ai.popMpls(), ai.setQueue(), ai.group(), ai.setNwTtl(),
                ai.decNwTtl(), ai.setField(), ai.pushPbb(), ai.popPbb());
        List<U32> match = new ArrayList<>();
        List<U32> wildcards = new ArrayList<>();
        List<U32> settable = new ArrayList<>();
        for (OxmId id : OxmId.values()) {
            match.add(U32.ofRaw(id.header(false)));
            wildcards.add(U32.ofRaw(id.header(false)));
            if (id.settable) settable.add(U32.ofRaw(id.header(false)));
        }
        List<OFTableFeatures> list = new ArrayList<>();
        int n = tables.tableCount();
        for (int t = 0; t < n; t++) {
            List<OFInstructionId> ins = new ArrayList<>(List.of(ii.applyActions(), ii.writeActions(), ii.clearActions(),
                    ii.writeMetadata()));
            // OF1.5 turned the meter instruction into an action, which this switch does not offer there.
            if (f.getVersion().compareTo(OFVersion.OF_15) < 0) ins.add(ii.meter());
            List<U8> next = new ArrayList<>();
            if (t < n - 1) {
                ins.add(ii.gotoTable());
                for (int k = t + 1; k < n; k++) next.add(U8.of((short) k));
            }
            // Loxi 3.6.605 writes list properties without their padding to 8 bytes (OF1.3 section
            // 7.3.5.5.2), which OVS rejects: every property goes out through the padding wrapper.
            List<OFTableFeatureProp> props = new ArrayList<>();
            for (OFTableFeatureProp p : List.of(
                    f.tableFeaturePropInstructions(ins),
                    f.tableFeaturePropNextTables(next),
                    f.tableFeaturePropWriteActions(actions),
                    f.tableFeaturePropApplyActions(actions),
                    f.tableFeaturePropMatch(match),
                    f.tableFeaturePropWildcards(wildcards),
                    f.tableFeaturePropWriteSetfield(settable),
                    f.tableFeaturePropApplySetfield(settable))) {
                props.add(new PaddedTableFeatureProp(p));
            }
            OFTableFeatures.Builder b = f.buildTableFeatures().setTableId(TableId.of(t)).setName("table" + t)
                    .setMetadataMatch(U64.NO_MASK).setMetadataWrite(U64.NO_MASK)
                    .setMaxEntries(tables.table(t).maxEntries()).setProperties(props);
            if (f.getVersion().compareTo(OFVersion.OF_15) < 0) b.setConfig(0);
            else b.setCommand(OFTableFeaturesCommand.REPLACE).setFeatures(Set.of()).setCapabilities(Set.of());
            list.add(b.build());
        }
        return List.copyOf(list);
    }

    /** OF1.3 OXM field numbers and payload lengths (section 7.2.3.7), for table features. */
    private enum OxmId {
        IN_PORT(0, 4, false), IN_PHY_PORT(1, 4, false), METADATA(2, 8, false), ETH_DST(3, 6, true), ETH_SRC(4, 6, true),
        ETH_TYPE(5, 2, false), VLAN_VID(6, 2, true), VLAN_PCP(7, 1, true), IP_DSCP(8, 1, true), IP_ECN(9, 1, true),
        IP_PROTO(10, 1, false), IPV4_SRC(11, 4, true), IPV4_DST(12, 4, true), TCP_SRC(13, 2, true), TCP_DST(14, 2, true),
        UDP_SRC(15, 2, true), UDP_DST(16, 2, true), SCTP_SRC(17, 2, true), SCTP_DST(18, 2, true),
        ICMPV4_TYPE(19, 1, true), ICMPV4_CODE(20, 1, true), ARP_OP(21, 2, true), ARP_SPA(22, 4, true),
        ARP_TPA(23, 4, true), ARP_SHA(24, 6, true), ARP_THA(25, 6, true), IPV6_SRC(26, 16, true),
        IPV6_DST(27, 16, true), IPV6_FLABEL(28, 4, true), ICMPV6_TYPE(29, 1, true), ICMPV6_CODE(30, 1, true),
        IPV6_ND_TARGET(31, 16, true), IPV6_ND_SLL(32, 6, true), IPV6_ND_TLL(33, 6, true), MPLS_LABEL(34, 4, true),
        MPLS_TC(35, 1, true), MPLS_BOS(36, 1, false), TUNNEL_ID(38, 8, true), IPV6_EXTHDR(39, 2, false);

        final int field;
        final int length;
        final boolean settable;

        OxmId(int field, int length, boolean settable) {
            this.field = field;
            this.length = length;
            this.settable = settable;
        }

        int header(boolean masked) {
            return (0x8000 << 16) | (field << 9) | ((masked ? 1 : 0) << 8) | (masked ? 2 * length : length);
        }
    }

    private static long groupActionBits() {
        // OFPAT_* codes of the OF1.3 actions the datapath executes in buckets.
        int[] codes = {0, 11, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27};
        long bits = 0;
        for (int c : codes) bits |= 1L << c;
        return bits;
    }

    // ---- ports and queues ----

    private void portStats(OFPortStatsRequest r, ControllerConnection to) throws OfErrorException {
        OFFactory f = to.factory();
        OFVersion v = f.getVersion();
        int want = r.getPortNo().getPortNumber();
        List<PortInfo> ports;
        if (want == OFPort.ANY.getPortNumber()) {
            ports = datapath.ports();
        } else {
            PortInfo p = datapath.port(want);
            if (p == null) {
                throw OfErrorException.badRequest(OFBadRequestCode.BAD_PORT,
                        "port " + Integer.toUnsignedString(want) + " does not exist");
            }
            ports = List.of(p);
        }
        List<OFPortStatsEntry> list = new ArrayList<>();
        for (PortInfo p : ports) {
            PortCounters c = datapath.portCounters(p.portNo());
            if (c == null) c = PortCounters.ZERO;
            OFPortStatsEntry.Builder b = f.buildPortStatsEntry().setPortNo(OFPort.of(p.portNo()))
                    .setRxPackets(U64.of(c.rxPackets())).setTxPackets(U64.of(c.txPackets()))
                    .setRxBytes(U64.of(c.rxBytes())).setTxBytes(U64.of(c.txBytes()))
                    .setRxDropped(U64.of(c.rxDropped())).setTxDropped(U64.of(c.txDropped()))
                    .setRxErrors(U64.of(c.rxErrors())).setTxErrors(U64.of(c.txErrors()));
            if (v.compareTo(OFVersion.OF_14) < 0) {
                b.setRxFrameErr(U64.ZERO).setRxOverErr(U64.ZERO).setRxCrcErr(U64.ZERO).setCollisions(U64.ZERO);
            } else {
                b.setProperties(List.of());
            }
            if (v.compareTo(OFVersion.OF_13) >= 0) {
                b.setDurationSec(c.uptimeNanos() / 1_000_000_000L).setDurationNsec(c.uptimeNanos() % 1_000_000_000L);
            }
            list.add(b.build());
        }
        ReplySplitter.send(to, list, (part, m) ->
                f.buildPortStatsReply().setXid(r.getXid()).setEntries(part).setFlags(more(m)).build());
    }

    private void queueStats(OFQueueStatsRequest r, ControllerConnection to) throws OfErrorException {
        OFFactory f = to.factory();
        int port = r.getPortNo().getPortNumber();
        boolean anyPort = port == OFPort.ANY.getPortNumber() || port == OFPort.ALL.getPortNumber();
        if (!anyPort && datapath.port(port) == null) {
            throw OfErrorException.queueOpFailed(OFQueueOpFailedCode.BAD_PORT,
                    "port " + Integer.toUnsignedString(port) + " does not exist");
        }
        if (r.getQueueId() != 0xffffffffL) {
            // Ports have no configured queues: naming one is an error (section 7.3.5.8).
            throw OfErrorException.queueOpFailed(OFQueueOpFailedCode.BAD_QUEUE,
                    "queue " + r.getQueueId() + " does not exist on port " + Integer.toUnsignedString(port));
        }
        to.send(f.buildQueueStatsReply().setXid(r.getXid()).setEntries(List.of()).build());
    }

    // ---- groups ----

    private void groupStats(OFGroupStatsRequest r, ControllerConnection to) {
        OFFactory f = to.factory();
        int want = r.getGroup().getGroupNumber();
        List<Group> selected = new ArrayList<>();
        if (want == OFGroup.ALL.getGroupNumber()) selected.addAll(groups.all());
        else if (groups.group(want) != null) selected.add(groups.group(want));
        long now = now();
        List<OFGroupStatsEntry> list = new ArrayList<>();
        for (Group g : selected) {
            List<OFBucketCounter> buckets = new ArrayList<>();
            for (int b = 0; b < g.buckets().size(); b++) {
                buckets.add(f.buildBucketCounter().setPacketCount(U64.of(g.bucketPackets(b)))
                        .setByteCount(U64.of(g.bucketBytes(b))).build());
            }
            long dur = Math.max(0, now - g.createdNanos());
            OFGroupStatsEntry.Builder b = f.buildGroupStatsEntry().setGroup(OFGroup.of(g.id()))
                    .setRefCount(store.groupRefCount(g.id()) + groups.groupRefCount(g.id()))
                    .setPacketCount(U64.of(g.packets())).setByteCount(U64.of(g.bytes())).setBucketStats(buckets);
            if (f.getVersion().compareTo(OFVersion.OF_13) >= 0) {
                b.setDurationSec(dur / 1_000_000_000L).setDurationNsec(dur % 1_000_000_000L);
            }
            list.add(b.build());
        }
        ReplySplitter.send(to, list, (part, m) ->
                f.buildGroupStatsReply().setXid(r.getXid()).setEntries(part).setFlags(more(m)).build());
    }

    // ---- meters ----

    private List<Meter> selectMeters(long id) {
        if ((id & 0xffffffffL) == MeterTable.OFPM_ALL) return meters.all();
        Meter m = meters.meter(id & 0xffffffffL);
        return m == null ? List.of() : List.of(m);
    }

    private void meterStats(OFMeterStatsRequest r, ControllerConnection to) {
        OFFactory f = to.factory();
        long now = now();
        List<OFMeterStats> list = new ArrayList<>();
        for (Meter m : selectMeters(r.getMeterId())) {
            List<OFMeterBandStats> bands = new ArrayList<>();
            for (int b = 0; b < m.bands().size(); b++) {
                bands.add(f.buildMeterBandStats().setPacketBandCount(U64.of(m.bandPackets(b)))
                        .setByteBandCount(U64.of(m.bandBytes(b))).build());
            }
            long dur = Math.max(0, now - m.createdNanos());
            OFMeterStats.Builder b = f.buildMeterStats().setMeterId(m.id())
                    .setPacketInCount(U64.of(m.packetsIn())).setByteInCount(U64.of(m.bytesIn()))
                    .setDurationSec(dur / 1_000_000_000L).setDurationNsec(dur % 1_000_000_000L).setBandStats(bands);
            if (f.getVersion().compareTo(OFVersion.OF_15) < 0) b.setFlowCount(store.meterFlowCount(m.id()));
            else b.setRefCount(store.meterFlowCount(m.id()));
            list.add(b.build());
        }
        ReplySplitter.send(to, list, (part, mm) ->
                f.buildMeterStatsReply().setXid(r.getXid()).setEntries(part).setFlags(more(mm)).build());
    }

    private void meterConfig(OFMeterConfigStatsRequest r, ControllerConnection to) {
        OFFactory f = to.factory();
        List<OFMeterConfig> list = new ArrayList<>();
        for (Meter m : selectMeters(r.getMeterId())) {
            list.add(f.buildMeterConfig().setMeterId(m.id()).setFlags(m.flags()).setEntries(m.bands()).build());
        }
        ReplySplitter.send(to, list, (part, mm) ->
                f.buildMeterConfigStatsReply().setXid(r.getXid()).setEntries(part).setFlags(more(mm)).build());
    }
}
