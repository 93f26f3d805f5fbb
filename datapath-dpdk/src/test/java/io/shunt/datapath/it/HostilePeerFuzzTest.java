package io.shunt.datapath.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.shunt.datapath.buffer.BufferLayout;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.pool.PoolLayout;
import io.shunt.datapath.port.PortControlBlock;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionLayout;
import io.shunt.datapath.region.RegionHeaderLayout;
import io.shunt.datapath.region.ShmDirectory;
import io.shunt.datapath.ring.RingCounters;
import io.shunt.datapath.ring.RingLayout;
import io.shunt.datapath.ring.SpscRing;

/**
 * A hostile VNF writes random indices, lengths, data offsets and positions into its port's
 * rings, into buffer metadata, into the pool's free ring and into the control block,
 * through its own mapping of the region files, knowing only the documented layout. The
 * switch side (the production ring, pool and control-block code) must never throw, never
 * touch memory outside the regions, deliver exactly the well-formed packets in order, and
 * count every bad descriptor it was given: the counts must equal what was injected.
 */
class HostilePeerFuzzTest {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final int BUFFERS = 1000;
    private static final int CAPACITY = 256;
    private static final long OPERATIONS = 1_000_000;

    private long injectedBadIndices;
    private long injectedBadLengths;
    private long injectedBadTxPositions;
    private long injectedBadRxPositions;
    private long injectedPoolGarbage;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void millionHostileOperationsAreDroppedAndCountedExactly() throws Exception {
        try (ShmDirectory dir = ShmDirectory.create();
             PacketPool pool = PacketPool.create(dir.options(), "pool", BUFFERS, 1);
             PortRegion port = PortRegion.create(dir.options(), "vnf", 1, CAPACITY, pool, 1);
             Arena hostileArena = Arena.ofShared()) {
            MemorySegment hostilePort = map(port.region().file(), hostileArena);
            MemorySegment hostilePool = map(pool.region().file(), hostileArena);
            SpscRing tx = port.txRing(pool);
            SpscRing rx = port.rxRing(pool);
            PortControlBlock control = port.control();

            long txBase = PortRegionLayout.txRingOffset(CAPACITY);
            long rxBase = PortRegionLayout.RX_RING_OFFSET;
            long buffersBase = PoolLayout.buffersOffset(BUFFERS);
            int bufferSize = pool.bufferSize();
            SplittableRandom random = new SplittableRandom(20261125L);
            int[] out = new int[32];
            int[] alloc = new int[1];
            int[] tooMany = new int[CAPACITY + 1];
            List<Integer> expected = new ArrayList<>();
            List<Integer> delivered = new ArrayList<>();
            long tail = 0;
            long operations = 0;

            while (operations < OPERATIONS) {
                int action = random.nextInt(100);
                if (action < 85) {
                    // A burst of descriptors, each good or bad in one chosen way.
                    int burst = 1 + random.nextInt(32);
                    expected.clear();
                    for (int i = 0; i < burst; i++) {
                        int kind = random.nextInt(100);
                        int index;
                        if (kind < 20 || !allocate(pool, alloc)) {
                            index = badIndex(random);
                            injectedBadIndices++;
                        } else {
                            index = alloc[0];
                            long meta = buffersBase + (long) index * bufferSize;
                            int dataOffset = BufferLayout.METADATA_LENGTH + random.nextInt(bufferSize - BufferLayout.METADATA_LENGTH + 1);
                            int length = random.nextInt(bufferSize - dataOffset + 1);
                            if (kind < 35) {
                                length = random.nextBoolean() ? -1 - random.nextInt(Integer.MAX_VALUE)
                                        : bufferSize - dataOffset + 1 + random.nextInt(Integer.MAX_VALUE - bufferSize);
                                injectedBadLengths++;
                            } else if (kind < 50) {
                                dataOffset = random.nextBoolean() ? random.nextInt(Integer.MIN_VALUE, BufferLayout.METADATA_LENGTH)
                                        : bufferSize + 1 + random.nextInt(Integer.MAX_VALUE - bufferSize);
                                injectedBadLengths++;
                            } else {
                                expected.add(index);
                            }
                            hostilePool.set(ValueLayout.JAVA_INT, meta + BufferLayout.DATA_OFFSET_OFFSET, dataOffset);
                            hostilePool.set(ValueLayout.JAVA_INT, meta + BufferLayout.LENGTH_OFFSET, length);
                        }
                        hostilePort.set(ValueLayout.JAVA_INT,
                                txBase + RingLayout.SLOTS_OFFSET + ((tail + i) & (CAPACITY - 1)) * 4L, index);
                    }
                    tail += burst;
                    LONG.setRelease(hostilePort, txBase + RingLayout.PRODUCER_POSITION_OFFSET, tail);
                    delivered.clear();
                    while (tx.consumerPosition() != tail) {
                        int n = tx.dequeueBurst(out, 0, out.length);
                        for (int i = 0; i < n; i++) {
                            delivered.add(out[i]);
                        }
                        pool.freeBurst(out, 0, n);
                    }
                    assertEquals(expected, delivered, "exactly the well-formed packets, in order");
                    operations += burst;
                } else if (action < 90) {
                    long bad = random.nextBoolean() ? tail + CAPACITY + 1 + random.nextInt(1 << 30)
                            : tail - 1 - random.nextInt(1 << 30);
                    LONG.setRelease(hostilePort, txBase + RingLayout.PRODUCER_POSITION_OFFSET, bad);
                    assertEquals(0, tx.dequeueBurst(out, 0, out.length), "an impossible producer position yields nothing");
                    injectedBadTxPositions++;
                    LONG.setRelease(hostilePort, txBase + RingLayout.PRODUCER_POSITION_OFFSET, tail);
                    operations++;
                } else if (action < 95) {
                    long bad = random.nextBoolean() ? 1 + random.nextInt(1 << 30) : -1 - random.nextInt(1 << 30);
                    LONG.setRelease(hostilePort, rxBase + RingLayout.CONSUMER_POSITION_OFFSET, bad);
                    assertEquals(0, rx.enqueueBurst(tooMany, 0, tooMany.length),
                            "an impossible consumer position means no room");
                    injectedBadRxPositions++;
                    LONG.setRelease(hostilePort, rxBase + RingLayout.CONSUMER_POSITION_OFFSET, 0L);
                    operations++;
                } else if (action < 98) {
                    // Random bytes over words the switch only reads for information: it must not trip on them.
                    long offset = switch (random.nextInt(3)) {
                        case 0 -> PortRegionLayout.CONTROL_OFFSET + random.nextInt(PortRegionLayout.CONTROL_LENGTH - 8);
                        case 1 -> RegionHeaderLayout.MAGIC_OFFSET + random.nextInt(RegionHeaderLayout.HEADER_LENGTH - 8);
                        default -> txBase + RingLayout.CAPACITY_OFFSET + random.nextInt(RingLayout.BLOCK - 8);
                    };
                    hostilePort.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, random.nextLong());
                    control.linkState();
                    control.linkRegionName();
                    control.linkGeneration();
                    control.vnfControlVersion();
                    control.vnfHeartbeat();
                    operations++;
                } else if (injectPoolGarbage(hostilePool, random)) {
                    operations++;
                }
            }

            // Drain the free ring so that every garbage index injected into it has been seen.
            int[] all = new int[BUFFERS + PoolLayout.freeRingCapacity(BUFFERS)];
            int got = 0;
            int n;
            while ((n = pool.allocBurst(all, got, 64)) > 0 || pool.freeCount() > 0) {
                got += n;
            }
            assertEquals(BUFFERS, got, "every buffer came back: rejected ones were freed, none leaked");
            pool.freeBurst(all, 0, got);

            RingCounters txCounters = tx.counters();
            assertTrue(operations >= OPERATIONS);
            assertEquals(injectedBadIndices, txCounters.rejectedIndices(), "bad indices");
            assertEquals(injectedBadLengths, txCounters.rejectedLengths(), "bad lengths and data offsets");
            assertEquals(injectedBadTxPositions, txCounters.rejectedPositions(), "bad tx producer positions");
            assertEquals(injectedBadRxPositions, rx.counters().rejectedPositions(), "bad rx consumer positions");
            assertEquals(injectedPoolGarbage, pool.rejectedIndices(), "garbage indices freed into the pool");
            assertTrue(injectedBadIndices > 0 && injectedBadLengths > 0 && injectedBadTxPositions > 0
                    && injectedBadRxPositions > 0 && injectedPoolGarbage > 0, "every kind of attack was tried");
            assertEquals(0, rx.counters().enqueuedPackets());
        }
    }

    /** Allocates one buffer; an allocation may find garbage the hostile freed, so retry a little. */
    private static boolean allocate(PacketPool pool, int[] into) {
        for (int attempt = 0; attempt < 64; attempt++) {
            if (pool.allocBurst(into, 0, 1) == 1) {
                return true;
            }
        }
        return false;
    }

    private static int badIndex(SplittableRandom random) {
        // Unsigned >= BUFFERS: either beyond the pool or negative as a Java int.
        return random.nextBoolean() ? BUFFERS + random.nextInt(Integer.MAX_VALUE - BUFFERS) : -1 - random.nextInt(Integer.MAX_VALUE);
    }

    /** Frees a garbage index into the pool's free ring, following the ring protocol, if there is room. */
    private boolean injectPoolGarbage(MemorySegment pool, SplittableRandom random) {
        long ring = PoolLayout.FREE_RING_OFFSET;
        int capacity = pool.get(ValueLayout.JAVA_INT, ring + RingLayout.CAPACITY_OFFSET);
        long reserve = (long) LONG.getAcquire(pool, ring + RingLayout.PRODUCER_RESERVE_OFFSET);
        long consumed = (long) LONG.getAcquire(pool, ring + RingLayout.CONSUMER_POSITION_OFFSET);
        if (reserve - consumed >= capacity) {
            return false;
        }
        pool.set(ValueLayout.JAVA_INT, ring + RingLayout.SLOTS_OFFSET + (reserve & (capacity - 1)) * 4L, badIndex(random));
        LONG.setRelease(pool, ring + RingLayout.PRODUCER_RESERVE_OFFSET, reserve + 1);
        LONG.setRelease(pool, ring + RingLayout.PRODUCER_POSITION_OFFSET, reserve + 1);
        injectedPoolGarbage++;
        return true;
    }

    private static MemorySegment map(Path file, Arena arena) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena);
        }
    }
}
