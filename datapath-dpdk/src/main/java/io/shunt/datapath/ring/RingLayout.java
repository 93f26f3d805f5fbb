package io.shunt.datapath.ring;

/**
 * Byte layout of one ring of 32-bit buffer indices, relative to the ring's base offset
 * (128-byte aligned). docs/shm-layout.md mirrors it.
 *
 * <p>Positions are 64-bit counts of elements ever moved (they never wrap in practice); a
 * slot is {@code position & (capacity - 1)}. The descriptor, the producer's words and the
 * consumer's words each own two cache lines: two, because the adjacent-line prefetcher
 * pulls lines in pairs, and a producer store must not steal the consumer's line.
 *
 * <p>Counters sit on the line of the side that maintains them, are written with plain
 * stores before that side's release store of its position (so they are published with
 * it), and can be read by a third party (the switch, for statistics) at any time.
 */
public final class RingLayout {
    /** Ring type code stored in the descriptor: single producer, single consumer. */
    public static final int TYPE_SPSC = 1;
    /** Ring type code stored in the descriptor: multi-producer, multi-consumer. */
    public static final int TYPE_MPMC = 2;
    /** Bytes per slot: one 32-bit buffer index. */
    public static final int SLOT_SIZE = Integer.BYTES;
    /** Alignment of a ring's base and of each block: two cache lines. */
    public static final int BLOCK = 128;

    public static final int CAPACITY_OFFSET;
    public static final int TYPE_OFFSET;
    public static final int PRODUCER_RESERVE_OFFSET;
    public static final int PRODUCER_POSITION_OFFSET;
    public static final int ENQUEUED_PACKETS_OFFSET;
    public static final int ENQUEUED_BYTES_OFFSET;
    public static final int DROPPED_PACKETS_OFFSET;
    public static final int PRODUCER_REJECTED_POSITIONS_OFFSET;
    public static final int PRODUCER_ABANDONED_SLOTS_OFFSET;
    public static final int CONSUMER_RESERVE_OFFSET;
    public static final int CONSUMER_POSITION_OFFSET;
    public static final int DEQUEUED_PACKETS_OFFSET;
    public static final int REJECTED_INDICES_OFFSET;
    public static final int REJECTED_LENGTHS_OFFSET;
    public static final int CONSUMER_REJECTED_POSITIONS_OFFSET;
    public static final int CONSUMER_ABANDONED_SLOTS_OFFSET;
    public static final int SLOTS_OFFSET;

    static {
        int offset = 0;
        // Descriptor block: written once by the region creator, read-only afterwards.
        CAPACITY_OFFSET = offset;                  // int: slot count, a power of two
        offset += Integer.BYTES;
        TYPE_OFFSET = offset;                      // int: TYPE_SPSC or TYPE_MPMC
        offset += Integer.BYTES;
        offset = BLOCK;                            // rest of the two lines reserved, zero

        // Producer block: written only by the producer(s).
        PRODUCER_RESERVE_OFFSET = offset;          // long: MPMC only, next position to reserve (CAS)
        offset += Long.BYTES;
        PRODUCER_POSITION_OFFSET = offset;         // long: slots below are written (release store)
        offset += Long.BYTES;
        ENQUEUED_PACKETS_OFFSET = offset;          // long: SPSC only, packets enqueued
        offset += Long.BYTES;
        ENQUEUED_BYTES_OFFSET = offset;            // long: SPSC with a pool, bytes of those packets
        offset += Long.BYTES;
        DROPPED_PACKETS_OFFSET = offset;           // long: packets the producer gave up on (ring full)
        offset += Long.BYTES;
        PRODUCER_REJECTED_POSITIONS_OFFSET = offset; // long: times the consumer position read was impossible
        offset += Long.BYTES;
        PRODUCER_ABANDONED_SLOTS_OFFSET = offset;  // long: MPMC only, slots of stalled enqueue spans taken over (holes)
        offset += Long.BYTES;
        offset = 2 * BLOCK;                        // rest reserved, zero

        // Consumer block: written only by the consumer(s).
        CONSUMER_RESERVE_OFFSET = offset;          // long: MPMC only, next position to reserve (CAS)
        offset += Long.BYTES;
        CONSUMER_POSITION_OFFSET = offset;         // long: slots below are free again (release store)
        offset += Long.BYTES;
        DEQUEUED_PACKETS_OFFSET = offset;          // long: SPSC only, valid packets handed to the consumer
        offset += Long.BYTES;
        REJECTED_INDICES_OFFSET = offset;          // long: slots holding an index outside the pool (dropped)
        offset += Long.BYTES;
        REJECTED_LENGTHS_OFFSET = offset;          // long: buffers whose data offset/length overflow (freed)
        offset += Long.BYTES;
        CONSUMER_REJECTED_POSITIONS_OFFSET = offset; // long: times the producer position read was impossible
        offset += Long.BYTES;
        CONSUMER_ABANDONED_SLOTS_OFFSET = offset;  // long: MPMC only, slots of stalled dequeue spans taken over (skipped)
        offset += Long.BYTES;
        offset = 3 * BLOCK;                        // rest reserved, zero

        SLOTS_OFFSET = offset;                     // capacity * int: buffer indices
    }

    private RingLayout() {
    }

    /** Bytes a ring of {@code capacity} slots occupies, rounded up to {@link #BLOCK}. */
    public static long length(int capacity) {
        return alignUp(SLOTS_OFFSET + (long) capacity * SLOT_SIZE, BLOCK);
    }

    static long alignUp(long value, int alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
