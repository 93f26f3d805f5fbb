package io.shunt.datapath.guest;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shunt.datapath.device.DeviceDirectoryLayout;
import io.shunt.datapath.pool.PacketBuffer;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.pool.PoolCache;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionLayout;
import io.shunt.datapath.port.PortRegionNames;
import io.shunt.datapath.region.RegionFormatException;
import io.shunt.datapath.ring.RingCounters;
import io.shunt.datapath.ring.SpscRing;

/**
 * The guest shim's view of one {@code dpdkr} port, what a VNF links instead of a NIC driver:
 * {@link #rxBurst} and {@link #txBurst} are shunt's {@code rte_eth_rx_burst} and
 * {@code rte_eth_tx_burst}, {@link #allocBurst} and {@link #freeBurst} take and give back
 * buffers of the port's shared pool ({@code rte_pktmbuf_alloc_bulk}, {@code rte_pktmbuf_free}).
 * The VNF sees buffer indices and {@link PacketBuffer} views, never rings: the rings a burst
 * uses are looked up once per burst in small immutable state objects.
 *
 * <p><b>Direct links</b> (DESIGN.md section 4, docs/direct-link-protocol.md): the port registers
 * in the process device directory ({@link DeviceDirectoryLayout}); a {@link DeviceWatcher}
 * maps the link devices plugged there and hands their ends to the port ({@link PortLinks}).
 * At a transmit burst the port follows the link manager's request and moves between its tx
 * ring and the link ring ({@link TxLink}); at a receive burst it polls its rx ring and, once
 * past the fence, every link ring it receives from, alternating which comes first
 * ({@link RxLink}). With no link plugged a burst costs one extra load. The VNF notices
 * nothing; {@link #linkStats()} says what happened.
 *
 * <p><b>Threading</b> (as DPDK lcores): at most one thread calls {@link #rxBurst} and at most one
 * thread calls {@link #txBurst} and {@link #dropTx} (the same one or two different ones).
 * {@link #allocBurst} and {@link #freeBurst} may be called from any thread: the first thread
 * that calls either owns the port's per-thread pool cache, others go to the pool's shared
 * (lock-free, multi-producer) free ring directly. {@link #close} runs after the polling
 * threads have stopped.
 *
 * <p><b>Liveness</b>: every {@value #HEARTBEAT_EVERY}th call of either burst method bumps the VNF
 * heartbeat word in the port's control block (an opaque store, no atomic), so a VNF that polls
 * an empty ring still beats; attach announces the pid and the control version spoken.
 *
 * <p><b>Switch restarts</b>: the switch keeps port regions across its restarts, so a VNF keeps
 * running on its mapping and needs nothing. If the switch re-creates the region (a new file,
 * a new generation), the shim notices within {@link GuestOptions#regionCheckInterval()} and
 * re-attaches at a burst boundary of each side: the rx side first drains what is left in the
 * old rx ring, the tx side moves what the old switch never took from the old tx ring to the
 * new one (in order, ahead of new packets; what does not fit is freed and counted as tx
 * drops). If the new region names another pool (the pool was re-created too), the buffers
 * this VNF holds belong to a pool nobody serves: the shim does not switch, {@link
 * #poolReplaced()} turns true, and the VNF must close the port and attach again.
 */
public final class GuestPort implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuestPort.class);
    /** Burst calls per side between heartbeats (a power of two). */
    static final int HEARTBEAT_EVERY = 64;
    /** Burst calls per side between clock reads for the region check (a power of two, multiple of the above). */
    static final int CLOCK_EVERY = 1024;

    private final String portName;
    private final Path regionFile;
    private final GuestOptions options;
    private final long checkIntervalNanos;
    private final PacketPool pool;
    private final PoolCache cache;
    /**
     * The thread allowed to use {@link #cache}; set once, under the lock, by the first alloc/free.
     * Plain on purpose: the owner reads its own write, and any other thread that sees null
     * (or a stale value) goes through {@link #claimCache}, whose lock shows the real owner.
     */
    private Thread cacheOwner;

    /** Port region and rings in use; replaced (cold path, under this object's lock) on re-creation. */
    private volatile PortAttachment current;
    private volatile boolean poolReplaced;
    private volatile long nextCheckNanos;
    private volatile long reattachments;
    private final List<PortAttachment> retired = new ArrayList<>();
    private Object rejectedFileKey;
    private boolean closed;

    /** The link ends of this port, replaced by the device watcher; read once per burst by each side. */
    private volatile PortLinks links = PortLinks.NONE;
    private final GuestLinkCounters linkCounters = new GuestLinkCounters();
    private VnfRegistration registration;

    // rx side: touched only by the thread calling rxBurst.
    private PortAttachment rxAttachment;
    private SpscRing rxDraining;
    private int rxCalls;
    private int rxTurn;

    // tx side: touched only by the thread calling txBurst.
    private PortAttachment txAttachment;
    private int txCalls;

    private GuestPort(String portName, Path regionFile, GuestOptions options, PacketPool pool,
                      PortAttachment attachment) {
        this.portName = portName;
        this.regionFile = regionFile;
        this.options = options;
        this.checkIntervalNanos = options.regionCheckInterval().toNanos();
        this.pool = pool;
        this.cache = pool.newCache(options.cacheSize());
        this.current = attachment;
        this.rxAttachment = attachment;
        this.txAttachment = attachment;
        this.nextCheckNanos = System.nanoTime() + checkIntervalNanos;
    }

    /** Attaches to port {@code portName} of the switch whose regions are in {@code regionDirectory}. */
    public static GuestPort attach(Path regionDirectory, String portName) throws GuestAttachException {
        return attach(regionDirectory, portName, GuestOptions.defaults());
    }

    /**
     * Attaches to port {@code portName}: maps its region ({@link PortRegionNames#regionFile}),
     * then the pool its descriptor names (a file of that name in the same directory), checks
     * that the pool's generation is the one the port names, and announces this VNF.
     *
     * @throws GuestAttachException naming the port and the file, if either region is missing,
     *                              malformed, or not the pool the port names
     */
    public static GuestPort attach(Path regionDirectory, String portName, GuestOptions options)
            throws GuestAttachException {
        Objects.requireNonNull(options, "options");
        Path file;
        try {
            file = PortRegionNames.regionFile(regionDirectory, portName);
        } catch (IllegalArgumentException e) {
            throw new GuestAttachException(String.valueOf(portName), regionDirectory, e.getMessage(), e);
        }
        Object fileKey;
        try {
            // Read before mapping: if the file is replaced in between, the next check re-attaches.
            fileKey = PortAttachment.fileKey(file);
        } catch (IOException e) {
            throw new GuestAttachException(portName, file, "cannot stat the port region: " + e, e);
        }
        PortRegion region = PortAttachment.mapRegion(portName, file);
        PacketPool pool = null;
        try {
            pool = mapPool(portName, region, regionDirectory.resolve(region.poolName()));
            PortAttachment attachment = PortAttachment.bind(region, pool, fileKey);
            GuestPort port = new GuestPort(portName, file, options, pool, attachment);
            region.control().announceVnf(options.announcedPid(), PortRegionLayout.CONTROL_VERSION, 0);
            LOG.info("attached to port '{}' (switch port {}, {}, generation {}), {}", portName, region.portNumber(),
                    file, region.region().generation(), pool);
            Path deviceRoot = DeviceDirectoryLayout.resolveRoot(options.deviceRoot(), System.getenv(), regionDirectory);
            String vnfId = DeviceDirectoryLayout.vnfId(options.vnfId(), ProcessHandle.current().pid());
            port.registration = VnfRegistration.register(port, deviceRoot, vnfId).orElse(null);
            return port;
        } catch (GuestAttachException | RuntimeException e) {
            region.close();
            if (pool != null) {
                pool.close();
            }
            throw e;
        }
    }

    private static PacketPool mapPool(String portName, PortRegion region, Path poolFile) throws GuestAttachException {
        PacketPool pool;
        try {
            pool = PacketPool.attach(poolFile);
        } catch (NoSuchFileException e) {
            throw new GuestAttachException(portName, poolFile, "the port names pool '" + region.poolName()
                    + "' (generation " + region.poolGeneration() + "), but no such file exists", e);
        } catch (RegionFormatException e) {
            throw new GuestAttachException(portName, poolFile, "the port names pool '" + region.poolName()
                    + "', but that file is not a usable pool: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new GuestAttachException(portName, poolFile, "cannot map pool '" + region.poolName() + "': " + e, e);
        }
        if (!PortAttachment.usesPool(region, pool)) {
            String found = "pool '" + pool.region().name() + "' generation " + pool.region().generation();
            pool.close();
            throw new GuestAttachException(portName, poolFile, "the port names pool '" + region.poolName()
                    + "' generation " + region.poolGeneration() + ", but the file holds " + found
                    + " (was the pool re-created after the port?)", null);
        }
        return pool;
    }

    // ---- data path ----

    /** {@link #rxBurst(int[], int, int)} into {@code bufs[0..max)}. */
    public int rxBurst(int[] bufs, int max) {
        return rxBurst(bufs, 0, max);
    }

    /**
     * Receives up to {@code max} packets: stores their buffer indices in {@code bufs[offset..]}
     * and returns how many. The VNF owns those buffers now: it sends them on or frees them.
     * Indices and buffer metadata written by the switch were checked (bad ones are dropped and
     * counted in the ring). Never blocks; 0 means nothing arrived.
     */
    public int rxBurst(int[] bufs, int offset, int max) {
        PortAttachment attachment = current;
        if (attachment != rxAttachment && rxDraining == null) {
            rxFollow(attachment);
        }
        if ((++rxCalls & (HEARTBEAT_EVERY - 1)) == 0) {
            housekeeping(attachment, rxCalls);
        }
        SpscRing draining = rxDraining;
        if (draining != null) {
            // Packets the switch put in the old rx ring come before anything in the new one
            // (and a region replaced again meanwhile waits until this one is drained).
            int n = draining.dequeueBurst(bufs, offset, max);
            if (n > 0) {
                return n;
            }
            if (draining.count() == 0) {
                rxDraining = null;
            }
        }
        RxLink[] readers = links.rx;
        if (readers.length == 0) {
            return rxAttachment.rx.dequeueBurst(bufs, offset, max);
        }
        return rxWithLinks(rxAttachment.rx, readers, bufs, offset, max);
    }

    /**
     * The rx ring and the link rings in one burst. Each ring is read in its own order; which
     * ring comes first turns every burst, so neither the switch's traffic nor a link starves
     * the other. A link ring is read only past its fence ({@link RxLink#readable}), and the
     * rx ring's position that check uses is the one after this burst's read of the rx ring
     * if that came first.
     */
    private int rxWithLinks(SpscRing portRx, RxLink[] readers, int[] bufs, int offset, int max) {
        int sources = readers.length + 1;
        // The turn may point past the end when a link has just gone (fewer sources than last burst).
        int first = rxTurn < sources ? rxTurn : 0;
        rxTurn = first + 1 == sources ? 0 : first + 1;
        int got = 0;
        for (int k = 0; k < sources && got < max; k++) {
            int source = first + k < sources ? first + k : first + k - sources;
            if (source == 0) {
                got += portRx.dequeueBurst(bufs, offset + got, max - got);
            } else {
                RxLink reader = readers[source - 1];
                if (reader.readable(portRx)) {
                    got += reader.dequeue(bufs, offset + got, max - got);
                }
            }
        }
        return got;
    }

    /** {@link #txBurst(int[], int, int)} from {@code bufs[0..n)}. */
    public int txBurst(int[] bufs, int n) {
        return txBurst(bufs, 0, n);
    }

    /**
     * Sends up to {@code n} packets from {@code bufs[offset..]} and returns how many were taken
     * (the first ones, in order). As with DPDK, the caller still owns the rest: it retries
     * them later or frees them ({@link #dropTx} frees and counts them). Never blocks.
     */
    public int txBurst(int[] bufs, int offset, int n) {
        PortAttachment attachment = current;
        if (attachment != txAttachment) {
            txFollow(attachment);
        }
        if ((++txCalls & (HEARTBEAT_EVERY - 1)) == 0) {
            housekeeping(attachment, txCalls);
        }
        TxLink link = links.tx;
        if (link != null) {
            return link.txBurst(attachment.tx, bufs, offset, n);
        }
        return attachment.tx.enqueueBurst(bufs, offset, n);
    }

    /**
     * Tx side: frees {@code n} buffers from {@code bufs[offset..]} that could not be sent and
     * counts them as dropped in the tx ring, where the switch's port statistics read them.
     */
    public void dropTx(int[] bufs, int offset, int n) {
        txAttachment.tx.countDrops(n);
        freeBurst(bufs, offset, n);
    }

    /** {@link #allocBurst(int[], int, int)} into {@code bufs[0..n)}. */
    public int allocBurst(int[] bufs, int n) {
        return allocBurst(bufs, 0, n);
    }

    /**
     * Takes up to {@code n} free buffers of the pool into {@code bufs[offset..]}; returns how
     * many (fewer only when the pool runs dry). Their metadata is whatever the last owner left:
     * {@link PacketBuffer#wrapNew} resets it.
     */
    public int allocBurst(int[] bufs, int offset, int n) {
        Thread thread = Thread.currentThread();
        if (thread == cacheOwner || claimCache(thread)) {
            return cache.allocBurst(bufs, offset, n);
        }
        return pool.allocBurst(bufs, offset, n);
    }

    /** {@link #freeBurst(int[], int, int)} from {@code bufs[0..n)}. */
    public void freeBurst(int[] bufs, int n) {
        freeBurst(bufs, 0, n);
    }

    /** Gives {@code n} buffers from {@code bufs[offset..]} back to the pool. */
    public void freeBurst(int[] bufs, int offset, int n) {
        Thread thread = Thread.currentThread();
        if (thread == cacheOwner || claimCache(thread)) {
            cache.freeBurst(bufs, offset, n);
        } else {
            pool.freeBurst(bufs, offset, n);
        }
    }

    private synchronized boolean claimCache(Thread thread) {
        if (cacheOwner == null) {
            cacheOwner = thread;
        }
        return cacheOwner == thread;
    }

    /** A new flyweight over the pool's buffers: one per thread, re-pointed with {@link PacketBuffer#wrap}. */
    public PacketBuffer newBufferView() {
        return pool.newBufferView();
    }

    // ---- cold paths: heartbeat, region check, re-attach ----

    private void housekeeping(PortAttachment attachment, int calls) {
        attachment.region.control().beatVnfHeartbeat();
        if ((calls & (CLOCK_EVERY - 1)) == 0 && checkIntervalNanos > 0 && System.nanoTime() - nextCheckNanos >= 0) {
            checkRegion();
        }
    }

    /**
     * Looks at the port's file: if it is another file than the one mapped (the switch
     * re-created the region), attaches the new one and installs it for both sides.
     * Called from either polling thread every {@link GuestOptions#regionCheckInterval()}, or by
     * the application; returns whether a new region was installed.
     */
    public synchronized boolean checkRegion() {
        nextCheckNanos = System.nanoTime() + checkIntervalNanos;
        if (closed) {
            return false;
        }
        PortAttachment attachment = current;
        Object key;
        try {
            key = PortAttachment.fileKey(regionFile);
        } catch (IOException e) {
            LOG.warn("port '{}': cannot stat {}: {}", portName, regionFile, e.toString());
            return false;
        }
        // No file: the switch removed the port or is between delete and create; keep what we have.
        if (key == null || key.equals(attachment.fileKey) || key.equals(rejectedFileKey)) {
            return false;
        }
        PortRegion region;
        try {
            region = PortAttachment.mapRegion(portName, regionFile);
        } catch (GuestAttachException e) {
            LOG.warn("port '{}': region was replaced but cannot be attached, staying on generation {}: {}", portName,
                    attachment.generation(), e.getMessage());
            return false;
        }
        if (!PortAttachment.usesPool(region, pool)) {
            LOG.warn("port '{}': the re-created region {} names pool '{}' generation {}, this VNF's buffers belong to"
                            + " {} generation {}: not switching; close the port and attach again", portName, regionFile,
                    region.poolName(), region.poolGeneration(), pool.region().name(), pool.region().generation());
            region.close();
            rejectedFileKey = key;
            poolReplaced = true;
            return false;
        }
        PortAttachment next = PortAttachment.bind(region, pool, key);
        region.control().announceVnf(options.announcedPid(), PortRegionLayout.CONTROL_VERSION, 0);
        retired.add(attachment);
        current = next;
        reattachments++;
        LOG.info("port '{}': the switch re-created {} (generation {} -> {}), re-attached", portName, regionFile,
                attachment.generation(), next.generation());
        return true;
    }

    private void rxFollow(PortAttachment next) {
        // Our own consumer view of the old rx ring is exact: keep reading it until it is empty.
        rxDraining = rxAttachment.rx;
        rxAttachment = next;
    }

    private void txFollow(PortAttachment next) {
        PortAttachment old = txAttachment;
        txAttachment = next;
        // Nobody consumes the old tx ring any more: take what the old switch left in it (a
        // fresh consumer view starts at the published consumer position) and send it first.
        SpscRing leftovers = old.region.txRing(pool);
        int[] burst = new int[64];
        int n;
        while ((n = leftovers.dequeueBurst(burst, 0, burst.length)) > 0 || leftovers.count() > 0) {
            int sent = next.tx.enqueueBurst(burst, 0, n);
            if (sent < n) {
                next.tx.countDrops(n - sent);
                pool.freeBurst(burst, sent, n - sent);
            }
        }
    }

    // ---- observation ----

    public String portName() {
        return portName;
    }

    /** The switch's number for this port (from the port descriptor). */
    public int portNumber() {
        return current.region.portNumber();
    }

    public Path regionFile() {
        return regionFile;
    }

    /** Generation of the port region in use. */
    public long generation() {
        return current.generation();
    }

    /** How many times the shim followed a re-created region. */
    public long reattachments() {
        return reattachments;
    }

    /** Whether the switch re-created the port with another pool (see the class comment). */
    public boolean poolReplaced() {
        return poolReplaced;
    }

    /** Capacity of each ring of the port. */
    public int ringCapacity() {
        return current.region.ringCapacity();
    }

    /** The switch's heartbeat for this port: if it stops changing, nobody serves the port. */
    public long switchHeartbeat() {
        return current.region.control().switchHeartbeat();
    }

    /** This VNF's heartbeat as stored in the control block. */
    public long vnfHeartbeat() {
        return current.region.control().vnfHeartbeat();
    }

    /** Counters of the rx ring in use (allocates; not for the per-packet path). */
    public RingCounters rxCounters() {
        return current.rx.counters();
    }

    /** Counters of the tx ring in use (allocates; not for the per-packet path). */
    public RingCounters txCounters() {
        return current.tx.counters();
    }

    /** Name of the pool whose buffers this port carries. */
    public String poolName() {
        return pool.region().name();
    }

    /** Generation of that pool. */
    public long poolGeneration() {
        return pool.region().generation();
    }

    /** What the direct-link machinery of this port did so far (allocates; not for the per-packet path). */
    public GuestLinkStats linkStats() {
        VnfRegistration r = registration;
        return linkCounters.snapshot(r == null ? 0 : r.ignoredDevices());
    }

    /** Whether the port is registered in the device directory (direct links possible). */
    public boolean directLinksEnabled() {
        return registration != null;
    }

    PacketPool pool() {
        return pool;
    }

    GuestLinkCounters linkCounters() {
        return linkCounters;
    }

    PortLinks links() {
        return links;
    }

    /** Device watcher: the ends this port uses from its next bursts on. */
    void installLinks(PortLinks next) {
        links = next;
    }

    /** Longest frame a freshly reset buffer holds (from the default data offset to the buffer end). */
    public int maxFrameLength() {
        return pool.bufferSize() - pool.defaultDataOffset();
    }

    /**
     * Whether {@code other} carries buffers of the same pool (name and generation), so that a
     * buffer received on one may be sent on the other without a copy.
     */
    public boolean sharesPoolWith(GuestPort other) {
        return pool.region().name().equals(other.pool.region().name())
                && pool.region().generation() == other.pool.region().generation();
    }

    /** Number of buffers in the pool. */
    public int poolBufferCount() {
        return pool.bufferCount();
    }

    /**
     * Withdraws the VNF's announcement (control version 0), returns the cached buffers to the
     * pool and unmaps every region. Call after the polling threads have stopped.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (registration != null) {
            // Hands a transmit side that is on a link back to the switch path (tx_ack = 2) and
            // unmaps the links nobody else in this process uses.
            registration.unregister(this);
        }
        PortAttachment attachment = current;
        attachment.region.control().announceVnf(options.announcedPid(), 0, 0);
        cache.flush();
        for (PortAttachment old : retired) {
            old.region.close();
        }
        attachment.region.close();
        pool.close();
        LOG.info("detached from port '{}' ({})", portName, regionFile);
    }

    @Override
    public String toString() {
        return "guest port '" + portName + "' (" + regionFile + ", generation " + generation() + ")";
    }
}
