package io.shunt.datapath.engine;

import io.shunt.datapath.buffer.BufferLayout;
import io.shunt.datapath.cache.FlowGeneration;
import io.shunt.datapath.pool.PacketPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The forwarding engine of one bridge: its ports, its PMD threads and the flow-table
 * generation their caches follow. It knows packets and ports, nothing of OpenFlow: what
 * to do with a packet comes from the {@link MissHandler} (an upcall per cache miss) as an
 * {@link ActionProgram}.
 *
 * <p>Threading: the control methods ({@link #addPort}, {@link #removePort},
 * {@link #flowTablesChanged}, {@link #inject}) are called by one control thread at a time
 * and never block a PMD: port sets are published as new arrays (copy-on-write, volatile),
 * packet-out goes through a lock-free queue that a PMD drains, and the flow generation is
 * an acquire/release counter.
 */
public final class ForwardingEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ForwardingEngine.class);

    /**
     * The number of the bridge's own port, the host stack's way into the bridge. It is the
     * value of OpenFlow's OFPP_LOCAL, so that the number a flow matches, a packet-in reports
     * and an output names is the same on both sides of the datapath interface; ordinary ports
     * are 1..0xffff. In the per-number arrays it takes slot 0, which no ordinary port uses.
     */
    public static final int LOCAL_PORT_NO = 0xffff_fffe;

    private final String name;
    private final PacketPool pool;
    private final FlowGeneration generation = new FlowGeneration();
    private final PmdThread[] pmds;
    private final MissHandler.Factory misses;
    private final MacLearningTable macs;
    private volatile PortDriver[] byNumber = new PortDriver[PmdThread.MAX_PORT_NO + 1];
    private volatile PortDriver[] list = new PortDriver[0];
    /** Ports that OFPP_FLOOD and NORMAL skip (OFPPC_NO_FLOOD), indexed by port number. */
    private volatile boolean[] noFlood = new boolean[PmdThread.MAX_PORT_NO + 1];
    private boolean started;
    private boolean closed;

    /**
     * @param misses creates each PMD's upcall handler when the engine {@link #start starts}
     */
    public ForwardingEngine(String name, PacketPool pool, EngineConfig config, MissHandler.Factory misses,
                            MacLearningTable macs) {
        this.name = name;
        this.pool = pool;
        this.misses = misses;
        this.macs = macs;
        this.pmds = new PmdThread[config.pmdThreads()];
        for (int i = 0; i < pmds.length; i++) {
            pmds[i] = new PmdThread(i, this, pool, config, macs);
        }
    }

    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        for (PmdThread pmd : pmds) {
            pmd.miss = misses.create(pmd.id);
            pmd.thread = Thread.ofPlatform().name("pmd-" + name + "-" + pmd.id).daemon().start(pmd);
        }
        log.info("engine {}: {} PMD thread(s) started over pool {}", name, pmds.length, pool.region().name());
    }

    /** PMD {@code i}, to drive its rounds directly from tests and benchmarks (engine not started). */
    PmdThread pmd(int i) {
        return pmds[i];
    }

    public FlowGeneration generation() {
        return generation;
    }

    public PacketPool pool() {
        return pool;
    }

    /** Adds a port and gives it to the PMD that owns the fewest ports (round-robin on ties). */
    public synchronized void addPort(PortDriver port) {
        int no = slot(port.portNo());
        if (no < 0) {
            throw new IllegalArgumentException("engine " + name + ": port " + port.name() + " has number "
                    + Integer.toUnsignedString(port.portNo()) + ", expected 1.." + PmdThread.MAX_PORT_NO
                    + " or LOCAL (" + Integer.toUnsignedString(LOCAL_PORT_NO) + ")");
        }
        if (byNumber[no] != null) {
            throw new IllegalArgumentException("engine " + name + ": port number "
                    + Integer.toUnsignedString(port.portNo()) + " is taken by " + byNumber[no].name());
        }
        PortDriver[] numbers = byNumber.clone();
        numbers[no] = port;
        byNumber = numbers;
        PortDriver[] all = Arrays.copyOf(list, list.length + 1);
        all[all.length - 1] = port;
        // Unsigned: LOCAL comes last, as OpenFlow lists it.
        Arrays.sort(all, (a, b) -> Integer.compareUnsigned(a.portNo(), b.portNo()));
        list = all;
        PmdThread owner = pmds[0];
        for (PmdThread pmd : pmds) {
            if (pmd.owned.length < owner.owned.length) {
                owner = pmd;
            }
        }
        PortDriver[] owned = Arrays.copyOf(owner.owned, owner.owned.length + 1);
        owned[owned.length - 1] = port;
        owner.owned = owned;
        log.info("engine {}: {} polled by PMD {}", name, port, owner.id);
    }

    /**
     * Removes a port: no PMD polls it or outputs to it once this returns (it waits, bounded,
     * for every PMD to finish the round it was in); the caller then closes the driver.
     * Returns the driver, or null if there was none.
     */
    public synchronized PortDriver removePort(int portNo) {
        int slot = slot(portNo);
        PortDriver port = slot < 0 ? null : byNumber[slot];
        if (port == null) {
            return null;
        }
        PortDriver[] numbers = byNumber.clone();
        numbers[slot] = null;
        byNumber = numbers;
        list = Arrays.stream(list).filter(p -> p != port).toArray(PortDriver[]::new);
        for (PmdThread pmd : pmds) {
            pmd.owned = Arrays.stream(pmd.owned).filter(p -> p != port).toArray(PortDriver[]::new);
        }
        if (!awaitQuiescence(2_000_000_000L)) {
            log.warn("engine {}: a PMD did not finish its round within 2 s while removing {}", name, port);
        }
        // As OVS flushes a deleted port's MAC entries: NORMAL floods those addresses again at once
        // instead of sending them to a port that is gone until they age out.
        macs.forgetPort(portNo);
        return port;
    }

    /** The port with this number, or null (any thread; lock-free). */
    public PortDriver port(int portNo) {
        int slot = slot(portNo);
        return slot < 0 ? null : byNumber[slot];
    }

    /** The port in slot {@code slot} of the per-number arrays (see {@link #slot}), or null. PMD threads. */
    PortDriver portInSlot(int slot) {
        return byNumber[slot];
    }

    /**
     * Where a port number lives in the per-number arrays (the engine's and each PMD's): the
     * number itself for 1..0xffff, 0 for {@link #LOCAL_PORT_NO}, -1 for anything else (no
     * port can have it: CONTROLLER as a packet-out's in_port, a number out of range).
     */
    static int slot(int portNo) {
        if (portNo == LOCAL_PORT_NO) {
            return 0;
        }
        return portNo >= 1 && portNo <= PmdThread.MAX_PORT_NO ? portNo : -1;
    }

    /** Every port, in port-number order (any thread; the array must not be modified). */
    PortDriver[] portList() {
        return list;
    }

    public List<PortDriver> ports() {
        return List.of(list);
    }

    boolean floodable(int portNo) {
        return !noFlood[slot(portNo)];
    }

    /** OFPPC_NO_FLOOD of a port. */
    public synchronized void setNoFlood(int portNo, boolean value) {
        int slot = slot(portNo);
        if (slot < 0) {
            throw new IllegalArgumentException("engine " + name + ": no port can have number "
                    + Integer.toUnsignedString(portNo));
        }
        boolean[] copy = noFlood.clone();
        copy[slot] = value;
        noFlood = copy;
    }

    /**
     * The flow tables changed: advances the generation and waits (bounded) until every PMD
     * works in it, so that every packet a PMD looks up from then on sees the new tables.
     * This is what lets the switch answer a BARRIER_REQUEST truthfully. Returns false if a
     * PMD did not catch up within the timeout (it is stuck; it still cannot use a stale
     * megaflow once it runs again, but a packet it holds may be forwarded by old rules).
     */
    public boolean flowTablesChanged(long timeoutNanos) {
        long g = generation.advance();
        return awaitGeneration(g, timeoutNanos);
    }

    /** Waits until every PMD has begun a burst in generation {@code g} or later. */
    public boolean awaitGeneration(long g, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        for (PmdThread pmd : pmds) {
            if (!started) {
                break;
            }
            Thread t = pmd.thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
            while (pmd.caches.observedGeneration() < g) {
                if (System.nanoTime() > deadline || t == null || !t.isAlive()) {
                    return false;
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }
        return true;
    }

    /**
     * Waits (bounded) until every PMD has completed a whole round after this call: after
     * {@link LinkTxGate#detach}, no PMD uses the gate or the link's memory any more once this
     * returns true.
     */
    public boolean quiesce(long timeoutNanos) {
        return awaitQuiescence(timeoutNanos);
    }

    /** Waits until every PMD has completed a whole round after this call. */
    private boolean awaitQuiescence(long timeoutNanos) {
        if (!started) {
            return true;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        long[] seen = new long[pmds.length];
        for (int i = 0; i < pmds.length; i++) {
            seen[i] = pmds[i].rounds();
            LockSupport.unpark(pmds[i].thread);
        }
        for (int i = 0; i < pmds.length; i++) {
            // Two rounds: the one in progress at our snapshot may have started before the unpublish.
            while (pmds[i].rounds() < seen[i] + 2) {
                if (System.nanoTime() > deadline || !pmds[i].thread.isAlive()) {
                    return false;
                }
                Thread.yield();
            }
        }
        return true;
    }

    /**
     * Injects a frame as if it came from {@code inPort} (a PACKET_OUT), to be executed by a
     * PMD with {@code program}. Returns false, and sends nothing, when the pool has no free
     * buffer or the frame does not fit one.
     */
    public boolean inject(byte[] frame, int inPort, ActionProgram program) {
        int room = pool.bufferSize() - pool.defaultDataOffset();
        if (frame.length > room) {
            throw new IllegalArgumentException("engine " + name + ": a " + frame.length
                    + "-byte frame does not fit a pool buffer (" + room + " bytes)");
        }
        int[] one = new int[1];
        if (pool.allocBurst(one, 0, 1) != 1) {
            return false;
        }
        int index = one[0];
        MemorySegment buffers = pool.buffers();
        long base = (long) index * pool.bufferSize();
        int offset = pool.defaultDataOffset();
        MemorySegment.copy(frame, 0, buffers, ValueLayout.JAVA_BYTE, base + offset, frame.length);
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET, offset);
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET, frame.length);
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.INPUT_PORT_OFFSET, inPort);
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.FLAGS_OFFSET, 0);
        PmdThread pmd = pmds[0];
        // The queue's offer is a release: the buffer contents are visible to the PMD that polls it.
        pmd.injections.offer(new PmdThread.Injection(index, inPort, program));
        Thread t = pmd.thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        return true;
    }

    /**
     * Changes every PMD's idle back-off while the engine runs: each PMD takes it at its next
     * round (a parked PMD is unparked so it does not sleep out the old, possibly long, park);
     * {@link PmdStats#idlePolicy()} shows when a PMD has.
     */
    public void setIdlePolicy(IdlePolicy policy) {
        for (PmdThread pmd : pmds) {
            pmd.requestIdlePolicy(policy);
            Thread t = pmd.thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    public List<PmdStats> pmdStats() {
        List<PmdStats> out = new ArrayList<>();
        for (PmdThread pmd : pmds) {
            out.add(pmd.stats());
        }
        return out;
    }

    /** Stops the PMD threads (bounded wait) and closes every port; the pool is the caller's. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (PmdThread pmd : pmds) {
            pmd.stop();
            if (pmd.thread != null) {
                LockSupport.unpark(pmd.thread);
            }
        }
        for (PmdThread pmd : pmds) {
            if (pmd.thread != null) {
                try {
                    pmd.thread.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (PortDriver p : list) {
            p.close();
        }
        list = new PortDriver[0];
        byNumber = new PortDriver[PmdThread.MAX_PORT_NO + 1];
    }
}
