package io.shunt.datapath.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.shunt.datapath.region.ShmDirectory;

/** The SPSC burst ring on a real /dev/shm mapping, two views of the same bytes. */
class SpscRingTest {
    private static final int CAPACITY = 16;
    private static final int LIMIT = 1 << 20;

    private ShmDirectory dir;
    private Arena arena;
    private MemorySegment memory;
    private SpscRing producer;
    private SpscRing consumer;

    @BeforeEach
    void mapRing() throws Exception {
        dir = ShmDirectory.create();
        arena = Arena.ofShared();
        Path file = dir.path().resolve("ring");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena);
        }
        SpscRing.format(memory, 128, CAPACITY);
        producer = SpscRing.attach(memory, 128, 4096 - 128, LIMIT, null);
        consumer = SpscRing.attach(memory, 128, 4096 - 128, LIMIT, null);
    }

    @AfterEach
    void unmap() {
        arena.close();
        dir.close();
    }

    @Test
    void burstsWrapAroundTheEndOfTheSlotsInOrder() {
        int[] in = new int[7];
        int[] out = new int[7];
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < in.length; i++) {
                in[i] = next + i;
            }
            assertEquals(7, producer.enqueueBurst(in, 0, 7));
            next += 7;
            assertEquals(7, consumer.dequeueBurst(out, 0, 7));
            for (int value : out) {
                assertEquals(expected++, value);
            }
        }
        assertEquals(700, consumer.consumerPosition());
        assertEquals(0, consumer.count());
    }

    @Test
    void enqueueIntoANearlyFullRingTakesOnlyWhatFits() {
        int[] values = sequence(0, 40);
        assertEquals(10, producer.enqueueBurst(values, 0, 10));
        assertEquals(6, producer.freeCount());
        assertEquals(6, producer.enqueueBurst(values, 10, 20), "partial: 6 of 20");
        assertEquals(0, producer.enqueueBurst(values, 16, 1), "full");
        assertEquals(0, producer.freeCount());
        int[] out = new int[32];
        assertEquals(16, consumer.dequeueBurst(out, 0, 32), "dequeue takes what is there");
        assertArrayEquals(sequence(0, 16), Arrays.copyOf(out, 16));
        assertEquals(0, consumer.dequeueBurst(out, 0, 32), "empty");
        RingCounters counters = consumer.counters();
        assertEquals(16, counters.enqueuedPackets());
        assertEquals(16, counters.dequeuedPackets());
        producer.countDrops(24);
        assertEquals(24, consumer.counters().droppedPackets(), "a third party sees the producer's drops");
    }

    @Test
    void indicesBeyondTheLimitAreDroppedAndCounted() {
        int[] values = {1, LIMIT, 2, -1, 3, LIMIT + 5};
        assertEquals(6, producer.enqueueBurst(values, 0, 6));
        int[] out = new int[8];
        assertEquals(3, consumer.dequeueBurst(out, 0, 8));
        assertArrayEquals(new int[] {1, 2, 3}, Arrays.copyOf(out, 3));
        assertEquals(3, consumer.counters().rejectedIndices());
        assertEquals(0, consumer.count(), "rejected elements leave the ring too");
    }

    @Test
    void impossiblePositionsAreCountedAndIgnored() {
        int[] values = sequence(0, 4);
        producer.enqueueBurst(values, 0, 4);
        long tail = memory.get(ValueLayout.JAVA_LONG, 128 + RingLayout.PRODUCER_POSITION_OFFSET);
        memory.set(ValueLayout.JAVA_LONG, 128 + RingLayout.PRODUCER_POSITION_OFFSET, tail + CAPACITY + 1);
        int[] out = new int[8];
        assertEquals(0, consumer.dequeueBurst(out, 0, 8), "more than capacity claimed: nothing taken");
        memory.set(ValueLayout.JAVA_LONG, 128 + RingLayout.PRODUCER_POSITION_OFFSET, -5L);
        assertEquals(0, consumer.dequeueBurst(out, 0, 8), "behind the consumer: nothing taken");
        assertEquals(2, consumer.counters().rejectedPositions());
        memory.set(ValueLayout.JAVA_LONG, 128 + RingLayout.PRODUCER_POSITION_OFFSET, tail);
        assertEquals(4, consumer.dequeueBurst(out, 0, 8), "restored position: packets flow again");

        memory.set(ValueLayout.JAVA_LONG, 128 + RingLayout.CONSUMER_POSITION_OFFSET, tail + 3);
        assertEquals(0, producer.enqueueBurst(new int[CAPACITY + 1], 0, CAPACITY + 1),
                "consumer ahead of the producer: nothing enqueued");
        assertEquals(3, consumer.counters().rejectedPositions());
    }

    @Test
    void reattachedViewsContinueFromThePublishedPositions() {
        producer.enqueueBurst(sequence(0, 5), 0, 5);
        int[] out = new int[2];
        consumer.dequeueBurst(out, 0, 2);
        SpscRing restarted = SpscRing.attach(memory, 128, 4096 - 128, LIMIT, null);
        int[] rest = new int[8];
        assertEquals(3, restarted.dequeueBurst(rest, 0, 8));
        assertArrayEquals(new int[] {2, 3, 4}, Arrays.copyOf(rest, 3));
        assertEquals(5, restarted.counters().dequeuedPackets(), "counters continue too");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoThreadsMoveTwoMillionIndicesInOrder() throws Exception {
        int total = 2_000_000;
        AtomicReference<String> failure = new AtomicReference<>();
        Thread consumerThread = new Thread(() -> {
            int[] out = new int[32];
            int expected = 0;
            BackOff backOff = BackOff.standard();
            while (expected < total && failure.get() == null) {
                int n = consumer.dequeueBurst(out, 0, 32);
                backOff.afterRound(n);
                for (int i = 0; i < n; i++) {
                    if (out[i] != (expected & (LIMIT - 1))) {
                        failure.set("got " + out[i] + " at " + expected);
                        return;
                    }
                    expected++;
                }
            }
        });
        consumerThread.start();
        int[] in = new int[32];
        BackOff backOff = BackOff.standard();
        for (int sent = 0; sent < total && failure.get() == null; ) {
            int n = Math.min(32, total - sent);
            for (int i = 0; i < n; i++) {
                in[i] = (sent + i) & (LIMIT - 1);
            }
            int k = producer.enqueueBurst(in, 0, n);
            while (k < n && failure.get() == null) {
                backOff.idle();
                k += producer.enqueueBurst(in, k, n - k);
            }
            backOff.reset();
            sent += n;
        }
        consumerThread.join(TimeUnit.SECONDS.toMillis(50));
        assertEquals(null, failure.get());
        assertTrue(!consumerThread.isAlive());
        assertEquals(total, consumer.counters().dequeuedPackets());
    }

    private static int[] sequence(int from, int count) {
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = from + i;
        }
        return values;
    }
}
