package io.shunt.datapath.engine;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.ring.RingCounters;
import io.shunt.datapath.ring.SpscRing;

/**
 * The host side of a {@code dpdkr} port: a {@link PortRegion} shared with one VNF. The
 * switch consumes the region's {@code tx} ring (VNF to switch) and produces into its
 * {@code rx} ring (switch to VNF).
 *
 * <p>The {@code rx} ring is single-producer, but with several PMD threads any of them may
 * output to this port. As OVS does when a port has fewer transmit queues than PMD threads
 * (its "dynamic txqs"), a transmit takes a per-port spin lock: one CAS per burst of up to
 * 32 packets when uncontended. The control thread never transmits (packet-out is injected
 * through a PMD), so no thread that can be descheduled for long holds it.
 */
public final class DpdkrPort implements PortDriver {

    private final String name;
    private final PortRegion region;
    private final SpscRing fromVnf;
    private final SpscRing toVnf;
    private final TxLock txLock = new TxLock();
    /** The direct-link gate of the direction this port is A of, or null (set by the link manager). */
    private volatile LinkTxGate gate;
    /** The gate the owning PMD used in its current round (that thread only), for {@link #afterBurstFlushed}. */
    private LinkTxGate roundGate;

    /**
     * @param region a port region whose rings name buffers of {@code pool}; the driver owns it
     *               from now on and closes it
     */
    public DpdkrPort(String name, PortRegion region, PacketPool pool) {
        if (!region.poolName().equals(pool.region().name())) {
            throw new IllegalArgumentException("port " + name + ": region " + region.region().file()
                    + " names pool " + region.poolName() + ", expected " + pool.region().name());
        }
        this.name = name;
        this.region = region;
        this.fromVnf = region.txRing(pool);
        this.toVnf = region.rxRing(pool);
    }

    @Override
    public int portNo() {
        return region.portNumber();
    }

    @Override
    public String name() {
        return name;
    }

    public PortRegion region() {
        return region;
    }

    @Override
    public int rxBurst(int[] dst, int max) {
        // One load when no direct link starts at this port; the gate decides how far A's tx ring may be read.
        LinkTxGate g = gate;
        roundGate = g;
        if (g == null) {
            return fromVnf.dequeueBurst(dst, 0, max);
        }
        return g.rxBurst(fromVnf, dst, max);
    }

    @Override
    public void afterBurstFlushed() {
        LinkTxGate g = roundGate;
        if (g != null) {
            g.afterBurstFlushed();
        }
    }

    synchronized void installGate(LinkTxGate next) {
        if (gate != null) {
            throw new IllegalArgumentException("port " + name + " already carries " + gate + ", cannot attach " + next);
        }
        gate = next;
    }

    synchronized void removeGate(LinkTxGate current) {
        if (gate == current) {
            gate = null;
        }
    }

    /** The direct-link gate on this port, or null. */
    public LinkTxGate gate() {
        return gate;
    }

    /** The producer position of the rx ring (switch to VNF): what a fence names. */
    long rxRingProducerPosition() {
        return toVnf.producerPosition();
    }

    @Override
    public int txBurst(int[] src, int offset, int n) {
        txLock.lock();
        try {
            return toVnf.enqueueBurst(src, offset, n);
        } finally {
            // Release: our ring writes happen before the next PMD's acquire of the lock.
            txLock.unlock();
        }
    }

    @Override
    public void countTxDrops(int n) {
        txLock.lock();
        try {
            // The drop counter lives on the producer's line of the ring: only the producer writes it.
            toVnf.countDrops(n);
        } finally {
            txLock.unlock();
        }
    }

    @Override
    public boolean linkUp() {
        return true;
    }

    @Override
    public PortStats stats() {
        RingCounters in = fromVnf.counters();
        RingCounters out = toVnf.counters();
        return new PortStats(in.dequeuedPackets(), in.enqueuedBytes(), in.rejected(), out.enqueuedPackets(),
                out.enqueuedBytes(), out.droppedPackets());
    }

    @Override
    public void close() {
        region.close();
    }

    @Override
    public String toString() {
        return "dpdkr " + name + " (port " + portNo() + ", " + region.region().file() + ")";
    }
}
