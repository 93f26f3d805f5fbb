package io.shunt.datapath.engine;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The MAC learning table of one bridge, for {@link DpAction.Normal}: source address to
 * port, with aging. Fixed size, open-addressed by hash with no chaining: a learning table
 * is a cache (an address it forgot is flooded, as an unknown one is), so a collision
 * simply replaces the older entry.
 *
 * <p>Lock-free and allocation-free for PMD threads. Each slot is two longs, the address
 * and (port, time); a reader checks the address word again after reading the port word,
 * so a torn pair from a concurrent update is seen as a miss, never as a wrong port.
 */
public final class MacLearningTable {
    private static final long EMPTY = -1L;

    private final AtomicLongArray slots;
    private final int mask;
    private final long agingNanos;

    /** @param entries a power of two */
    public MacLearningTable(int entries, long agingNanos) {
        if (entries < 2 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("learning table size must be a power of two >= 2: " + entries);
        }
        this.slots = new AtomicLongArray(entries * 2);
        for (int i = 0; i < entries; i++) {
            slots.set(2 * i, EMPTY);
        }
        this.mask = entries - 1;
        this.agingNanos = agingNanos;
    }

    private int slot(long mac) {
        long h = mac * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** Learns that {@code mac} is behind {@code portNo}. Group addresses are not learned. */
    public void learn(long mac, int portNo, long nowNanos) {
        if ((mac & 0x0100_0000_0000L) != 0) {
            return;
        }
        int s = 2 * slot(mac);
        long value = ((long) portNo << 32) | ((nowNanos >>> 20) & 0xffff_ffffL);
        if (slots.getOpaque(s) == mac && (slots.getOpaque(s + 1) >>> 32) == (portNo & 0xffff_ffffL)
                && ((nowNanos >>> 20) - (slots.getOpaque(s + 1) & 0xffff_ffffL)) < (1L << 10)) {
            return;  // fresh enough (about a second): skip the store, keep the cache line shared
        }
        slots.setOpaque(s, EMPTY);
        slots.setOpaque(s + 1, value);
        // Release: the value is visible before the address that validates it.
        slots.setRelease(s, mac);
    }

    /**
     * What {@link #lookup} answers for an address it does not know: OFPP_ANY's value, which no
     * port has. Compare with it, not with 0: LOCAL's number (0xfffffffe) is negative too.
     */
    public static final int UNKNOWN = -1;

    /** The port {@code mac} was learned on, or {@link #UNKNOWN} (unknown, aged out, or a group address). */
    public int lookup(long mac, long nowNanos) {
        if ((mac & 0x0100_0000_0000L) != 0) {
            return UNKNOWN;
        }
        int s = 2 * slot(mac);
        if (slots.getAcquire(s) != mac) {
            return UNKNOWN;
        }
        long value = slots.getAcquire(s + 1);
        if (slots.getAcquire(s) != mac) {
            return UNKNOWN;
        }
        long age = ((nowNanos >>> 20) - (value & 0xffff_ffffL)) & 0xffff_ffffL;
        if (age << 20 > agingNanos) {
            return UNKNOWN;
        }
        return (int) (value >>> 32);
    }

    /** Forgets every address learned on {@code portNo} (the port went away). Control thread. */
    public void forgetPort(int portNo) {
        for (int i = 0; i <= mask; i++) {
            if ((slots.get(2 * i + 1) >>> 32) == (portNo & 0xffff_ffffL)) {
                slots.set(2 * i, EMPTY);
            }
        }
    }
}
