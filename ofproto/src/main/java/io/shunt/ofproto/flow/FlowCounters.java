package io.shunt.ofproto.flow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Packet and byte counters of one flow entry and the time it was last used,
 * shared by the successive versions of the entry (a modify keeps its
 * counters unless OFPFF_RESET_COUNTS). Updated by datapath threads with
 * atomic adds (several PMD threads may hit one entry); read by the control
 * thread for statistics and idle timeouts.
 */
public final class FlowCounters {
    private static final VarHandle PACKETS;
    private static final VarHandle BYTES;
    private static final VarHandle LAST_USED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PACKETS = l.findVarHandle(FlowCounters.class, "packets", long.class);
            BYTES = l.findVarHandle(FlowCounters.class, "bytes", long.class);
            LAST_USED = l.findVarHandle(FlowCounters.class, "lastUsedNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") private volatile long packets;
    @SuppressWarnings("unused") private volatile long bytes;
    @SuppressWarnings("unused") private volatile long lastUsedNanos;

    public FlowCounters(long nowNanos) {
        lastUsedNanos = nowNanos;
    }

    /** Counts traffic that hit the entry; any thread, lock-free. */
    public void add(long packetCount, long byteCount, long nowNanos) {
        PACKETS.getAndAdd(this, packetCount);
        BYTES.getAndAdd(this, byteCount);
        // Last-used only moves forward; a racing older timestamp may lose, which only shortens idle time by that race.
        if ((long) LAST_USED.getOpaque(this) < nowNanos) LAST_USED.setOpaque(this, nowNanos);
    }

    public long packets() {
        return (long) PACKETS.getVolatile(this);
    }

    public long bytes() {
        return (long) BYTES.getVolatile(this);
    }

    public long lastUsedNanos() {
        return (long) LAST_USED.getVolatile(this);
    }

    /** OFPFF_RESET_COUNTS: zeroes packets and bytes (control thread). */
    void reset() {
        PACKETS.setVolatile(this, 0L);
        BYTES.setVolatile(this, 0L);
    }
}
