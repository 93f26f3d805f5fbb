package io.shunt.datapath.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;

import io.shunt.datapath.buffer.BufferLayout;

/**
 * Single-producer single-consumer ring of 32-bit buffer indices in shared memory, with burst
 * enqueue and dequeue (the {@code dpdkr} port rings and the direct-link rings). Layout:
 * {@link RingLayout}.
 *
 * <p>One thread (in any process) calls the producer methods, one thread the consumer
 * methods; each side keeps its own position and a cached copy of the other side's
 * position in this (process-local) object, so it reads the other side's cache line only
 * when the cached copy says the ring is full (or empty). Caches live here and not in the
 * region because a hostile peer could otherwise rewrite them.
 *
 * <p>Memory order: slots and counters are plain stores, published by the release store of
 * the position; the other side reads the position with acquire before touching slots.
 *
 * <p>The peer is untrusted: a position that cannot be right (the producer claims more than
 * {@code capacity} elements, or fewer than the consumer already took) is counted and
 * treated as "nothing to do"; an index outside the pool is dropped and counted; with a
 * {@link BufferArea}, a buffer whose offset/length overflow is freed and counted. Nothing
 * read from the ring is dereferenced before it is checked.
 */
public final class SpscRing {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final boolean NATIVE_LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    private final MemorySegment ring;
    private final MemorySegment slots;
    private final int capacity;
    private final int mask;
    private final int indexLimit;
    /** The pool this ring's indices name, or null: used only to give back rejected buffers. */
    private final BufferArea pool;
    /** The pool's buffer area (null without a pool), copied here so the burst loops need no call. */
    private final MemorySegment buffers;
    private final long bufferSize;

    // Producer-side state, touched only by the producing thread.
    private long producerPosition;
    private long cachedConsumerPosition;
    private long enqueuedPackets;
    private long enqueuedBytes;
    private long droppedPackets;
    private long producerRejectedPositions;

    // Consumer-side state, touched only by the consuming thread.
    private long consumerPosition;
    private long cachedProducerPosition;
    private long dequeuedPackets;
    private long rejectedIndices;
    private long rejectedLengths;
    private long consumerRejectedPositions;

    private SpscRing(MemorySegment ring, int capacity, int indexLimit, BufferArea buffers) {
        this.ring = ring;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.slots = ring.asSlice(RingLayout.SLOTS_OFFSET, (long) capacity * RingLayout.SLOT_SIZE);
        this.indexLimit = indexLimit;
        this.pool = buffers;
        this.buffers = buffers == null ? null : buffers.buffers();
        this.bufferSize = buffers == null ? 0 : buffers.bufferSize();
        // A restarted producer or consumer continues from what its predecessor published.
        this.producerPosition = (long) LONG.getAcquire(ring, (long) RingLayout.PRODUCER_POSITION_OFFSET);
        this.consumerPosition = (long) LONG.getAcquire(ring, (long) RingLayout.CONSUMER_POSITION_OFFSET);
        this.cachedConsumerPosition = consumerPosition;
        this.cachedProducerPosition = producerPosition;
        this.enqueuedPackets = ring.get(ValueLayout.JAVA_LONG, RingLayout.ENQUEUED_PACKETS_OFFSET);
        this.enqueuedBytes = ring.get(ValueLayout.JAVA_LONG, RingLayout.ENQUEUED_BYTES_OFFSET);
        this.droppedPackets = ring.get(ValueLayout.JAVA_LONG, RingLayout.DROPPED_PACKETS_OFFSET);
        this.producerRejectedPositions = ring.get(ValueLayout.JAVA_LONG, RingLayout.PRODUCER_REJECTED_POSITIONS_OFFSET);
        this.dequeuedPackets = ring.get(ValueLayout.JAVA_LONG, RingLayout.DEQUEUED_PACKETS_OFFSET);
        this.rejectedIndices = ring.get(ValueLayout.JAVA_LONG, RingLayout.REJECTED_INDICES_OFFSET);
        this.rejectedLengths = ring.get(ValueLayout.JAVA_LONG, RingLayout.REJECTED_LENGTHS_OFFSET);
        this.consumerRejectedPositions = ring.get(ValueLayout.JAVA_LONG, RingLayout.CONSUMER_REJECTED_POSITIONS_OFFSET);
    }

    /** Writes the descriptor of an empty SPSC ring of {@code capacity} slots at {@code offset} of a fresh region. */
    public static void format(MemorySegment region, long offset, int capacity) {
        checkCapacity(capacity);
        MemorySegment ring = region.asSlice(offset, RingLayout.length(capacity));
        ring.fill((byte) 0);
        ring.set(ValueLayout.JAVA_INT, RingLayout.CAPACITY_OFFSET, capacity);
        ring.set(ValueLayout.JAVA_INT, RingLayout.TYPE_OFFSET, RingLayout.TYPE_SPSC);
    }

    /**
     * A view of the SPSC ring at {@code offset} of {@code region}, whose descriptor is checked
     * against the {@code available} bytes it may occupy.
     *
     * @param buffers the pool the indices name, or {@code null} for a ring of plain indices
     *                below {@code indexLimit}
     * @throws IllegalStateException if the descriptor is not that of an SPSC ring fitting there
     */
    public static SpscRing attach(MemorySegment region, long offset, long available, int indexLimit, BufferArea buffers) {
        int capacity = RingDescriptor.checkedCapacity(region, offset, available, RingLayout.TYPE_SPSC);
        if (buffers != null && indexLimit != buffers.bufferCount()) {
            throw new IllegalArgumentException("index limit " + indexLimit + " differs from the pool's "
                    + buffers.bufferCount() + " buffers");
        }
        return new SpscRing(region.asSlice(offset, RingLayout.length(capacity)), capacity, indexLimit, buffers);
    }

    /** A view bound to {@code buffers}: indices below its buffer count, bytes counted, metadata checked. */
    public static SpscRing attach(MemorySegment region, long offset, long available, BufferArea buffers) {
        return attach(region, offset, available, buffers.bufferCount(), buffers);
    }

    static void checkCapacity(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two >= 2: " + capacity);
        }
    }

    /**
     * Producer: enqueues up to {@code n} indices from {@code src[offset..]}, as many as fit;
     * returns how many were enqueued (the first ones). Partial bursts are normal when the
     * ring is nearly full; the caller retries or {@link #countDrops drops} the rest.
     */
    public int enqueueBurst(int[] src, int offset, int n) {
        Objects.checkFromIndexSize(offset, n, src.length);
        long tail = producerPosition;
        long free = capacity - (tail - cachedConsumerPosition);
        if (free < n) {
            // Acquire pairs with the consumer's release of its position: the slots it covers
            // have been read and may be overwritten.
            long head = (long) LONG.getAcquire(ring, (long) RingLayout.CONSUMER_POSITION_OFFSET);
            if (head > tail || head < tail - capacity) {
                rejectProducerPosition();
                return 0;
            }
            cachedConsumerPosition = head;
            free = capacity - (tail - head);
            if (free == 0) {
                return 0;
            }
        }
        int count = (int) Math.min(n, free);
        MemorySegment area = buffers;
        long bytes = 0;
        if (area != null) {
            // Our own buffers (allocated or validated by us): a bad index here is our bug and
            // fails before anything is published.
            long stride = bufferSize;
            for (int i = offset, end = offset + count; i < end; i++) {
                bytes += area.get(ValueLayout.JAVA_INT, src[i] * stride + BufferLayout.LENGTH_OFFSET);
            }
        }
        int first = (int) tail & mask;
        int chunk = Math.min(count, capacity - first);
        MemorySegment.copy(src, offset, slots, ValueLayout.JAVA_INT, (long) first * RingLayout.SLOT_SIZE, chunk);
        if (chunk < count) {
            MemorySegment.copy(src, offset + chunk, slots, ValueLayout.JAVA_INT, 0L, count - chunk);
        }
        enqueuedPackets += count;
        ring.set(ValueLayout.JAVA_LONG, RingLayout.ENQUEUED_PACKETS_OFFSET, enqueuedPackets);
        if (area != null) {
            enqueuedBytes += bytes;
            ring.set(ValueLayout.JAVA_LONG, RingLayout.ENQUEUED_BYTES_OFFSET, enqueuedBytes);
        }
        producerPosition = tail + count;
        // Release: the slots and counters above are visible before the new position.
        LONG.setRelease(ring, (long) RingLayout.PRODUCER_POSITION_OFFSET, tail + count);
        return count;
    }

    /**
     * Consumer: dequeues up to {@code max} elements into {@code dst[offset..]} and returns how
     * many valid ones it stored. Invalid elements are consumed too (they leave the ring),
     * counted, and not stored; so a return of 0 does not always mean the ring was empty.
     */
    public int dequeueBurst(int[] dst, int offset, int max) {
        Objects.checkFromIndexSize(offset, max, dst.length);
        long head = consumerPosition;
        long available = cachedProducerPosition - head;
        if (available < max) {
            // Acquire pairs with the producer's release: slots below the position are written.
            long tail = (long) LONG.getAcquire(ring, (long) RingLayout.PRODUCER_POSITION_OFFSET);
            if (tail < head || tail - head > capacity) {
                rejectConsumerPosition();
                return 0;
            }
            cachedProducerPosition = tail;
            available = tail - head;
            if (available == 0) {
                return 0;
            }
        }
        int count = (int) Math.min(max, available);
        int first = (int) head & mask;
        int chunk = Math.min(count, capacity - first);
        MemorySegment.copy(slots, ValueLayout.JAVA_INT, (long) first * RingLayout.SLOT_SIZE, dst, offset, chunk);
        if (chunk < count) {
            MemorySegment.copy(slots, ValueLayout.JAVA_INT, 0L, dst, offset + chunk, count - chunk);
        }
        int valid = validate(dst, offset, count);
        dequeuedPackets += valid;
        ring.set(ValueLayout.JAVA_LONG, RingLayout.DEQUEUED_PACKETS_OFFSET, dequeuedPackets);
        consumerPosition = head + count;
        // Release: our reads of the slots happen before the producer may overwrite them.
        LONG.setRelease(ring, (long) RingLayout.CONSUMER_POSITION_OFFSET, head + count);
        return valid;
    }

    /**
     * Drops and counts what a peer wrote that we must not use; compacts the rest in place.
     * An index is checked (unsigned) before it addresses anything; a buffer's data offset
     * and length are read once and checked against the buffer's own end.
     */
    private int validate(int[] dst, int offset, int count) {
        int limit = indexLimit;
        MemorySegment area = buffers;
        long stride = bufferSize;
        int write = offset;
        for (int i = offset, end = offset + count; i < end; i++) {
            int index = dst[i];
            if (Integer.compareUnsigned(index, limit) >= 0) {
                rejectIndex();
                continue;
            }
            if (area != null) {
                // Length and data offset are adjacent ints: one 8-byte read takes both (one
                // bounds check instead of two), then each is checked against the buffer end.
                long lengthAndOffset = area.get(ValueLayout.JAVA_LONG, index * stride + BufferLayout.LENGTH_OFFSET);
                int length = (int) (NATIVE_LITTLE_ENDIAN ? lengthAndOffset : lengthAndOffset >>> 32);
                int dataOffset = (int) (NATIVE_LITTLE_ENDIAN ? lengthAndOffset >>> 32 : lengthAndOffset);
                if (dataOffset < BufferLayout.METADATA_LENGTH || length < 0 || length > stride - dataOffset) {
                    rejectLength(index);
                    continue;
                }
            }
            dst[write++] = index;
        }
        return write - offset;
    }

    private void rejectIndex() {
        rejectedIndices++;
        ring.set(ValueLayout.JAVA_LONG, RingLayout.REJECTED_INDICES_OFFSET, rejectedIndices);
    }

    private void rejectLength(int index) {
        rejectedLengths++;
        ring.set(ValueLayout.JAVA_LONG, RingLayout.REJECTED_LENGTHS_OFFSET, rejectedLengths);
        pool.release(index);
    }

    private void rejectProducerPosition() {
        producerRejectedPositions++;
        ring.set(ValueLayout.JAVA_LONG, RingLayout.PRODUCER_REJECTED_POSITIONS_OFFSET, producerRejectedPositions);
    }

    private void rejectConsumerPosition() {
        consumerRejectedPositions++;
        ring.set(ValueLayout.JAVA_LONG, RingLayout.CONSUMER_REJECTED_POSITIONS_OFFSET, consumerRejectedPositions);
    }

    /** Producer: counts {@code n} packets it gave up on (freed instead of enqueued). */
    public void countDrops(int n) {
        droppedPackets += n;
        ring.set(ValueLayout.JAVA_LONG, RingLayout.DROPPED_PACKETS_OFFSET, droppedPackets);
    }

    /** Producer: free slots as last seen (exact when the consumer is idle). */
    public int freeCount() {
        long head = (long) LONG.getAcquire(ring, (long) RingLayout.CONSUMER_POSITION_OFFSET);
        long used = producerPosition - head;
        return used < 0 || used > capacity ? 0 : (int) (capacity - used);
    }

    /** Anyone: elements in the ring as seen now (0 if the positions are inconsistent). */
    public int count() {
        long used = producerPosition() - consumerPosition();
        return used < 0 || used > capacity ? 0 : (int) used;
    }

    public int capacity() {
        return capacity;
    }

    /** Anyone: the producer's published position (elements ever enqueued). */
    public long producerPosition() {
        return (long) LONG.getAcquire(ring, (long) RingLayout.PRODUCER_POSITION_OFFSET);
    }

    /** Anyone: the consumer's published position (elements ever dequeued). */
    public long consumerPosition() {
        return (long) LONG.getAcquire(ring, (long) RingLayout.CONSUMER_POSITION_OFFSET);
    }

    /**
     * Producer: its own position (what it enqueued so far), from this object, not from the
     * shared word: a peer that rewrites the word cannot change it.
     */
    public long producedPosition() {
        return producerPosition;
    }

    /** Consumer: its own position (what it dequeued so far), from this object, not from the shared word. */
    public long consumedPosition() {
        return consumerPosition;
    }

    /** Anyone: a snapshot of the counters in shared memory (allocates; not for hot paths). */
    public RingCounters counters() {
        return RingCounters.read(ring);
    }

    /** The ring's bytes, for observers and tests. */
    public MemorySegment segment() {
        return ring;
    }
}
