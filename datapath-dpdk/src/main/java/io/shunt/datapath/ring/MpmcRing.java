package io.shunt.datapath.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * Multi-producer multi-consumer ring of 32-bit indices in shared memory, with burst
 * enqueue and dequeue: the free-buffer ring of a pool, used by every thread of every
 * process of a trust domain. Layout: {@link RingLayout}.
 *
 * <p>The scheme is DPDK's: a side first reserves a span of positions with a CAS on its
 * reserve word, copies the slots, then waits until the position word reaches the start of
 * its span (earlier reservations have published) and release-stores the end of its span.
 * The other side reads the position word with acquire.
 *
 * <p>Publication is a CAS of the position word from the span start to its end, not a
 * store, so that a span can be <em>abandoned</em>: a process that dies between its CAS on
 * the reserve word and its publication would otherwise wedge that side of the ring for
 * good (DPDK's rings are wedged so). A waiter that has seen the position stand still
 * behind its own span for {@link #ABANDON_NANOS} takes the spans in between for dead: on
 * the producer side it fills their slots with {@link #HOLE} (consumers skip holes), then
 * it CASes the position to its own start and counts the slots. A dequeue span taken over
 * is simply skipped (its buffers are lost, as those of any process that dies holding
 * them). If the owner was only stalled, not dead, its late publication CAS fails: a late
 * dequeue returns nothing (the slots may have been refilled since), a late enqueue's
 * values may be lost. Nothing is ever handed out twice. The waiting thread backs off
 * (spin, yield, park) so it does not starve others while it waits.
 *
 * <p>Untrusted positions: a position that cannot be right is counted; a dequeued index at
 * or above the index limit is dropped and counted.
 */
public final class MpmcRing {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    /** Retries of a reservation that keeps seeing impossible positions before giving up. */
    private static final int INCONSISTENT_READS_LIMIT = 16;
    /**
     * How long the position may stand still behind a waiting span before the spans holding
     * it up are taken for abandoned. An operation holds a span for well under a microsecond;
     * a second is a stall no live process shows but a dead one.
     */
    public static final long ABANDON_NANOS = 1_000_000_000L;
    /** What an abandoned enqueue span's slots are filled with: names no buffer, skipped by consumers. */
    public static final int HOLE = -1;

    private final MemorySegment ring;
    private final MemorySegment slots;
    private final int capacity;
    private final int mask;
    private final int indexLimit;

    private MpmcRing(MemorySegment ring, int capacity, int indexLimit) {
        this.ring = ring;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.slots = ring.asSlice(RingLayout.SLOTS_OFFSET, (long) capacity * RingLayout.SLOT_SIZE);
        this.indexLimit = indexLimit;
    }

    /** Writes the descriptor of an empty MPMC ring of {@code capacity} slots at {@code offset} of a fresh region. */
    public static void format(MemorySegment region, long offset, int capacity) {
        SpscRing.checkCapacity(capacity);
        MemorySegment ring = region.asSlice(offset, RingLayout.length(capacity));
        ring.fill((byte) 0);
        ring.set(ValueLayout.JAVA_INT, RingLayout.CAPACITY_OFFSET, capacity);
        ring.set(ValueLayout.JAVA_INT, RingLayout.TYPE_OFFSET, RingLayout.TYPE_MPMC);
    }

    /**
     * A view of the MPMC ring at {@code offset}; dequeued values at or above
     * {@code indexLimit} (unsigned) are dropped and counted.
     *
     * @throws IllegalArgumentException if the descriptor is not that of an MPMC ring fitting there
     */
    public static MpmcRing attach(MemorySegment region, long offset, long available, int indexLimit) {
        int capacity = RingDescriptor.checkedCapacity(region, offset, available, RingLayout.TYPE_MPMC);
        return new MpmcRing(region.asSlice(offset, RingLayout.length(capacity)), capacity, indexLimit);
    }

    /** Enqueues up to {@code n} values from {@code src[offset..]}; returns how many (the first ones). */
    public int enqueueBurst(int[] src, int offset, int n) {
        Objects.checkFromIndexSize(offset, n, src.length);
        if (n == 0) {
            return 0;
        }
        long start;
        int count;
        int inconsistent = 0;
        while (true) {
            start = (long) LONG.getVolatile(ring, (long) RingLayout.PRODUCER_RESERVE_OFFSET);
            // Acquire pairs with consumers' release of their position: those slots were read.
            long consumed = (long) LONG.getAcquire(ring, (long) RingLayout.CONSUMER_POSITION_OFFSET);
            long free = capacity - (start - consumed);
            if (free < 0 || free > capacity) {
                // Either a racing reservation moved on (retry), or the words are corrupt.
                if (++inconsistent >= INCONSISTENT_READS_LIMIT) {
                    countRejectedPosition(RingLayout.PRODUCER_REJECTED_POSITIONS_OFFSET);
                    return 0;
                }
                continue;
            }
            if (free == 0) {
                return 0;
            }
            count = (int) Math.min(n, free);
            if (LONG.compareAndSet(ring, (long) RingLayout.PRODUCER_RESERVE_OFFSET, start, start + count)) {
                break;
            }
        }
        copyIn(src, offset, start, count);
        // Taken over or not, the values have left the caller's hands (see the class comment).
        publish(true, start, count);
        return count;
    }

    /** Enqueues one value; returns false if the ring is full (or its positions are corrupt). */
    public boolean enqueue(int value) {
        int inconsistent = 0;
        while (true) {
            long start = (long) LONG.getVolatile(ring, (long) RingLayout.PRODUCER_RESERVE_OFFSET);
            long consumed = (long) LONG.getAcquire(ring, (long) RingLayout.CONSUMER_POSITION_OFFSET);
            long free = capacity - (start - consumed);
            if (free < 0 || free > capacity) {
                if (++inconsistent >= INCONSISTENT_READS_LIMIT) {
                    countRejectedPosition(RingLayout.PRODUCER_REJECTED_POSITIONS_OFFSET);
                    return false;
                }
                continue;
            }
            if (free == 0) {
                return false;
            }
            if (LONG.compareAndSet(ring, (long) RingLayout.PRODUCER_RESERVE_OFFSET, start, start + 1)) {
                slots.set(ValueLayout.JAVA_INT, (long) ((int) start & mask) * RingLayout.SLOT_SIZE, value);
                publish(true, start, 1);
                return true;
            }
        }
    }

    /**
     * Dequeues up to {@code max} values into {@code dst[offset..]}; returns how many valid
     * ones it stored (invalid ones are consumed, counted and not stored).
     */
    public int dequeueBurst(int[] dst, int offset, int max) {
        Objects.checkFromIndexSize(offset, max, dst.length);
        if (max == 0) {
            return 0;
        }
        long start;
        int count;
        int inconsistent = 0;
        while (true) {
            start = (long) LONG.getVolatile(ring, (long) RingLayout.CONSUMER_RESERVE_OFFSET);
            // Acquire pairs with producers' release of their position: those slots are written.
            long produced = (long) LONG.getAcquire(ring, (long) RingLayout.PRODUCER_POSITION_OFFSET);
            long available = produced - start;
            if (available < 0 || available > capacity) {
                if (++inconsistent >= INCONSISTENT_READS_LIMIT) {
                    countRejectedPosition(RingLayout.CONSUMER_REJECTED_POSITIONS_OFFSET);
                    return 0;
                }
                continue;
            }
            if (available == 0) {
                return 0;
            }
            count = (int) Math.min(max, available);
            if (LONG.compareAndSet(ring, (long) RingLayout.CONSUMER_RESERVE_OFFSET, start, start + count)) {
                break;
            }
        }
        int first = (int) start & mask;
        int chunk = Math.min(count, capacity - first);
        MemorySegment.copy(slots, ValueLayout.JAVA_INT, (long) first * RingLayout.SLOT_SIZE, dst, offset, chunk);
        if (chunk < count) {
            MemorySegment.copy(slots, ValueLayout.JAVA_INT, 0L, dst, offset + chunk, count - chunk);
        }
        if (!publish(false, start, count)) {
            // Taken for abandoned while we stalled: producers may have refilled those slots since.
            return 0;
        }
        int write = offset;
        for (int i = offset, end = offset + count; i < end; i++) {
            int value = dst[i];
            if (value == HOLE) {
                continue;
            }
            if (Integer.compareUnsigned(value, indexLimit) >= 0) {
                LONG.getAndAdd(ring, (long) RingLayout.REJECTED_INDICES_OFFSET, 1L);
                continue;
            }
            dst[write++] = value;
        }
        return write - offset;
    }

    private void copyIn(int[] src, int offset, long start, int count) {
        int first = (int) start & mask;
        int chunk = Math.min(count, capacity - first);
        MemorySegment.copy(src, offset, slots, ValueLayout.JAVA_INT, (long) first * RingLayout.SLOT_SIZE, chunk);
        if (chunk < count) {
            MemorySegment.copy(src, offset + chunk, slots, ValueLayout.JAVA_INT, 0L, count - chunk);
        }
    }

    /**
     * Waits for the spans reserved before ours to be published, then publishes ours with a
     * CAS; returns false if ours was taken for abandoned meanwhile. A position beyond every
     * reservation cannot come from a well-behaved peer: it is counted and overwritten so
     * this side keeps moving.
     */
    private boolean publish(boolean producerSide, long start, int count) {
        long positionOffset = producerSide ? RingLayout.PRODUCER_POSITION_OFFSET : RingLayout.CONSUMER_POSITION_OFFSET;
        long reserveOffset = producerSide ? RingLayout.PRODUCER_RESERVE_OFFSET : RingLayout.CONSUMER_RESERVE_OFFSET;
        BackOff backOff = null;
        long waitedOn = 0;
        long waitingSince = 0;
        while (true) {
            long published = (long) LONG.getAcquire(ring, positionOffset);
            if (published == start) {
                // Release (a CAS is a full fence): our slot stores (or loads) happen before the
                // other side sees the new position.
                if (LONG.compareAndSet(ring, positionOffset, start, start + count)) {
                    return true;
                }
                continue;
            }
            if (published > start && published <= (long) LONG.getVolatile(ring, reserveOffset)) {
                return false;
            }
            if (published > start || published < start - capacity) {
                countRejectedPosition(producerSide ? RingLayout.PRODUCER_REJECTED_POSITIONS_OFFSET
                        : RingLayout.CONSUMER_REJECTED_POSITIONS_OFFSET);
                LONG.setRelease(ring, positionOffset, start + count);
                return true;
            }
            // Earlier spans are in flight: rare, and off the fast path.
            long now = System.nanoTime();
            if (backOff == null || published != waitedOn) {
                backOff = backOff == null ? BackOff.standard() : backOff;
                waitedOn = published;
                waitingSince = now;
            } else if (now - waitingSince >= ABANDON_NANOS) {
                takeOver(producerSide, published, start);
                continue;
            }
            backOff.idle();
        }
    }

    /** Takes the unpublished spans in {@code [from, to)} for abandoned (see the class comment). */
    private void takeOver(boolean producerSide, long from, long to) {
        long positionOffset = producerSide ? RingLayout.PRODUCER_POSITION_OFFSET : RingLayout.CONSUMER_POSITION_OFFSET;
        if (producerSide) {
            // Before the CAS: consumers must never read what an earlier lap left in these slots.
            for (long p = from; p < to; p++) {
                slots.set(ValueLayout.JAVA_INT, (long) ((int) p & mask) * RingLayout.SLOT_SIZE, HOLE);
            }
        }
        if (LONG.compareAndSet(ring, positionOffset, from, to)) {
            LONG.getAndAdd(ring, producerSide ? (long) RingLayout.PRODUCER_ABANDONED_SLOTS_OFFSET
                    : (long) RingLayout.CONSUMER_ABANDONED_SLOTS_OFFSET, to - from);
        }
    }

    private void countRejectedPosition(long offset) {
        LONG.getAndAdd(ring, offset, 1L);
    }

    /** Elements in the ring as seen now (0 if the positions are inconsistent). */
    public int count() {
        long produced = (long) LONG.getAcquire(ring, (long) RingLayout.PRODUCER_POSITION_OFFSET);
        long consumed = (long) LONG.getAcquire(ring, (long) RingLayout.CONSUMER_POSITION_OFFSET);
        long used = produced - consumed;
        return used < 0 || used > capacity ? 0 : (int) used;
    }

    /** Free slots as seen now. */
    public int freeCount() {
        return capacity - count();
    }

    public int capacity() {
        return capacity;
    }

    /** Values dequeued and dropped because they were at or above the index limit. */
    public long rejectedIndices() {
        return (long) LONG.getOpaque(ring, (long) RingLayout.REJECTED_INDICES_OFFSET);
    }

    /** Impossible positions seen by producers and consumers. */
    public long rejectedPositions() {
        return (long) LONG.getOpaque(ring, (long) RingLayout.PRODUCER_REJECTED_POSITIONS_OFFSET)
                + (long) LONG.getOpaque(ring, (long) RingLayout.CONSUMER_REJECTED_POSITIONS_OFFSET);
    }

    /** Slots of stalled spans taken for abandoned, producer side (filled with holes) and consumer side (skipped). */
    public long abandonedSlots() {
        return (long) LONG.getOpaque(ring, (long) RingLayout.PRODUCER_ABANDONED_SLOTS_OFFSET)
                + (long) LONG.getOpaque(ring, (long) RingLayout.CONSUMER_ABANDONED_SLOTS_OFFSET);
    }
}
