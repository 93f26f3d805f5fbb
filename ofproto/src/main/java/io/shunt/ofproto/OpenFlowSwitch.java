package io.shunt.ofproto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shunt.ofproto.bundle.Bundle;
import io.shunt.ofproto.bundle.BundleStore;
import io.shunt.ofproto.channel.ControllerConnection;
import io.shunt.ofproto.channel.MessageHandler;
import io.shunt.ofproto.datapath.Datapath;
import io.shunt.ofproto.datapath.DatapathHost;
import io.shunt.ofproto.datapath.FlowTraffic;
import io.shunt.ofproto.datapath.PacketIn;
import io.shunt.ofproto.datapath.PortInfo;
import io.shunt.ofproto.flow.ActionEnv;
import io.shunt.ofproto.flow.ActionValidator;
import io.shunt.ofproto.flow.FlowEntry;
import io.shunt.ofproto.flow.FlowModProcessor;
import io.shunt.ofproto.flow.FlowStore;
import io.shunt.ofproto.flow.FlowTables;
import io.shunt.ofproto.flow.FlowTablesView;
import io.shunt.ofproto.flow.Txn;
import io.shunt.ofproto.group.GroupTable;
import io.shunt.ofproto.meter.MeterTable;
import io.shunt.ofproto.packetin.PacketBuffers;
import io.shunt.ofproto.packetin.TokenBucket;
import io.shunt.ofproto.stats.MultipartService;
import io.shunt.ofproto.stats.PortDescriptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.projectfloodlight.openflow.protocol.*;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFAuxId;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OpenFlow switch (bridge): the OpenFlow semantics behind the channels.
 * It owns the flow tables, groups, meters, packet buffers and bundles,
 * answers every request the channel passes on ({@link MessageHandler}), and
 * sends the asynchronous messages (PACKET_IN, FLOW_REMOVED, PORT_STATUS) to
 * the connections that want them. It drives its {@link Datapath} through
 * that interface and serves it as its {@link DatapathHost}.
 *
 * <pre>{@code
 * OpenFlowSwitch sw = new OpenFlowSwitch(SwitchConfig.defaults(0x1), datapath);
 * OpenFlowAgent agent = new OpenFlowAgent("br0", sw);
 * sw.start(agent.controlThread());      // timeouts, async delivery on the control thread
 * sw.addFlowTableListener(changes -> ...);
 * }</pre>
 *
 * <p>Threading: {@link #handle}, {@link #connected}, {@link #disconnected},
 * the timers and the listeners run on the one control thread. The
 * {@link DatapathHost} upcalls may come from any thread and are moved onto
 * it. Every change of the tables is a {@link Txn}: validated and applied as
 * a whole or not at all, then published to the datapath with one version
 * store.
 */
public final class OpenFlowSwitch implements MessageHandler, DatapathHost {
    private static final Logger LOG = LoggerFactory.getLogger(OpenFlowSwitch.class);

    private final SwitchConfig config;
    private final Datapath datapath;
    private final SwitchClock clock;
    private final FlowTables tables;
    private final FlowStore store;
    private final GroupTable groups;
    private final MeterTable meters;
    private final FlowModProcessor flowMods;
    private final MultipartService multipart;
    private final BundleStore bundles;
    private final PacketBuffers buffers;
    private final TokenBucket packetInLimit;
    private final LongAdder packetInsDropped = new LongAdder();
    private final LongAdder packetInsSent = new LongAdder();
    private final Set<ControllerConnection> connections = new LinkedHashSet<>();
    private final ActionEnv env;
    private volatile ScheduledExecutorService control;
    private volatile boolean stopped;
    private volatile boolean legacyMissToController;
    /** Live connections, readable from datapath threads. */
    private volatile int primaryControllers;
    private ScheduledFuture<?> timer;

    public OpenFlowSwitch(SwitchConfig config, Datapath datapath) {
        this.config = config;
        this.datapath = datapath;
        this.clock = config.clock();
        this.tables = new FlowTables(config.tableCount(), config.maxEntriesPerTable());
        this.store = new FlowStore(tables, this::sendFlowRemoved);
        this.groups = new GroupTable(config.maxGroups(), config.maxBuckets());
        this.meters = new MeterTable(config.maxMeters(), config.maxBands());
        this.env = new ActionEnv() {
            @Override
            public int tableCount() {
                return config.tableCount();
            }

            @Override
            public boolean portExists(int portNo) {
                return datapath.port(portNo) != null;
            }

            @Override
            public boolean groupExists(int groupId) {
                return groups.exists(groupId);
            }

            @Override
            public boolean meterExists(long meterId) {
                return meters.exists(meterId);
            }
        };
        this.flowMods = new FlowModProcessor(store, env, clock::nanos);
        this.multipart = new MultipartService(config, store, groups, meters, datapath);
        this.bundles = new BundleStore(config.maxBundleMessages());
        this.buffers = config.bufferCount() > 0 ? new PacketBuffers(config.bufferCount()) : null;
        this.packetInLimit = new TokenBucket(config.packetInRate(), config.packetInBurst(), clock.nanos());
        datapath.attach(this);
    }

    /**
     * Runs the switch's timers (flow timeouts) on the control thread, every
     * {@link SwitchConfig#timerPeriodMillis()}; asynchronous upcalls from the
     * datapath are delivered there from now on.
     */
    public synchronized void start(ScheduledExecutorService controlThread) {
        if (control != null) return;
        control = controlThread;
        timer = controlThread.scheduleAtFixedRate(this::runTimersSafely, config.timerPeriodMillis(),
                config.timerPeriodMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the timers and drops later datapath upcalls (the control thread
     * itself belongs to its owner).
     */
    public synchronized void stop() {
        stopped = true;
        if (timer != null) timer.cancel(false);
        timer = null;
    }

    private void runTimersSafely() {
        try {
            runTimers();
        } catch (RuntimeException e) {
            LOG.error("flow timeout sweep failed", e);
        }
    }

    /**
     * Expires flows whose idle or hard timeout has passed at the clock's
     * current time (control thread). Returns how many were removed.
     */
    public int runTimers() {
        return store.expire(clock.nanos(), e -> {
            FlowTraffic extra = datapath.extraTraffic(e);
            return Math.max(e.counters().lastUsedNanos(), extra.lastUsedNanos());
        });
    }

    // ---- public views ----

    public SwitchConfig config() { return config; }
    @Override public FlowTables flowTables() { return tables; }
    /** Read-only view of the committed flow entries (control thread). */
    public FlowTablesView flowTablesView() { return tables; }
    @Override public GroupTable groups() { return groups; }
    @Override public MeterTable meters() { return meters; }
    public long packetInsDropped() { return packetInsDropped.sum(); }
    public long packetInsSent() { return packetInsSent.sum(); }

    public void addFlowTableListener(FlowTableListener l) {
        store.addListener(l);
    }

    public void removeFlowTableListener(FlowTableListener l) {
        store.removeListener(l);
    }

    /** The live connections (control thread). */
    public List<ControllerConnection> connections() {
        return List.copyOf(connections);
    }

    /** True when fail mode is standalone and no controller is connected: the datapath may act as a learning switch. */
    @Override
    public boolean standaloneActive() {
        return config.failMode() == FailMode.STANDALONE && primaryControllers == 0;
    }

    // ---- MessageHandler ----

    @Override
    public void connected(ControllerConnection c) {
        connections.add(c);
        updateMissBehaviour();
    }

    @Override
    public void disconnected(ControllerConnection c) {
        connections.remove(c);
        bundles.discardAll(c);
        updateMissBehaviour();
    }

    private void updateMissBehaviour() {
        int primary = 0;
        for (ControllerConnection c : connections) primary += c.isPrimary() ? 1 : 0;
        primaryControllers = primary;
        boolean legacy = false;
        for (ControllerConnection c : connections) legacy |= c.factory().getVersion().compareTo(OFVersion.OF_13) < 0;
        legacyMissToController = legacy;
    }

    @Override
    public boolean packetInOnTableMiss() {
        return legacyMissToController;
    }

    @Override
    public void handle(OFMessage m, ControllerConnection from) throws OfErrorException {
        switch (m) {
            case OFFeaturesRequest r -> from.send(featuresReply(from.factory(), r.getXid()));
            case OFStatsRequest<?> r -> multipart.handle(r, from);
            case OFPacketOut p -> packetOut(p);
            case OFBundleCtrlMsg b -> bundleControl(b, from);
            case OFBundleAddMsg b -> bundles.add(from, b.getBundleId().getInt(), b.getFlags(), b.getXid(), b.getData());
            case OFFlowMod fm -> applyAlone(fm, from);
            case OFGroupMod gm -> applyAlone(gm, from);
            case OFMeterMod mm -> applyAlone(mm, from);
            case OFPortMod pm -> applyAlone(pm, from);
            case OFTableMod tm -> applyAlone(tm, from);
            case OFExperimenter x -> throw OfErrorException.badRequest(OFBadRequestCode.BAD_EXPERIMENTER,
                    "experimenter message 0x" + Long.toHexString(x.getExperimenter()) + " is not supported");
            default -> throw OfErrorException.badRequest(OFBadRequestCode.BAD_TYPE,
                    "message type " + m.getType() + " is not supported by the switch");
        }
    }

    /** One state-changing message in its own transaction. */
    private void applyAlone(OFMessage m, ControllerConnection from) throws OfErrorException {
        List<Runnable> afterCommit = new ArrayList<>();
        Txn txn = store.begin();
        try {
            apply(m, txn, afterCommit);
        } catch (OfErrorException | RuntimeException e) {
            store.rollback(txn);
            throw e;
        }
        store.commit(txn);
        afterCommit.forEach(Runnable::run);
    }

    /** Applies a state-changing message into a transaction (also the body of a bundle commit). */
    private void apply(OFMessage m, Txn txn, List<Runnable> afterCommit) throws OfErrorException {
        switch (m) {
            case OFFlowMod fm -> {
                OFBufferId buffer = fm.getBufferId();
                boolean usesBuffer = buffer != null && !buffer.equals(OFBufferId.NO_BUFFER)
                        && (fm.getCommand() == OFFlowModCommand.ADD || fm.getCommand() == OFFlowModCommand.MODIFY
                        || fm.getCommand() == OFFlowModCommand.MODIFY_STRICT);
                if (usesBuffer) checkBuffer(buffer.getInt());
                flowMods.apply(txn, fm);
                if (usesBuffer) afterCommit.add(() -> releaseBufferThroughTables(buffer.getInt()));
            }
            case OFGroupMod gm -> groups.apply(txn, gm, env, store, port -> {
                PortInfo p = datapath.port(port);
                return p == null ? null : p.isLive();
            }, clock.nanos());
            case OFMeterMod mm -> meters.apply(txn, mm, store, clock.nanos());
            case OFPortMod pm -> portMod(pm, txn);
            case OFTableMod tm -> tableMod(tm);
            default -> throw OfErrorException.badRequest(OFBadRequestCode.BAD_TYPE,
                    "message type " + m.getType() + " cannot change switch state");
        }
    }

    // ---- features ----

    private OFFeaturesReply featuresReply(OFFactory f, long xid) {
        Set<OFCapabilities> caps = EnumSet.of(OFCapabilities.FLOW_STATS, OFCapabilities.TABLE_STATS, OFCapabilities.PORT_STATS);
        if (f.getVersion() != OFVersion.OF_10) caps.add(OFCapabilities.GROUP_STATS);
        OFFeaturesReply.Builder b = f.buildFeaturesReply().setXid(xid)
                .setDatapathId(DatapathId.of(config.datapathId()))
                .setNBuffers(config.bufferCount())
                .setNTables((short) config.tableCount())
                .setCapabilities(caps);
        if (f.getVersion().compareTo(OFVersion.OF_13) >= 0) b.setAuxiliaryId(OFAuxId.MAIN);
        if (f.getVersion() == OFVersion.OF_10) {
            b.setActions(EnumSet.of(OFActionType.OUTPUT, OFActionType.SET_VLAN_VID, OFActionType.SET_VLAN_PCP,
                    OFActionType.STRIP_VLAN, OFActionType.SET_DL_SRC, OFActionType.SET_DL_DST, OFActionType.SET_NW_SRC,
                    OFActionType.SET_NW_DST, OFActionType.SET_NW_TOS, OFActionType.SET_TP_SRC, OFActionType.SET_TP_DST,
                    OFActionType.ENQUEUE));
        }
        if (f.getVersion().compareTo(OFVersion.OF_12) <= 0) {
            List<OFPortDesc> ports = new ArrayList<>();
            for (PortInfo p : datapath.ports()) ports.add(PortDescriptions.of(f, p));
            b.setPorts(ports);
        }
        return b.build();
    }

    // ---- packet-out, port-mod, table-mod ----

    private void packetOut(OFPacketOut p) throws OfErrorException {
        int inPort;
        if (p.getVersion().compareTo(OFVersion.OF_15) >= 0) {
            Match m = p.getMatch();
            inPort = m.supports(MatchField.IN_PORT) && m.get(MatchField.IN_PORT) != null
                    ? m.get(MatchField.IN_PORT).getPortNumber() : OFPort.CONTROLLER.getPortNumber();
        } else {
            inPort = p.getInPort().getPortNumber();
        }
        if (inPort != OFPort.CONTROLLER.getPortNumber() && inPort != OFPort.LOCAL.getPortNumber()
                && inPort != OFPort.ANY.getPortNumber() && datapath.port(inPort) == null) {
            throw OfErrorException.badRequest(OFBadRequestCode.BAD_PORT,
                    "packet-out in_port " + Integer.toUnsignedString(inPort) + " does not exist");
        }
        ActionValidator.validate(p.getActions(), null, env, ActionValidator.Context.PACKET_OUT);
        byte[] frame = p.getData();
        int buffer = p.getBufferId().getInt();
        if (!p.getBufferId().equals(OFBufferId.NO_BUFFER)) {
            checkBuffer(buffer);
            PacketBuffers.Buffered b = buffers.take(buffer);
            frame = b.frame();
        }
        datapath.packetOut(frame, inPort, p.getActions());
    }

    private void checkBuffer(int bufferId) throws OfErrorException {
        PacketBuffers.Status s = buffers == null ? PacketBuffers.Status.UNKNOWN : buffers.status(bufferId);
        switch (s) {
            case OK -> { }
            case EMPTY -> throw OfErrorException.badRequest(OFBadRequestCode.BUFFER_EMPTY,
                    "buffer " + Integer.toUnsignedString(bufferId) + " was already used");
            case UNKNOWN -> throw OfErrorException.badRequest(OFBadRequestCode.BUFFER_UNKNOWN,
                    "buffer " + Integer.toUnsignedString(bufferId) + " does not exist (or was recycled)");
        }
    }

    /** A FLOW_MOD naming a buffer applies to that packet: it goes through the tables (OF1.3 section 6.4). */
    private void releaseBufferThroughTables(int bufferId) {
        PacketBuffers.Buffered b = buffers.take(bufferId);
        if (b == null) return;
        OFFactory f13 = OFFactories.getFactory(OFVersion.OF_13);
        datapath.packetOut(b.frame(), b.inPort(), List.of(f13.actions().output(OFPort.TABLE, 0xffff)));
    }

    private static final Set<OFPortConfig> SETTABLE_PORT_CONFIG = EnumSet.of(OFPortConfig.PORT_DOWN, OFPortConfig.NO_RECV,
            OFPortConfig.NO_FWD, OFPortConfig.NO_PACKET_IN, OFPortConfig.NO_FLOOD, OFPortConfig.NO_STP, OFPortConfig.NO_RECV_STP);

    private void portMod(OFPortMod pm, Txn txn) throws OfErrorException {
        int portNo = pm.getPortNo().getPortNumber();
        PortInfo port = datapath.port(portNo);
        if (port == null) {
            throw OfErrorException.portModFailed(OFPortModFailedCode.BAD_PORT,
                    "port " + Integer.toUnsignedString(portNo) + " does not exist");
        }
        if (pm.getHwAddr().getLong() != port.hwAddr()) {
            throw OfErrorException.portModFailed(OFPortModFailedCode.BAD_HW_ADDR,
                    "port " + portNo + " has hardware address " + org.projectfloodlight.openflow.types.MacAddress.of(port.hwAddr())
                            + ", not " + pm.getHwAddr());
        }
        for (OFPortConfig c : pm.getMask()) {
            if (!SETTABLE_PORT_CONFIG.contains(c)) {
                throw OfErrorException.portModFailed(OFPortModFailedCode.BAD_CONFIG, "port config bit " + c + " cannot be set");
            }
        }
        Set<OFPortConfig> before = port.config();
        Set<OFPortConfig> mask = pm.getMask();
        datapath.portMod(portNo, pm.getConfig(), mask);
        txn.undoWith(() -> datapath.portMod(portNo, before, mask));
    }

    private void tableMod(OFTableMod tm) throws OfErrorException {
        int t = tm.getTableId().getValue() & 0xff;
        if (!tm.getTableId().equals(TableId.ALL) && t >= config.tableCount()) {
            throw OfErrorException.tableModFailed(OFTableModFailedCode.BAD_TABLE, "table " + t + " does not exist");
        }
        // OF1.3 deprecates the miss-behaviour bits (0-3) and defines no others; 1.4's eviction and vacancy are not offered.
        if ((tm.getConfig() & ~0x3L) != 0) {
            throw OfErrorException.tableModFailed(OFTableModFailedCode.BAD_CONFIG,
                    "table config 0x" + Long.toHexString(tm.getConfig()) + " is not supported");
        }
    }

    // ---- bundles ----

    private void bundleControl(OFBundleCtrlMsg b, ControllerConnection from) throws OfErrorException {
        int id = b.getBundleId().getInt();
        OFBundleCtrlType replyType;
        switch (b.getBundleCtrlType()) {
            case OPEN_REQUEST -> {
                bundles.open(from, id, b.getFlags());
                replyType = OFBundleCtrlType.OPEN_REPLY;
            }
            case CLOSE_REQUEST -> {
                bundles.close(from, id, b.getFlags());
                replyType = OFBundleCtrlType.CLOSE_REPLY;
            }
            case DISCARD_REQUEST -> {
                bundles.discard(from, id);
                replyType = OFBundleCtrlType.DISCARD_REPLY;
            }
            case COMMIT_REQUEST -> {
                commit(bundles.takeForCommit(from, id, b.getFlags()), from);
                replyType = OFBundleCtrlType.COMMIT_REPLY;
            }
            default -> throw OfErrorException.bundleFailed(OFBundleFailedCode.BAD_TYPE,
                    "bundle control type " + b.getBundleCtrlType() + " is not a request");
        }
        // OF1.3 has no bundle messages: a 1.3 peer used the ONF extension, whose reply the channel encodes from 1.4's.
        OFFactory rf = from.factory().getVersion() == OFVersion.OF_13 ? OFFactories.getFactory(OFVersion.OF_14) : from.factory();
        from.send(rf.buildBundleCtrlMsg().setXid(b.getXid()).setBundleId(b.getBundleId())
                .setBundleCtrlType(replyType).setFlags(b.getFlags()).setProperties(List.of()).build());
    }

    /** All messages of the bundle in one transaction: all applied, or none (the failing one's error is sent first). */
    private void commit(Bundle bundle, ControllerConnection from) throws OfErrorException {
        List<Runnable> afterCommit = new ArrayList<>();
        Txn txn = store.begin();
        for (OFMessage m : bundle.messages()) {
            try {
                apply(m, txn, afterCommit);
            } catch (OfErrorException e) {
                store.rollback(txn);
                from.send(e.toMessage(from.factory().errorMsgs(), from.factory().getVersion(), m.getXid(), encode(m)));
                throw OfErrorException.bundleFailed(OFBundleFailedCode.MSG_FAILED,
                        "bundle " + bundle.id() + ": message xid " + m.getXid() + " failed (" + e.getMessage() + "); nothing applied");
            } catch (RuntimeException e) {
                store.rollback(txn);
                throw e;
            }
        }
        store.commit(txn);
        afterCommit.forEach(Runnable::run);
    }

    private static byte[] encode(OFMessage m) {
        ByteBuf buf = Unpooled.buffer();
        try {
            m.writeTo(buf);
            byte[] bytes = new byte[Math.min(buf.readableBytes(), 0xffff - 12)];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    // ---- asynchronous messages ----

    /**
     * Runs an upcall's work on the control thread. Before {@link #start} (a
     * switch driven by a test on its own thread) it runs on the caller;
     * after {@link #stop} it is dropped.
     */
    private void onControl(Runnable r) {
        if (stopped) return;
        ScheduledExecutorService c = control;
        if (c == null) {
            r.run();
            return;
        }
        try {
            c.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("control thread gone, upcall dropped");
        }
    }

    private void sendFlowRemoved(FlowEntry e, OFFlowRemovedReason reason) {
        long now = clock.nanos();
        FlowTraffic extra = datapath.extraTraffic(e);
        long dur = Math.max(0, now - e.installedNanos());
        int code = reason.ordinal(); // IDLE_TIMEOUT=0, HARD_TIMEOUT=1, DELETE=2, GROUP_DELETE=3, METER_DELETE=4, EVICTION=5
        for (ControllerConnection c : connections) {
            if (!c.wantsAsync(OFType.FLOW_REMOVED, code)) continue;
            OFFactory f = c.factory();
            OFVersion v = f.getVersion();
            OFFlowRemovedReason r = reason;
            if (r == OFFlowRemovedReason.METER_DELETE && v.compareTo(OFVersion.OF_14) < 0) r = OFFlowRemovedReason.DELETE;
            OFFlowRemoved.Builder b = f.buildFlowRemoved().setMatch(e.match()).setCookie(U64.of(e.cookie()))
                    .setPriority(e.priority()).setReason(r).setIdleTimeout(e.idleTimeout());
            long packets = e.counters().packets() + extra.packets();
            long bytes = e.counters().bytes() + extra.bytes();
            if (v.compareTo(OFVersion.OF_15) < 0) {
                b.setDurationSec(dur / 1_000_000_000L).setDurationNsec(dur % 1_000_000_000L)
                        .setPacketCount(U64.of(packets)).setByteCount(U64.of(bytes));
            } else {
                b.setStats(io.shunt.ofproto.stats.Of15Stats.flow(f, dur, packets, bytes));
            }
            if (v != OFVersion.OF_10) b.setTableId(TableId.of(e.tableId()));
            if (v.compareTo(OFVersion.OF_12) >= 0) b.setHardTimeout(e.hardTimeout());
            c.send(b.build());
        }
    }

    @Override
    public boolean packetIn(PacketIn p) {
        if (!packetInLimit.tryTake(clock.nanos())) {
            packetInsDropped.increment();
            return false;
        }
        onControl(() -> deliverPacketIn(p));
        return true;
    }

    private static int reasonCode(OFPacketInReason r) {
        return switch (r) {
            case NO_MATCH -> 0;
            case ACTION -> 1;
            case INVALID_TTL -> 2;
            case ACTION_SET -> 3;
            case GROUP -> 4;
            case PACKET_OUT -> 5;
            default -> 1;
        };
    }

    private void deliverPacketIn(PacketIn p) {
        PortInfo port = datapath.port(p.inPort());
        if (port != null && port.config().contains(OFPortConfig.NO_PACKET_IN)) {
            packetInsDropped.increment();
            return;
        }
        int code = reasonCode(p.reason());
        int bufferId = -1;
        for (ControllerConnection c : connections) {
            if (!c.wantsAsync(OFType.PACKET_IN, code)) continue;
            OFFactory f = c.factory();
            OFVersion v = f.getVersion();
            int maxLen = p.maxLen() == PacketIn.USE_MISS_SEND_LEN ? c.missSendLength() : p.maxLen();
            byte[] data = p.frame();
            OFBufferId id = OFBufferId.NO_BUFFER;
            // Only a buffered packet is truncated: an unbuffered one goes out whole (OF1.3 section 7.4.1).
            if (buffers != null && maxLen != PacketIn.NO_BUFFER && maxLen < data.length) {
                if (bufferId < 0) bufferId = buffers.store(p.frame(), p.inPort());
                id = OFBufferId.of(bufferId);
                data = Arrays.copyOf(data, Math.max(0, maxLen));
            }
            OFPacketInReason reason = p.reason();
            if (v.compareTo(OFVersion.OF_14) < 0 && code > 2) reason = OFPacketInReason.ACTION;
            OFPacketIn.Builder b = f.buildPacketIn().setBufferId(id).setTotalLen(p.frame().length).setReason(reason)
                    .setData(data);
            if (v.compareTo(OFVersion.OF_12) < 0) {
                b.setInPort(OFPort.of(p.inPort()));
            } else {
                Match.Builder mb = f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(p.inPort()));
                if (p.metadata() != 0) mb.setExact(MatchField.METADATA, OFMetadata.ofRaw(p.metadata()));
                b.setMatch(mb.build()).setTableId(TableId.of(p.tableId()));
                if (v.compareTo(OFVersion.OF_13) >= 0) b.setCookie(U64.of(p.cookie()));
            }
            c.send(b.build());
            packetInsSent.increment();
        }
    }

    @Override
    public void portAdded(PortInfo port) {
        onControl(() -> sendPortStatus(OFPortReason.ADD, port));
    }

    @Override
    public void portRemoved(PortInfo port) {
        onControl(() -> sendPortStatus(OFPortReason.DELETE, port));
    }

    @Override
    public void portChanged(PortInfo port) {
        onControl(() -> sendPortStatus(OFPortReason.MODIFY, port));
    }

    private void sendPortStatus(OFPortReason reason, PortInfo port) {
        for (ControllerConnection c : connections) {
            if (!c.wantsAsync(OFType.PORT_STATUS, reason.ordinal())) continue;
            OFFactory f = c.factory();
            c.send(f.buildPortStatus().setReason(reason).setDesc(PortDescriptions.of(f, port)).build());
        }
    }
}
