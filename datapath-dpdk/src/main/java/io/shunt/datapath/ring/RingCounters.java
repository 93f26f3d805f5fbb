package io.shunt.datapath.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A snapshot of one ring's counters, as a third party (the switch's statistics) reads them.
 * Each side's counters are read after an acquire of that side's position, so they are at
 * least as new as the position read.
 *
 * @param producerPosition        elements ever enqueued
 * @param consumerPosition        elements ever dequeued (valid or rejected)
 * @param enqueuedPackets         packets the producer enqueued
 * @param enqueuedBytes           their bytes (rings bound to a pool)
 * @param droppedPackets          packets the producer gave up on
 * @param dequeuedPackets         valid packets the consumer took
 * @param rejectedIndices         elements naming no buffer of the pool
 * @param rejectedLengths         buffers whose data offset/length overflow
 * @param rejectedPositions       impossible positions seen by either side
 */
public record RingCounters(long producerPosition, long consumerPosition, long enqueuedPackets, long enqueuedBytes,
                           long droppedPackets, long dequeuedPackets, long rejectedIndices, long rejectedLengths,
                           long rejectedPositions) {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    static RingCounters read(MemorySegment ring) {
        long producer = (long) LONG.getAcquire(ring, (long) RingLayout.PRODUCER_POSITION_OFFSET);
        long enqueued = (long) LONG.getOpaque(ring, (long) RingLayout.ENQUEUED_PACKETS_OFFSET);
        long bytes = (long) LONG.getOpaque(ring, (long) RingLayout.ENQUEUED_BYTES_OFFSET);
        long dropped = (long) LONG.getOpaque(ring, (long) RingLayout.DROPPED_PACKETS_OFFSET);
        long producerRejected = (long) LONG.getOpaque(ring, (long) RingLayout.PRODUCER_REJECTED_POSITIONS_OFFSET);
        long consumer = (long) LONG.getAcquire(ring, (long) RingLayout.CONSUMER_POSITION_OFFSET);
        long dequeued = (long) LONG.getOpaque(ring, (long) RingLayout.DEQUEUED_PACKETS_OFFSET);
        long indices = (long) LONG.getOpaque(ring, (long) RingLayout.REJECTED_INDICES_OFFSET);
        long lengths = (long) LONG.getOpaque(ring, (long) RingLayout.REJECTED_LENGTHS_OFFSET);
        long consumerRejected = (long) LONG.getOpaque(ring, (long) RingLayout.CONSUMER_REJECTED_POSITIONS_OFFSET);
        return new RingCounters(producer, consumer, enqueued, bytes, dropped, dequeued, indices, lengths,
                producerRejected + consumerRejected);
    }

    /** Every element the consumer refused. */
    public long rejected() {
        return rejectedIndices + rejectedLengths;
    }
}
