package io.shunt.datapath.hostport;

import io.shunt.datapath.buffer.BufferLayout;
import io.shunt.datapath.engine.PortDriver;
import io.shunt.datapath.engine.TxLock;
import io.shunt.datapath.engine.PortStats;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.pool.PoolCache;
import io.shunt.datapath.ring.RingCounters;
import io.shunt.datapath.ring.RingLayout;
import io.shunt.datapath.ring.SpscRing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One end of a {@code patch} pair joining two bridges of this vswitchd, with no kernel in
 * between. Each end has an inbound SPSC ring of buffer indices of its own bridge's pool
 * (process memory, the same ring code as a dpdkr port): transmitting on one end enqueues
 * into the peer's inbound ring, which the peer's PMD polls as its receive side.
 *
 * <p>Same pool on both sides (one trust domain): the index itself crosses, zero copy.
 * Different pools (the default: one domain per bridge): each frame is copied into a buffer
 * of the peer's pool, which is the only way a packet may cross domains (DESIGN.md section 2).
 *
 * <p>Threading: the inbound ring has one producer at a time (the peer's transmit lock) and
 * one consumer (the PMD that owns this port). {@link #connect} and {@link #disconnect} are
 * control-thread calls; a PMD sees the peer through a volatile read per burst.
 */
public final class PatchPort implements PortDriver, HostLink {
    private static final int RING_CAPACITY = 1024;

    private final String name;
    private final String peerName;
    private final int portNo;
    private final PacketPool pool;
    private final Arena arena = Arena.ofShared();
    private final SpscRing inbound;
    private final int[] drain = new int[64];

    private final TxLock txLock = new TxLock();
    private volatile PatchPort peer;
    /** The transmit side's buffers of the peer's pool (under txLock); rebuilt on connect. */
    private PoolCache peerCache;
    private int[] copies = new int[0];
    private final PortCounter txPackets = new PortCounter();
    private final PortCounter txBytes = new PortCounter();
    private final PortCounter txDropped = new PortCounter();
    private final PortCounter txNoBuffer = new PortCounter();

    public PatchPort(String name, String peerName, int portNo, PacketPool pool) {
        this.name = name;
        this.peerName = peerName;
        this.portNo = portNo;
        this.pool = pool;
        MemorySegment ring = arena.allocate(RingLayout.length(RING_CAPACITY), 128);
        SpscRing.format(ring, 0, RING_CAPACITY);
        this.inbound = SpscRing.attach(ring, 0, ring.byteSize(), pool);
    }

    /** The name of the port at the other end (the {@code peer} option). */
    public String peerName() {
        return peerName;
    }

    /** Joins this end and {@code other} (each names the other as peer). Control thread. */
    public static void connect(PatchPort a, PatchPort b) {
        if (!a.peerName.equals(b.name) || !b.peerName.equals(a.name)) {
            throw new IllegalArgumentException("patch ports " + a.name + " (peer " + a.peerName + ") and " + b.name
                    + " (peer " + b.peerName + ") do not name each other");
        }
        a.attachPeer(b);
        b.attachPeer(a);
    }

    private void attachPeer(PatchPort other) {
        txLock.lock();
        try {
            peerCache = other.pool == pool ? null : other.pool.newCache(64);
            peer = other;
        } finally {
            txLock.unlock();
        }
    }

    /** Detaches this end from its peer (the peer was removed); the link goes down. Control thread. */
    public void disconnect() {
        txLock.lock();
        try {
            if (peerCache != null) {
                peerCache.flush();
                peerCache = null;
            }
            peer = null;
        } finally {
            txLock.unlock();
        }
    }

    @Override
    public int portNo() {
        return portNo;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int rxBurst(int[] dst, int max) {
        return inbound.dequeueBurst(dst, 0, max);
    }

    /**
     * Hands frames to the peer's inbound ring: the indices themselves when both bridges
     * share a pool, copies in the peer's pool otherwise. Returns how many it took; the
     * caller frees and counts the rest (no peer, peer's ring full).
     */
    @Override
    public int txBurst(int[] src, int offset, int n) {
        txLock.lock();
        try {
            PatchPort p = peer;
            if (p == null) {
                return 0;
            }
            if (peerCache == null) {
                int sent = p.inbound.enqueueBurst(src, offset, n);
                count(src, offset, sent, pool);
                return sent;
            }
            if (copies.length < n) {
                copies = new int[Math.max(n, 32)];
            }
            int got = peerCache.allocBurst(copies, 0, n);
            if (got < n) {
                txNoBuffer.add(n - got);
            }
            PacketPool to = p.pool;
            for (int i = 0; i < got; i++) {
                copy(src[offset + i], copies[i], to);
            }
            int sent = p.inbound.enqueueBurst(copies, 0, got);
            if (sent < got) {
                peerCache.freeBurst(copies, sent, got - sent);
            }
            count(copies, 0, sent, to);
            // The originals were copied (or not sent): this side's buffers of the sent ones are free now.
            pool.freeBurst(src, offset, sent);
            return sent;
        } finally {
            txLock.unlock();
        }
    }

    private void copy(int from, int to, PacketPool toPool) {
        MemorySegment a = pool.buffers();
        MemorySegment b = toPool.buffers();
        long fa = (long) from * pool.bufferSize();
        long tb = (long) to * toPool.bufferSize();
        int off = a.get(ValueLayout.JAVA_INT, fa + BufferLayout.DATA_OFFSET_OFFSET);
        int len = a.get(ValueLayout.JAVA_INT, fa + BufferLayout.LENGTH_OFFSET);
        int dataOffset = toPool.defaultDataOffset();
        int length = Math.min(len, toPool.bufferSize() - dataOffset);
        MemorySegment.copy(a, fa + off, b, tb + dataOffset, length);
        b.set(ValueLayout.JAVA_INT, tb + BufferLayout.DATA_OFFSET_OFFSET, dataOffset);
        b.set(ValueLayout.JAVA_INT, tb + BufferLayout.LENGTH_OFFSET, length);
        b.set(ValueLayout.JAVA_INT, tb + BufferLayout.INPUT_PORT_OFFSET, 0);
        b.set(ValueLayout.JAVA_INT, tb + BufferLayout.FLAGS_OFFSET, 0);
    }

    private void count(int[] indices, int offset, int n, PacketPool in) {
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += in.packetLength(indices[offset + i]);
        }
        txPackets.add(n);
        txBytes.add(bytes);
    }

    @Override
    public void countTxDrops(int n) {
        txLock.lock();
        try {
            txDropped.add(n);
        } finally {
            txLock.unlock();
        }
    }

    @Override
    public boolean linkUp() {
        return peer != null;
    }

    @Override
    public boolean refreshLink() {
        // The peer is attached and detached by the control thread, which reports it itself.
        return false;
    }

    @Override
    public long hwAddr() {
        return 0x02_00_00_00_00_00L | ((long) (name.hashCode() & 0xffffff) << 8) | (portNo & 0xff);
    }

    @Override
    public Map<String, Long> detailCounters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("tx_no_buffer", txNoBuffer.get());
        m.put("rx_ring_rejected", inbound.counters().rejected());
        return m;
    }

    @Override
    public PortStats stats() {
        RingCounters in = inbound.counters();
        return new PortStats(in.dequeuedPackets(), in.enqueuedBytes(), in.rejected(), txPackets.get(), txBytes.get(),
                txDropped.get());
    }

    /** Frees what is left in the inbound ring. Called once no PMD uses this port and the peer is detached. */
    @Override
    public void close() {
        disconnect();
        int n;
        while ((n = inbound.dequeueBurst(drain, 0, drain.length)) > 0) {
            pool.freeBurst(drain, 0, n);
        }
        arena.close();
    }

    @Override
    public String toString() {
        return "patch " + name + " (port " + portNo + ", peer " + peerName + ")";
    }
}
