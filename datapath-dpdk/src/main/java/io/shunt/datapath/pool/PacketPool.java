package io.shunt.datapath.pool;

import io.shunt.datapath.buffer.BufferLayout;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.List;

import io.shunt.datapath.region.LayoutEntry;
import io.shunt.datapath.region.RegionFormatException;
import io.shunt.datapath.region.RegionKind;
import io.shunt.datapath.region.RegionOptions;
import io.shunt.datapath.region.SharedRegion;
import io.shunt.datapath.ring.BufferArea;
import io.shunt.datapath.ring.MpmcRing;
import io.shunt.datapath.ring.RingLayout;

/**
 * A packet pool in its own region (DESIGN.md section 2): fixed-size buffers named by 32-bit
 * indices, and a lock-free MPMC ring of free indices shared by every thread of every
 * process of one trust domain. Layout: {@link PoolLayout}, {@link BufferLayout}.
 *
 * <p>{@link #allocBurst}/{@link #freeBurst} go straight to the shared ring; a polling
 * thread should use its own {@link PoolCache} ({@link #newCache}) so it touches the shared
 * ring once per many packets, as rte_mempool's per-lcore cache does.
 *
 * <p>A process that dies keeps, in effect, the buffers it held: those in its caches, in
 * its hands, and in rings it alone consumed. They are not returned (nothing in the region
 * records who holds what). A death in the middle of a free-ring operation holds that side
 * of the ring up for {@link MpmcRing#ABANDON_NANOS}, then the next operation takes the
 * dead one's span over ({@link MpmcRing}). docs/shm-layout.md lists these cases.
 */
public final class PacketPool implements BufferArea, AutoCloseable {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final SharedRegion region;
    private final MpmcRing freeRing;
    private final MemorySegment buffers;
    private final MemorySegment descriptor;
    private final int bufferCount;
    private final int bufferSize;
    private final int headroom;
    private final int dataRoom;

    private PacketPool(SharedRegion region, MpmcRing freeRing, MemorySegment buffers, int bufferCount, int bufferSize,
                       int headroom, int dataRoom) {
        this.region = region;
        this.freeRing = freeRing;
        this.buffers = buffers;
        this.descriptor = region.segment().asSlice(PoolLayout.DESCRIPTOR_OFFSET, PoolLayout.DESCRIPTOR_LENGTH);
        this.bufferCount = bufferCount;
        this.bufferSize = bufferSize;
        this.headroom = headroom;
        this.dataRoom = dataRoom;
    }

    /** Creates a pool of {@code bufferCount} buffers with the default headroom and 2048-byte data room. */
    public static PacketPool create(RegionOptions options, String name, int bufferCount, long generation)
            throws IOException {
        return create(options, name, bufferCount, BufferLayout.DEFAULT_HEADROOM, BufferLayout.DEFAULT_DATA_ROOM,
                generation);
    }

    /** Creates a pool region with every buffer free. */
    public static PacketPool create(RegionOptions options, String name, int bufferCount, int headroom, int dataRoom,
                                    long generation) throws IOException {
        if (bufferCount < 1 || headroom < 0 || dataRoom < BufferLayout.DEFAULT_DATA_ROOM) {
            throw new IllegalArgumentException("pool " + name + ": " + bufferCount + " buffers, headroom " + headroom
                    + ", data room " + dataRoom + " (need >= 1 buffer and a data room >= "
                    + BufferLayout.DEFAULT_DATA_ROOM + ")");
        }
        int bufferSize = BufferLayout.bufferSize(headroom, dataRoom);
        int ringCapacity = PoolLayout.freeRingCapacity(bufferCount);
        long buffersOffset = PoolLayout.buffersOffset(bufferCount);
        long buffersLength = (long) bufferCount * bufferSize;
        List<LayoutEntry> entries = List.of(
                new LayoutEntry(PoolLayout.DESCRIPTOR_ENTRY, PoolLayout.DESCRIPTOR_OFFSET, PoolLayout.DESCRIPTOR_LENGTH),
                new LayoutEntry(PoolLayout.FREE_RING_ENTRY, PoolLayout.FREE_RING_OFFSET, RingLayout.length(ringCapacity)),
                new LayoutEntry(PoolLayout.BUFFERS_ENTRY, buffersOffset, buffersLength));
        SharedRegion region = SharedRegion.create(options, RegionKind.POOL, PoolLayout.VERSION, name,
                buffersOffset + buffersLength, generation, entries, segment -> {
                    long d = PoolLayout.DESCRIPTOR_OFFSET;
                    segment.set(ValueLayout.JAVA_INT, d + PoolLayout.BUFFER_COUNT_OFFSET, bufferCount);
                    segment.set(ValueLayout.JAVA_INT, d + PoolLayout.BUFFER_SIZE_OFFSET, bufferSize);
                    segment.set(ValueLayout.JAVA_INT, d + PoolLayout.METADATA_LENGTH_OFFSET, BufferLayout.METADATA_LENGTH);
                    segment.set(ValueLayout.JAVA_INT, d + PoolLayout.HEADROOM_OFFSET, headroom);
                    segment.set(ValueLayout.JAVA_INT, d + PoolLayout.DATA_ROOM_OFFSET, dataRoom);
                    for (int i = 0; i < bufferCount; i++) {
                        long buffer = buffersOffset + (long) i * bufferSize;
                        segment.set(ValueLayout.JAVA_INT, buffer + BufferLayout.DATA_OFFSET_OFFSET,
                                BufferLayout.METADATA_LENGTH + headroom);
                        segment.set(ValueLayout.JAVA_INT, buffer + BufferLayout.BUFFER_INDEX_OFFSET, i);
                    }
                    MpmcRing.format(segment, PoolLayout.FREE_RING_OFFSET, ringCapacity);
                    MpmcRing ring = MpmcRing.attach(segment, PoolLayout.FREE_RING_OFFSET, RingLayout.length(ringCapacity),
                            bufferCount);
                    int[] all = new int[bufferCount];
                    for (int i = 0; i < bufferCount; i++) {
                        all[i] = i;
                    }
                    if (ring.enqueueBurst(all, 0, bufferCount) != bufferCount) {
                        throw new IllegalStateException("pool " + name + ": free ring did not take every buffer");
                    }
                });
        return open(region);
    }

    /** Attaches the pool region in {@code file}, checking its header and descriptor. */
    public static PacketPool attach(Path file) throws IOException {
        return SharedRegion.attach(file, RegionKind.POOL, PoolLayout.VERSION, PacketPool::open);
    }

    private static PacketPool open(SharedRegion region) throws RegionFormatException {
        MemorySegment segment = region.segment();
        Path file = region.file();
        LayoutEntry descriptor = region.requireEntry(PoolLayout.DESCRIPTOR_ENTRY);
        if (descriptor.offset() != PoolLayout.DESCRIPTOR_OFFSET || descriptor.length() < PoolLayout.DESCRIPTOR_LENGTH) {
            throw new RegionFormatException.Corrupt(file, descriptor.offset(), "pool descriptor row " + descriptor
                    + ", expected offset " + PoolLayout.DESCRIPTOR_OFFSET);
        }
        long d = PoolLayout.DESCRIPTOR_OFFSET;
        int bufferCount = segment.get(ValueLayout.JAVA_INT, d + PoolLayout.BUFFER_COUNT_OFFSET);
        int bufferSize = segment.get(ValueLayout.JAVA_INT, d + PoolLayout.BUFFER_SIZE_OFFSET);
        int metadataLength = segment.get(ValueLayout.JAVA_INT, d + PoolLayout.METADATA_LENGTH_OFFSET);
        int headroom = segment.get(ValueLayout.JAVA_INT, d + PoolLayout.HEADROOM_OFFSET);
        int dataRoom = segment.get(ValueLayout.JAVA_INT, d + PoolLayout.DATA_ROOM_OFFSET);
        if (bufferCount < 1 || metadataLength != BufferLayout.METADATA_LENGTH || headroom < 0
                || dataRoom < BufferLayout.DEFAULT_DATA_ROOM || (bufferSize & 63) != 0
                || (long) metadataLength + headroom + dataRoom > bufferSize) {
            throw new RegionFormatException.Corrupt(file, d, "pool descriptor: " + bufferCount + " buffers of "
                    + bufferSize + " bytes, metadata " + metadataLength + ", headroom " + headroom + ", data room "
                    + dataRoom);
        }
        LayoutEntry buffersEntry = region.requireEntry(PoolLayout.BUFFERS_ENTRY);
        if (buffersEntry.length() < (long) bufferCount * bufferSize) {
            throw new RegionFormatException.TooSmall(file, bufferCount + " buffers of " + bufferSize + " bytes",
                    (long) bufferCount * bufferSize, buffersEntry.length());
        }
        LayoutEntry ringEntry = region.requireEntry(PoolLayout.FREE_RING_ENTRY);
        MpmcRing ring;
        try {
            ring = MpmcRing.attach(segment, ringEntry.offset(), ringEntry.length(), bufferCount);
        } catch (IllegalArgumentException e) {
            throw new RegionFormatException.Corrupt(file, ringEntry.offset(), "free ring: " + e.getMessage());
        }
        if (ring.capacity() < bufferCount) {
            throw new RegionFormatException.Corrupt(file, ringEntry.offset(), "free ring capacity " + ring.capacity()
                    + " cannot hold " + bufferCount + " buffers");
        }
        MemorySegment buffers = segment.asSlice(buffersEntry.offset(), (long) bufferCount * bufferSize);
        return new PacketPool(region, ring, buffers, bufferCount, bufferSize, headroom, dataRoom);
    }

    /** Takes up to {@code n} free buffers from the shared ring into {@code dst[offset..]}; returns how many. */
    public int allocBurst(int[] dst, int offset, int n) {
        return freeRing.dequeueBurst(dst, offset, n);
    }

    /** Returns {@code n} buffers from {@code src[offset..]} to the shared ring. */
    public void freeBurst(int[] src, int offset, int n) {
        int freed = freeRing.enqueueBurst(src, offset, n);
        if (freed < n) {
            // The ring holds every buffer at once: it can only overflow when a buffer was freed twice.
            LONG.getAndAdd(descriptor, (long) PoolLayout.FREE_OVERFLOWS_OFFSET, (long) (n - freed));
        }
    }

    /** A process-local cache for one thread (see {@link PoolCache}). */
    public PoolCache newCache(int size) {
        return new PoolCache(this, size);
    }

    /** A process-local cache of the default size (256, DPDK's usual lcore cache size). */
    public PoolCache newCache() {
        return new PoolCache(this, PoolCache.DEFAULT_SIZE);
    }

    @Override
    public int bufferCount() {
        return bufferCount;
    }

    /** Packet length stored in buffer {@code index} (a valid index). */
    public int packetLength(int index) {
        return buffers.get(ValueLayout.JAVA_INT, (long) index * bufferSize + BufferLayout.LENGTH_OFFSET);
    }

    /** Whether the data offset and length of buffer {@code index} (a valid index) stay inside it. */
    public boolean isWellFormed(int index) {
        long base = (long) index * bufferSize;
        int dataOffset = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET);
        int length = buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET);
        return dataOffset >= BufferLayout.METADATA_LENGTH && length >= 0 && length <= bufferSize - dataOffset;
    }

    @Override
    public void release(int index) {
        if (!freeRing.enqueue(index)) {
            LONG.getAndAdd(descriptor, (long) PoolLayout.FREE_OVERFLOWS_OFFSET, 1L);
        }
    }

    /** Whether {@code index} names a buffer of this pool (check every index a peer gave you). */
    public boolean isValidIndex(int index) {
        return Integer.compareUnsigned(index, bufferCount) < 0;
    }

    /** Free buffers in the shared ring now (not counting per-thread caches). */
    public int freeCount() {
        return freeRing.count();
    }

    /** Indices taken from the free ring and dropped because they named no buffer. */
    public long rejectedIndices() {
        return freeRing.rejectedIndices();
    }

    /** Buffers freed into a full free ring (double frees), dropped. */
    public long freeOverflows() {
        return (long) LONG.getOpaque(descriptor, (long) PoolLayout.FREE_OVERFLOWS_OFFSET);
    }

    /**
     * Free-ring slots of operations that stalled for {@link MpmcRing#ABANDON_NANOS} between
     * reserving and publishing (a process killed there) and were taken over by a later one.
     */
    public long abandonedSlots() {
        return freeRing.abandonedSlots();
    }

    /** Buffer stride in bytes. */
    @Override
    public int bufferSize() {
        return bufferSize;
    }

    public int headroom() {
        return headroom;
    }

    public int dataRoom() {
        return dataRoom;
    }

    /** Data offset a reset buffer gets: metadata plus headroom. */
    public int defaultDataOffset() {
        return BufferLayout.METADATA_LENGTH + headroom;
    }

    /** The buffer area: buffer {@code i} starts at {@code i * bufferSize()}. */
    @Override
    public MemorySegment buffers() {
        return buffers;
    }

    /** A new flyweight over this pool's buffers (allocate once, re-point with {@link PacketBuffer#wrap}). */
    public PacketBuffer newBufferView() {
        return new PacketBuffer(this);
    }

    public SharedRegion region() {
        return region;
    }

    /** Unmaps the pool region (the file stays). */
    @Override
    public void close() {
        region.close();
    }

    @Override
    public String toString() {
        return "pool '" + region.name() + "' (" + bufferCount + " buffers of " + bufferSize + " bytes, " + region.file() + ")";
    }
}
