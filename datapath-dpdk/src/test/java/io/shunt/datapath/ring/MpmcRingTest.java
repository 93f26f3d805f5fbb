package io.shunt.datapath.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
            ring.enqueueBurst(new int[] {1000, -2, 3}, 0, 3);
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

    /**
     * A producer that died between its reservation and its publication (its reserve word
     * moved, its slots hold what an earlier lap left) holds the next enqueue up for the
     * abandon time, no longer: that enqueue fills the dead span with holes and goes on, and
     * no stale slot is ever handed out.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anEnqueueSpanWhoseOwnerDiedIsTakenOverAndItsStaleSlotsAreNeverHandedOut() throws Exception {
        try (ShmDirectory dir = ShmDirectory.create(); Arena arena = Arena.ofShared()) {
            MemorySegment memory = sixteenSlots(dir, arena);
            MpmcRing ring = view(memory);
            int[] out = new int[16];
            passTwoThrough(ring, out);
            // The dead producer: span [2, 5) reserved, slots still holding 7 (a buffer handed out long ago).
            memory.set(ValueLayout.JAVA_LONG, RingLayout.PRODUCER_RESERVE_OFFSET, 5L);
            for (int slot = 2; slot < 5; slot++) {
                memory.set(ValueLayout.JAVA_INT, RingLayout.SLOTS_OFFSET + slot * 4L, 7);
            }
            assertEquals(0, ring.dequeueBurst(out, 0, 16), "an unpublished span is not handed out");

            MpmcRing survivor = view(memory);
            int enqueued = CompletableFuture.supplyAsync(() -> survivor.enqueueBurst(new int[] {10, 11}, 0, 2))
                    .get(20, TimeUnit.SECONDS);
            assertEquals(2, enqueued);
            assertEquals(3, ring.abandonedSlots(), "the dead span's three slots");
            int n = ring.dequeueBurst(out, 0, 16);
            assertArrayEquals(new int[] {10, 11}, java.util.Arrays.copyOf(out, n), "holes skipped, nothing stale");
            assertEquals(0, ring.rejectedIndices(), "holes are not hostile indices");
            assertEquals(0, ring.count());
            assertEquals(2, ring.enqueueBurst(new int[] {20, 21}, 0, 2), "the ring works on normally");
            assertEquals(2, ring.dequeueBurst(out, 0, 16));
        }
    }

    /** A consumer that died after reserving: its span is skipped after the abandon time. */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aDequeueSpanWhoseOwnerDiedIsSkippedAndTheRingGoesOn() throws Exception {
        try (ShmDirectory dir = ShmDirectory.create(); Arena arena = Arena.ofShared()) {
            MemorySegment memory = sixteenSlots(dir, arena);
            MpmcRing ring = view(memory);
            assertEquals(6, ring.enqueueBurst(new int[] {1, 2, 3, 4, 5, 6}, 0, 6));
            // The dead consumer took 1 and 2 (reserved [0, 2)) and never published.
            memory.set(ValueLayout.JAVA_LONG, RingLayout.CONSUMER_RESERVE_OFFSET, 2L);

            MpmcRing survivor = view(memory);
            int[] out = new int[16];
            int n = CompletableFuture.supplyAsync(() -> survivor.dequeueBurst(out, 0, 16)).get(20, TimeUnit.SECONDS);
            assertArrayEquals(new int[] {3, 4, 5, 6}, java.util.Arrays.copyOf(out, n));
            assertEquals(2, ring.abandonedSlots());
            assertEquals(0, ring.count());
            assertEquals(16, ring.enqueueBurst(new int[16], 0, 16), "every slot is free again");
        }
    }

    /** A position word beyond every reservation is no peer's doing: counted, overwritten, the ring goes on. */
    @Test
    void aPositionBeyondEveryReservationIsCountedAndOverwritten() throws Exception {
        try (ShmDirectory dir = ShmDirectory.create(); Arena arena = Arena.ofShared()) {
            MemorySegment memory = sixteenSlots(dir, arena);
            MpmcRing ring = view(memory);
            int[] out = new int[16];
            passTwoThrough(ring, out);
            memory.set(ValueLayout.JAVA_LONG, RingLayout.PRODUCER_POSITION_OFFSET, 1000L);
            assertEquals(1, ring.enqueueBurst(new int[] {5}, 0, 1));
            assertEquals(1, ring.rejectedPositions());
            assertEquals(1, ring.dequeueBurst(out, 0, 16));
            assertEquals(5, out[0]);
            assertEquals(0, ring.abandonedSlots());
        }
    }

    /** A fresh 16-slot MPMC ring in a /dev/shm mapping. */
    private static MemorySegment sixteenSlots(ShmDirectory dir, Arena arena) throws Exception {
        MemorySegment memory = map(dir, arena, 4096);
        MpmcRing.format(memory, 0, 16);
        return memory;
    }

    /** One process's (or thread's) view of that ring; values from 1000 up name no buffer. */
    private static MpmcRing view(MemorySegment memory) {
        return MpmcRing.attach(memory, 0, 4096, 1000);
    }

    /** Moves 1 and 2 through, so that both positions stand at 2. */
    private static void passTwoThrough(MpmcRing ring, int[] out) {
        assertEquals(2, ring.enqueueBurst(new int[] {1, 2}, 0, 2));
        assertEquals(2, ring.dequeueBurst(out, 0, 16));
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
