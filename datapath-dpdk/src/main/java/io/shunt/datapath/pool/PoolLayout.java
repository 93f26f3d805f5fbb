package io.shunt.datapath.pool;

import io.shunt.datapath.region.RegionHeaderLayout;
import io.shunt.datapath.ring.RingLayout;

/**
 * Byte layout of a pool region (offsets from the region start): header, pool descriptor,
 * free-buffer ring (MPMC), then the page-aligned buffer area. docs/shm-layout.md mirrors it.
 */
public final class PoolLayout {
    /** Version of this layout, checked on attach. */
    public static final int VERSION = 1;
    /** Layout table names. */
    public static final String DESCRIPTOR_ENTRY = "pool";
    public static final String FREE_RING_ENTRY = "free";
    public static final String BUFFERS_ENTRY = "buffers";

    public static final int DESCRIPTOR_OFFSET;
    /** Within the descriptor: number of buffers (int). */
    public static final int BUFFER_COUNT_OFFSET;
    /** Within the descriptor: buffer stride in bytes, a multiple of 64 (int). */
    public static final int BUFFER_SIZE_OFFSET;
    /** Within the descriptor: BufferLayout.METADATA_LENGTH at creation (int). */
    public static final int METADATA_LENGTH_OFFSET;
    /** Within the descriptor: headroom in bytes (int). */
    public static final int HEADROOM_OFFSET;
    /** Within the descriptor: data room in bytes (int). */
    public static final int DATA_ROOM_OFFSET;
    /** Within the descriptor: frees that found the free ring full: a buffer freed twice (long, atomic add). */
    public static final int FREE_OVERFLOWS_OFFSET;
    public static final int DESCRIPTOR_LENGTH;
    public static final int FREE_RING_OFFSET;

    static {
        int offset = RegionHeaderLayout.HEADER_LENGTH;
        DESCRIPTOR_OFFSET = offset;   // 128 bytes: written once by the creator, except FREE_OVERFLOWS
        int field = 0;
        BUFFER_COUNT_OFFSET = field;
        field += Integer.BYTES;
        BUFFER_SIZE_OFFSET = field;
        field += Integer.BYTES;
        METADATA_LENGTH_OFFSET = field;
        field += Integer.BYTES;
        HEADROOM_OFFSET = field;
        field += Integer.BYTES;
        DATA_ROOM_OFFSET = field;
        field += Integer.BYTES;
        field += Integer.BYTES;       // reserved, zero
        field = 64;                   // second line: the one word written after creation
        FREE_OVERFLOWS_OFFSET = field;
        DESCRIPTOR_LENGTH = RingLayout.BLOCK;
        offset += DESCRIPTOR_LENGTH;
        FREE_RING_OFFSET = offset;    // MPMC ring, capacity = buffer count rounded up to a power of two
    }

    private PoolLayout() {
    }

    /** Free ring capacity for {@code bufferCount} buffers: room for all of them at once. */
    public static int freeRingCapacity(int bufferCount) {
        return Math.max(2, Integer.highestOneBit(Math.max(1, bufferCount - 1)) << 1);
    }

    /** Offset of the buffer area: after the free ring, on a 4 KiB page boundary. */
    public static long buffersOffset(int bufferCount) {
        long end = FREE_RING_OFFSET + RingLayout.length(freeRingCapacity(bufferCount));
        return (end + 4095) & -4096L;
    }
}
