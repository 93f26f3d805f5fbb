package io.shunt.datapath.pool;

import io.shunt.datapath.buffer.BufferLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.shunt.datapath.region.ShmDirectory;

/** Pool allocation, per-thread caches and the buffer view on a real pool region. */
class PacketPoolTest {

    @Test
    void everyBufferCanBeAllocatedExactlyOnceAndFreedBack() throws Exception {
        try (ShmDirectory dir = ShmDirectory.create(); PacketPool pool = PacketPool.create(dir.options(), "p", 1000, 1)) {
            assertEquals(1000, pool.freeCount());
            assertTrue(pool.dataRoom() >= 2048);
            int[] all = new int[1100];
            int got = 0;
            int n;
            while ((n = pool.allocBurst(all, got, Math.min(64, all.length - got))) > 0) {
                got += n;
            }
            assertEquals(1000, got, "exactly the pool's buffers");
            BitSet distinct = new BitSet();
            for (int i = 0; i < got; i++) {
                assertFalse(distinct.get(all[i]), "buffer " + all[i] + " allocated twice");
                distinct.set(all[i]);
            }
            assertEquals(0, pool.freeCount());
            pool.freeBurst(all, 0, got);
            assertEquals(1000, pool.freeCount());
            pool.freeBurst(all, 0, 30);
            assertEquals(6, pool.freeOverflows(), "double frees beyond the free ring's capacity are counted");
        }
    }

    @Test
    void cacheTouchesTheSharedRingInBulkAndFlushesEverythingBack() throws Exception {
        try (ShmDirectory dir = ShmDirectory.create(); PacketPool pool = PacketPool.create(dir.options(), "p", 2048, 1)) {
            PoolCache cache = pool.newCache(64);
            int[] burst = new int[32];
            assertEquals(32, cache.allocBurst(burst, 0, 32));
            assertEquals(2048 - 96, pool.freeCount(), "one refill of size + burst");
            assertEquals(64, cache.cachedCount());
            cache.freeBurst(burst, 0, 32);
            assertEquals(96, cache.cachedCount(), "at the flush threshold, nothing flushed yet");
            int[] more = new int[8];
            assertEquals(8, cache.allocBurst(more, 0, 8));
            cache.freeBurst(more, 0, 8);
            assertEquals(96, cache.cachedCount());
            assertEquals(1, cache.allocBurst(more, 0, 1));
            cache.freeBurst(more, 0, 1);
            int[] extra = new int[4];
            assertEquals(4, pool.allocBurst(extra, 0, 4));
            cache.freeBurst(extra, 0, 4);
            assertEquals(64, cache.cachedCount(), "past 1.5x the size, the cache flushes down to its size");
            cache.flush();
            assertEquals(2048, pool.freeCount());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void threadsWithCachesNeverShareABuffer() throws Exception {
        int bufferCount = 4096;
        try (ShmDirectory dir = ShmDirectory.create();
             PacketPool pool = PacketPool.create(dir.options(), "p", bufferCount, 1)) {
            PacketPool[] views = {pool, PacketPool.attach(pool.region().file()), PacketPool.attach(pool.region().file())};
            int[] owner = new int[bufferCount];
            AtomicReference<String> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t + 1;
                PacketPool view = views[t % views.length];
                threads.add(new Thread(() -> {
                    PoolCache cache = view.newCache(64);
                    int[] held = new int[48];
                    for (int round = 0; round < 50_000 && failure.get() == null; round++) {
                        int n = cache.allocBurst(held, 0, 1 + round % held.length);
                        for (int i = 0; i < n; i++) {
                            synchronized (owner) {
                                if (owner[held[i]] != 0) {
                                    failure.set("buffer " + held[i] + " handed to thread " + id + " while thread "
                                            + owner[held[i]] + " holds it");
                                }
                                owner[held[i]] = id;
                            }
                        }
                        for (int i = 0; i < n; i++) {
                            synchronized (owner) {
                                owner[held[i]] = 0;
                            }
                        }
                        cache.freeBurst(held, 0, n);
                    }
                    cache.flush();
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(50));
                assertFalse(thread.isAlive());
            }
            assertEquals(null, failure.get());
            assertEquals(bufferCount, pool.freeCount(), "no buffer lost");
            views[1].close();
            views[2].close();
        }
    }

    @Test
    void bufferViewReadsAndWritesMetadataAndDataInsideTheBufferOnly() throws Exception {
        try (ShmDirectory dir = ShmDirectory.create(); PacketPool pool = PacketPool.create(dir.options(), "p", 8, 1);
             PacketPool other = PacketPool.attach(pool.region().file())) {
            PacketBuffer buffer = pool.newBufferView().wrap(3).reset();
            assertEquals(BufferLayout.METADATA_LENGTH + BufferLayout.DEFAULT_HEADROOM, buffer.dataOffset());
            buffer.length(60).inputPort(5).flags(2).userData(77);
            buffer.putShort(12, 0x0800).putInt(14, 0x45000054).putLong(20, 0x1122334455667788L).putByte(59, (byte) 9);
            buffer.putBytes(30, new byte[] {1, 2, 3}, 0, 3);

            PacketBuffer seen = other.newBufferView().wrap(3);
            assertEquals(60, seen.length());
            assertEquals(5, seen.inputPort());
            assertEquals(2, seen.flags());
            assertEquals(77, seen.userData());
            assertEquals(0x0800, seen.getShort(12));
            assertEquals(0x45000054, seen.getInt(14));
            assertEquals(0x1122334455667788L, seen.getLong(20));
            assertEquals(9, seen.getByte(59));
            byte[] copy = new byte[3];
            seen.getBytes(30, copy, 0, 3);
            assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), List.of(copy[0], copy[1], copy[2]));
            assertEquals(0x08, Byte.toUnsignedInt(pool.buffers().get(java.lang.foreign.ValueLayout.JAVA_BYTE,
                    3L * pool.bufferSize() + buffer.dataOffset() + 12)), "network byte order");
            assertTrue(seen.isWellFormed());
            assertTrue(pool.isWellFormed(3));

            int room = pool.bufferSize() - buffer.dataOffset();
            assertThrows(IllegalArgumentException.class, () -> buffer.length(room + 1));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.putLong(room - 7, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.getByte(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> buffer.wrap(8));
            buffer.dataOffset(BufferLayout.METADATA_LENGTH);
            assertEquals(60, buffer.length(), "moving the start into the headroom keeps the length");

            // A peer writes an impossible data offset: accesses fail, they never leave the buffer.
            pool.buffers().set(java.lang.foreign.ValueLayout.JAVA_INT,
                    3L * pool.bufferSize() + BufferLayout.DATA_OFFSET_OFFSET, 1 << 30);
            assertFalse(seen.isWellFormed());
            assertFalse(pool.isWellFormed(3));
            assertEquals(0x0800, seen.getShort(12), "a view keeps the offset it checked when it was wrapped");
            seen.wrap(3);
            assertThrows(IndexOutOfBoundsException.class, () -> seen.getByte(0),
                    "re-wrapped on the bad offset: every data access fails");
        }
    }
}
