package io.shunt.datapath.engine;

import io.shunt.datapath.action.EditStatus;
import io.shunt.datapath.action.EthernetEdits;
import io.shunt.datapath.action.Frame;
import io.shunt.datapath.action.Ipv4Edits;
import io.shunt.datapath.action.Ipv6Edits;
import io.shunt.datapath.action.MplsEdits;
import io.shunt.datapath.action.TransportEdits;
import io.shunt.datapath.action.VlanEdits;
import io.shunt.datapath.buffer.BufferLayout;
import io.shunt.datapath.cache.FlowCaches;
import io.shunt.datapath.flow.FlowKey;
import io.shunt.datapath.flow.PacketParser;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.pool.PoolCache;
import io.shunt.datapath.ring.BackOff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One poll-mode thread: polls the ports it owns, classifies every packet once through its
 * own {@link FlowCaches} (upcall on a miss), executes the {@link ActionProgram}, and sends
 * the results to output ports in bursts. Everything on the packet path is this thread's
 * own (key, frame view, batches, pool cache): no lock, no allocation (upcalls, packet-ins
 * and the first use of an output port aside).
 *
 * <p>Each poll round: {@link FlowCaches#beginBurst()} (so the control plane can tell when
 * this PMD has seen a new flow-table generation), injected packets, one receive burst per
 * owned port, then the output batches, the freed buffers and the flow credits are flushed,
 * and the round counter is published (the quiescent point that port removal waits for).
 */
final class PmdThread implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(PmdThread.class);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final int MAX_PORT_NO = 0xffff;
    private static final int CREDIT_SLOTS = 64;
    private static final int MAX_DEPTH = 4;

    // Stats slots, published with release stores once per round.
    private static final int S_PACKETS = 0;
    private static final int S_BUSY = 1;
    private static final int S_IDLE = 2;
    private static final int S_ROUNDS = 3;
    private static final int S_DROPS = 4;

    record Injection(int index, int inPort, ActionProgram program) { }

    final int id;
    private final ForwardingEngine engine;
    final FlowCaches<ActionProgram> caches;
    /** Set before the thread starts (Thread.start orders it). */
    MissHandler miss;
    private final EngineConfig config;
    private final MacLearningTable macs;
    private final MemorySegment buffers;
    private final long bufferSize;
    private final PoolCache poolCache;
    final ConcurrentLinkedQueue<Injection> injections = new ConcurrentLinkedQueue<>();
    volatile PortDriver[] owned = new PortDriver[0];
    private volatile boolean running = true;
    volatile Thread thread;

    private final int[] rx;
    private final FlowKey key = new FlowKey();
    private final Frame frame = new Frame();
    private final int[][] txBuf = new int[MAX_PORT_NO + 1][];
    private final int[] txCount = new int[MAX_PORT_NO + 1];
    private final int[] dirty = new int[MAX_PORT_NO + 1];
    private int dirtyCount;
    private final int[] freeBuf = new int[EngineConfig.MAX_BURST * 4];
    private int freeCount;
    private final int[] oneBuffer = new int[1];
    private final ActionProgram[] creditProgram = new ActionProgram[CREDIT_SLOTS];
    private final long[] creditPackets = new long[CREDIT_SLOTS];
    private final long[] creditBytes = new long[CREDIT_SLOTS];
    private int creditCount;
    private long now;

    private volatile IdlePolicy requestedIdle;
    private volatile IdlePolicy appliedIdle;
    private long packets;
    private long busyNanos;
    private long idleNanos;
    private long rounds;
    private long failures;
    private final long[] drops = new long[DropReason.values().length];
    private final AtomicLongArray published = new AtomicLongArray(S_DROPS + DropReason.values().length);

    PmdThread(int id, ForwardingEngine engine, PacketPool pool, EngineConfig config, MacLearningTable macs) {
        this.id = id;
        this.engine = engine;
        this.config = config;
        this.macs = macs;
        this.caches = new FlowCaches<>(config.cache(), engine.generation());
        this.buffers = pool.buffers();
        this.bufferSize = pool.bufferSize();
        this.poolCache = pool.newCache();
        this.rx = new int[config.burst()];
        this.requestedIdle = config.idlePolicy();
        this.appliedIdle = requestedIdle;
    }

    void stop() {
        running = false;
    }

    /** Asks this PMD to use {@code policy} from its next round on (read once per round, a plain volatile load). */
    void requestIdlePolicy(IdlePolicy policy) {
        requestedIdle = policy;
    }

    /** The idle policy this PMD's loop uses now (what it last took from {@link #requestIdlePolicy}). */
    IdlePolicy appliedIdlePolicy() {
        return appliedIdle;
    }

    private static BackOff backOff(IdlePolicy p) {
        return new BackOff(p.spinPolls(), p.yieldPolls(), 1_000, p.parkMicros() * 1_000L);
    }

    @Override
    public void run() {
        IdlePolicy idle = appliedIdle;
        BackOff backOff = backOff(idle);
        try {
            while (running) {
                IdlePolicy requested = requestedIdle;
                if (requested != idle) {
                    // A settings change (control thread, rare): the only allocation outside a miss.
                    idle = requested;
                    backOff = backOff(idle);
                    appliedIdle = idle;
                }
                long t0 = System.nanoTime();
                int work;
                try {
                    work = pollRound();
                } catch (RuntimeException e) {
                    // A bug must not silently stop forwarding on every port this PMD owns: log (bounded), go on.
                    // The buffers of the burst in hand may be lost to the pool.
                    if (++failures <= 10 || failures % 100_000 == 0) {
                        log.error("PMD {}: poll round failed ({} failures so far)", id, failures, e);
                    }
                    work = 1;
                }
                long t1 = System.nanoTime();
                if (work > 0) {
                    busyNanos += t1 - t0;
                    publishStats();
                    backOff.reset();
                } else {
                    backOff.idle();
                    // An empty round and the back-off after it are idle time.
                    idleNanos += System.nanoTime() - t0;
                    publishStats();
                }
            }
        } finally {
            flushFrees();
            poolCache.flush();
            publishStats();
        }
    }

    /** One poll round (package-private for the allocation test and the benchmark, which drive it directly). */
    int pollRound() {
        long generation = caches.beginBurst();
        now = System.nanoTime();
        int work = 0;
        Injection inj;
        for (int i = 0; i < config.burst() && (inj = injections.poll()) != null; i++) {
            work++;
            packets++;
            execute(inj.program(), inj.index(), inj.inPort(), 0, generation);
        }
        PortDriver[] ports = owned;
        for (PortDriver port : ports) {
            int n = port.rxBurst(rx, rx.length);
            if (n == 0) {
                continue;
            }
            work += n;
            packets += n;
            int inPort = port.portNo();
            for (int i = 0; i < n; i++) {
                process(rx[i], inPort, 0, generation);
            }
        }
        if (work > 0) {
            flushOutputs();
            flushFrees();
            flushCredits();
        }
        // After the flush: a direct link's fence names B's rx position after A's last burst.
        for (PortDriver port : ports) {
            port.afterBurstFlushed();
        }
        rounds++;
        return work;
    }

    private void process(int index, int inPort, int depth, long generation) {
        long base = (long) index * bufferSize;
        int dataOffset = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET);
        int length = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET);
        PacketParser.parse(buffers, base + dataOffset, length, inPort, key);
        ActionProgram program = caches.lookup(key);
        if (program == null) {
            try {
                Megaflow m = miss.classify(key, buffers, base + dataOffset, length, inPort);
                caches.insert(key, m.mask(), m.program(), generation);
                program = m.program();
            } catch (RuntimeException e) {
                log.warn("PMD {}: upcall for a packet from port {} failed; packet dropped", id, inPort, e);
                drop(DropReason.UNSUPPORTED, index);
                return;
            }
        }
        execute(program, index, inPort, depth, generation);
    }

    private void execute(ActionProgram program, int index, int inPort, int depth, long generation) {
        long base = (long) index * bufferSize;
        credit(program, buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET));
        DpAction[] ops = program.ops;
        if (ops.length == 0) {
            drop(DropReason.NO_ACTION, index);
            return;
        }
        boolean consumed = false;
        for (int i = 0; i < ops.length; i++) {
            boolean mayConsume = i == program.consumingOp;
            switch (ops[i]) {
                case DpAction.Output o -> output(o.portNo(), index, mayConsume);
                case DpAction.OutputInPort o -> output(inPort, index, mayConsume);
                case DpAction.Flood f -> flood(f.all(), inPort, index, mayConsume);
                case DpAction.Normal n -> normal(inPort, index, mayConsume);
                case DpAction.Userspace u -> u.upcall().deliver(copyBytes(index), inPort);
                case DpAction.Table t -> {
                    if (depth < MAX_DEPTH) {
                        int copy = copyBuffer(index);
                        if (copy >= 0) {
                            process(copy, inPort, depth + 1, generation);
                        }
                    }
                }
                case DpAction.Meter m -> {
                    if (!m.gate().admit(buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET), now)) {
                        drop(DropReason.METER, index);
                        return;
                    }
                }
                case DpAction.Clone c -> {
                    if (depth < MAX_DEPTH) {
                        int copy = copyBuffer(index);
                        if (copy >= 0) {
                            execute(c.program(), copy, inPort, depth + 1, generation);
                        }
                    }
                }
                case DpAction.Drop d -> {
                    drop(d.reason(), index);
                    return;
                }
                default -> {
                    int status = edit(ops[i], index);
                    if (status != EditStatus.OK && status != EditStatus.NOT_APPLICABLE) {
                        drop(DropReason.EDIT_FAILED, index);
                        return;
                    }
                }
            }
            consumed |= mayConsume;
        }
        if (!consumed) {
            free(index);
        }
    }

    private int edit(DpAction op, int index) {
        long base = (long) index * bufferSize;
        int dataOffset = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET);
        int length = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET);
        if (!frame.wrap(buffers, base + BufferLayout.METADATA_LENGTH, base + bufferSize, base + dataOffset, length)) {
            return EditStatus.TRUNCATED;
        }
        int status = switch (op) {
            case DpAction.SetEthSrc s -> EthernetEdits.setSource(frame, s.mac());
            case DpAction.SetEthDst d -> EthernetEdits.setDestination(frame, d.mac());
            case DpAction.SetVlanVid v -> VlanEdits.setVid(frame, v.vid());
            case DpAction.SetVlanPcp p -> VlanEdits.setPcp(frame, p.pcp());
            case DpAction.PushVlan p -> VlanEdits.push(frame, p.tpid(), currentTci(base + dataOffset, length));
            case DpAction.PopVlan p -> VlanEdits.pop(frame);
            case DpAction.SetIpv4Src s -> Ipv4Edits.setSource(frame, s.address());
            case DpAction.SetIpv4Dst d -> Ipv4Edits.setDestination(frame, d.address());
            case DpAction.SetIpDscp d -> orIpv6(Ipv4Edits.setDscp(frame, d.dscp()), op);
            case DpAction.SetNwTtl t -> orIpv6(Ipv4Edits.setTtl(frame, t.ttl()), op);
            case DpAction.DecTtl t -> orIpv6(Ipv4Edits.decrementTtl(frame), op);
            case DpAction.SetIpv6Src s -> Ipv6Edits.setSource(frame, s.high(), s.low());
            case DpAction.SetIpv6Dst d -> Ipv6Edits.setDestination(frame, d.high(), d.low());
            case DpAction.SetIpv6FlowLabel l -> Ipv6Edits.setFlowLabel(frame, l.label());
            case DpAction.SetTransportSrc t -> TransportEdits.setSourcePort(frame, t.port());
            case DpAction.SetTransportDst t -> TransportEdits.setDestinationPort(frame, t.port());
            case DpAction.PushMpls p -> MplsEdits.pushDerived(frame, p.ethertype());
            case DpAction.PopMpls p -> MplsEdits.pop(frame, p.ethertype());
            case DpAction.SetMplsLabel l -> MplsEdits.setLabel(frame, l.label());
            case DpAction.SetMplsTc t -> MplsEdits.setTc(frame, t.tc());
            case DpAction.SetMplsTtl t -> MplsEdits.setTtl(frame, t.ttl());
            case DpAction.DecMplsTtl t -> MplsEdits.decrementTtl(frame);
            default -> EditStatus.NOT_APPLICABLE;
        };
        if (status == EditStatus.OK) {
            buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET, (int) (frame.offset() - base));
            buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET, frame.length());
        }
        return status;
    }

    /** The IPv6 form of an IP edit, when the IPv4 one found no IPv4 header (OpenFlow's IP_DSCP and TTL actions cover both). */
    private int orIpv6(int v4Status, DpAction op) {
        if (v4Status != EditStatus.NOT_APPLICABLE) {
            return v4Status;
        }
        return switch (op) {
            case DpAction.SetIpDscp d -> Ipv6Edits.setDscp(frame, d.dscp());
            case DpAction.SetNwTtl t -> Ipv6Edits.setHopLimit(frame, t.ttl());
            case DpAction.DecTtl t -> Ipv6Edits.decrementHopLimit(frame);
            default -> v4Status;
        };
    }

    /** A pushed tag copies the TCI of the tag it covers, or 0 (OF1.3 section 5.12.1). */
    private int currentTci(long start, int length) {
        if (length < 18) {
            return 0;
        }
        int type = buffers.get(U16, start + 12) & 0xffff;
        return type == 0x8100 || type == 0x88a8 ? buffers.get(U16, start + 14) & 0xffff : 0;
    }

    private long mac(long at) {
        return ((buffers.get(U16, at) & 0xffffL) << 32) | (buffers.get(U32, at + 2) & 0xffff_ffffL);
    }

    private void normal(int inPort, int index, boolean mayConsume) {
        long base = (long) index * bufferSize;
        int dataOffset = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET);
        int length = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET);
        if (length < 14) {
            if (mayConsume) {
                drop(DropReason.EDIT_FAILED, index);
            }
            return;
        }
        long start = base + dataOffset;
        // Only a port that exists is learned: not CONTROLLER (the in_port of a packet-out that has
        // none), nor LOCAL on a bridge without its LOCAL port.
        int inSlot = ForwardingEngine.slot(inPort);
        if (inSlot >= 0 && engine.portInSlot(inSlot) != null) {
            macs.learn(mac(start + 6), inPort, now);
        }
        int out = macs.lookup(mac(start), now);
        if (out == MacLearningTable.UNKNOWN) {
            flood(false, inPort, index, mayConsume);
        } else if (out == inPort) {
            // Already on the segment it came from (a learning switch never reflects).
            if (mayConsume) {
                free(index);
            }
        } else {
            output(out, index, mayConsume);
        }
    }

    private void flood(boolean all, int inPort, int index, boolean mayConsume) {
        PortDriver[] ports = engine.portList();
        int last = -1;
        for (int i = ports.length - 1; i >= 0 && last < 0; i--) {
            if (ports[i].portNo() != inPort && (all || engine.floodable(ports[i].portNo()))) {
                last = i;
            }
        }
        if (last < 0) {
            if (mayConsume) {
                free(index);
            }
            return;
        }
        for (int i = 0; i <= last; i++) {
            int no = ports[i].portNo();
            if (no != inPort && (all || engine.floodable(no))) {
                output(no, index, mayConsume && i == last);
            }
        }
    }

    private void output(int portNo, int index, boolean consume) {
        int buffer = consume ? index : copyBuffer(index);
        if (buffer < 0) {
            return;
        }
        // Output batches are kept per slot (the port number, 0 for LOCAL: ForwardingEngine.slot).
        int slot = ForwardingEngine.slot(portNo);
        if (slot < 0) {
            drop(DropReason.NO_PORT, buffer);
            return;
        }
        int[] batch = txBuf[slot];
        if (batch == null) {
            batch = txBuf[slot] = new int[config.burst()];
        }
        int n = txCount[slot];
        if (n == 0) {
            dirty[dirtyCount++] = slot;
        }
        batch[n++] = buffer;
        txCount[slot] = n;
        if (n == batch.length) {
            flushSlot(slot);
        }
    }

    private void flushOutputs() {
        for (int i = 0; i < dirtyCount; i++) {
            flushSlot(dirty[i]);
        }
        dirtyCount = 0;
    }

    private void flushSlot(int slot) {
        int n = txCount[slot];
        if (n == 0) {
            return;
        }
        int[] batch = txBuf[slot];
        txCount[slot] = 0;
        PortDriver port = engine.portInSlot(slot);
        if (port == null) {
            for (int i = 0; i < n; i++) {
                drop(DropReason.NO_PORT, batch[i]);
            }
            return;
        }
        int sent = port.txBurst(batch, 0, n);
        if (sent < n) {
            // The VNF is not keeping up: what does not fit is dropped and counted on the port (tx_dropped).
            port.countTxDrops(n - sent);
            for (int i = sent; i < n; i++) {
                free(batch[i]);
            }
        }
    }

    /** A copy of the packet in a new buffer of the pool, or -1 (counted) when the pool is empty. */
    private int copyBuffer(int index) {
        if (poolCache.allocBurst(oneBuffer, 0, 1) != 1) {
            drops[DropReason.NO_BUFFER.ordinal()]++;
            return -1;
        }
        int copy = oneBuffer[0];
        long base = (long) index * bufferSize;
        long copyBase = (long) copy * bufferSize;
        int dataOffset = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET);
        int length = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET);
        MemorySegment.copy(buffers, base + dataOffset, buffers, copyBase + dataOffset, length);
        buffers.set(ValueLayout.JAVA_INT, copyBase + BufferLayout.DATA_OFFSET_OFFSET, dataOffset);
        buffers.set(ValueLayout.JAVA_INT, copyBase + BufferLayout.LENGTH_OFFSET, length);
        buffers.set(ValueLayout.JAVA_INT, copyBase + BufferLayout.INPUT_PORT_OFFSET,
                buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.INPUT_PORT_OFFSET));
        buffers.set(ValueLayout.JAVA_INT, copyBase + BufferLayout.FLAGS_OFFSET, 0);
        return copy;
    }

    private byte[] copyBytes(int index) {
        long base = (long) index * bufferSize;
        int dataOffset = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET);
        int length = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET);
        return buffers.asSlice(base + dataOffset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private void drop(DropReason reason, int index) {
        drops[reason.ordinal()]++;
        free(index);
    }

    private void free(int index) {
        freeBuf[freeCount++] = index;
        if (freeCount == freeBuf.length) {
            flushFrees();
        }
    }

    private void flushFrees() {
        if (freeCount > 0) {
            poolCache.freeBurst(freeBuf, 0, freeCount);
            freeCount = 0;
        }
    }

    private void credit(ActionProgram program, int bytes) {
        if (program.credit == FlowCredit.NONE) {
            return;
        }
        for (int i = 0; i < creditCount; i++) {
            if (creditProgram[i] == program) {
                creditPackets[i]++;
                creditBytes[i] += bytes;
                return;
            }
        }
        if (creditCount == CREDIT_SLOTS) {
            flushCredits();
        }
        creditProgram[creditCount] = program;
        creditPackets[creditCount] = 1;
        creditBytes[creditCount] = bytes;
        creditCount++;
    }

    private void flushCredits() {
        for (int i = 0; i < creditCount; i++) {
            creditProgram[i].credit.credit(creditPackets[i], creditBytes[i], now);
            creditProgram[i] = null;
        }
        creditCount = 0;
    }

    private void publishStats() {
        // Release: a reader that sees the round count also sees the counters before it.
        published.setOpaque(S_PACKETS, packets);
        published.setOpaque(S_BUSY, busyNanos);
        published.setOpaque(S_IDLE, idleNanos);
        for (int i = 0; i < drops.length; i++) {
            published.setOpaque(S_DROPS + i, drops[i]);
        }
        published.setRelease(S_ROUNDS, rounds);
    }

    /** Poll rounds completed (acquire): port removal waits for it to move past its snapshot. */
    long rounds() {
        return published.getAcquire(S_ROUNDS);
    }

    PmdStats stats() {
        published.getAcquire(S_ROUNDS);  // pairs with the release in publishStats: counters at least this new
        Map<DropReason, Long> d = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            d.put(reason, published.getOpaque(S_DROPS + reason.ordinal()));
        }
        List<String> names = new ArrayList<>();
        for (PortDriver p : owned) {
            names.add(p.name());
        }
        return new PmdStats(id, names, published.getOpaque(S_PACKETS), published.getOpaque(S_BUSY),
                published.getOpaque(S_IDLE), caches.stats(), d, appliedIdle);
    }
}
