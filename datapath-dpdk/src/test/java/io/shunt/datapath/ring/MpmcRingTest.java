package io.shunt.datapath.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.shunt.datapath.region.ShmDirectory;

/** The MPMC burst ring with several producer and consumer threads on a /dev/shm mapping. */
class MpmcRingTest {

    @Test
    void burstsWrapAroundAndPartialEnqueueTakesWhatFits() throws Exception {
        try (ShmDirectory dir = ShmDirectory.create(); Arena arena = Arena.ofShared()) {
            MemorySegment memory = map(dir, arena, 4096);
            MpmcRing.format(memory, 0, 8);
            MpmcRing ring = MpmcRing.attach(memory, 0, 4096, 1000);
            int[] in = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
            assertEquals(8, ring.enqueueBurst(in, 0, 10));
            assertEquals(0, ring.freeCount());
            assertTrue(!ring.enqueue(99));
            int[] out = new int[10];
            assertEquals(5, ring.dequeueBurst(out, 0, 5));
            assertEquals(5, ring.enqueueBurst(in, 5, 5), "wraps around the slot array");
            assertEquals(8, ring.dequeueBurst(out, 0, 10));
            assertEquals(List.of(5, 6, 7, 5, 6, 7, 8, 9), boxed(out, 8));
            ring.enqueueBurst(new int[] {1000, -1, 3}, 0, 3);
            assertEquals(1, ring.dequeueBurst(out, 0, 3));
            assertEquals(3, out[0]);
            assertEquals(2, ring.rejectedIndices());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fourProducersAndThreeConsumersLoseAndDuplicateNothing() throws Exception {
        int producers = 4;
        int consumers = 3;
        int perProducer = 250_000;
        int total = producers * perProducer;
        try (ShmDirectory dir = ShmDirectory.create(); Arena arena = Arena.ofShared()) {
            MemorySegment memory = map(dir, arena, 1 << 16);
            MpmcRing.format(memory, 0, 1024);
            AtomicIntegerArray seen = new AtomicIntegerArray(total);
            AtomicInteger received = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * perProducer;
                MpmcRing ring = MpmcRing.attach(memory, 0, 1 << 16, total);
                threads.add(new Thread(() -> {
                    int[] burst = new int[24];
                    BackOff backOff = BackOff.standard();
                    for (int sent = 0; sent < perProducer; ) {
                        int n = Math.min(burst.length, perProducer - sent);
                        for (int i = 0; i < n; i++) {
                            burst[i] = base + sent + i;
                        }
                        int k = 0;
                        while (k < n) {
                            int moved = ring.enqueueBurst(burst, k, n - k);
                            k += moved;
                            backOff.afterRound(moved);
                        }
                        sent += n;
                    }
                }, "producer-" + p));
            }
            for (int c = 0; c < consumers; c++) {
                MpmcRing ring = MpmcRing.attach(memory, 0, 1 << 16, total);
                threads.add(new Thread(() -> {
                    int[] burst = new int[32];
                    BackOff backOff = BackOff.standard();
                    while (received.get() < total) {
                        int n = ring.dequeueBurst(burst, 0, burst.length);
                        backOff.afterRound(n);
                        for (int i = 0; i < n; i++) {
                            seen.incrementAndGet(burst[i]);
                        }
                        received.addAndGet(n);
                    }
                }, "consumer-" + c));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(50));
                assertTrue(!thread.isAlive(), thread.getName() + " still running");
            }
            assertEquals(total, received.get());
            for (int i = 0; i < total; i++) {
                if (seen.get(i) != 1) {
                    throw new AssertionError("value " + i + " received " + seen.get(i) + " times");
                }
            }
            assertEquals(0, MpmcRing.attach(memory, 0, 1 << 16, total).count());
        }
    }

    private static MemorySegment map(ShmDirectory dir, Arena arena, long size) throws Exception {
        try (FileChannel channel = FileChannel.open(dir.path().resolve("ring"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
        }
    }

    private static List<Integer> boxed(int[] values, int n) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(values[i]);
        }
        return list;
    }
}
