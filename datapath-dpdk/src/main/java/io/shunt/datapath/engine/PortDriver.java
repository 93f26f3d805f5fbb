package io.shunt.datapath.engine;

/**
 * One switch port as the forwarding engine sees it: a small table of operations, as a
 * DPDK {@code rte_eth_dev} is. The engine knows buffer indices of the bridge's pool, not
 * what carries them; {@code dpdkr} ({@link DpdkrPort}) is the first driver, and
 * afpacket, internal and patch ports plug in behind the same calls.
 *
 * <p>Threading: {@link #rxBurst} is called by the one PMD thread that owns the port
 * (single consumer). {@link #txBurst} may be called by every PMD thread of the bridge: a
 * driver whose transmit queue is single-producer serialises it (see {@link DpdkrPort}).
 * The counters may be read from any thread.
 */
public interface PortDriver extends AutoCloseable {

    /** OpenFlow port number. */
    int portNo();

    /** Interface name, as configured. */
    String name();

    /**
     * Receives up to {@code max} packets (pool buffer indices) into {@code dst[0..)}; returns
     * how many. Indices are validated (they name a buffer of the pool, length and offset fit
     * the buffer); invalid ones are counted as receive errors and never returned.
     */
    int rxBurst(int[] dst, int max);

    /**
     * Transmits {@code src[offset..offset+n)}; returns how many were queued (the first
     * ones). The caller frees the rest and reports them with {@link #countTxDrops}.
     */
    int txBurst(int[] src, int offset, int n);

    /**
     * Called by the PMD thread that owns the port once per poll round, after the round's
     * output batches were flushed (whether or not the port received anything): what a driver
     * that must publish something after its packets left the switch hooks into (the fence of
     * a direct link, {@link LinkTxGate}). Must not allocate or block.
     */
    default void afterBurstFlushed() {
    }

    /** Counts packets the engine dropped on their way out of this port. */
    void countTxDrops(int n);

    /** Whether the link is up (a dpdkr port: the region is mapped). */
    boolean linkUp();

    /** A snapshot of the port's counters (allocates; not for the packet path). */
    PortStats stats();

    /** Releases the port's resources (the shared-memory mapping). Called once no PMD uses it. */
    @Override
    void close();
}
