package io.shunt.datapath.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The benchmarks' anchor: the smallest correct SPSC ring of 32-bit indices on shared
 * memory (acquire/release on head and tail, plain slot accesses, cached opposite
 * positions), with no counters, no checks of what the peer wrote, no pool. The production
 * {@link io.shunt.datapath.ring.SpscRing} is measured against it in the same run.
 */
final class BareSpscRing {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    static final long HEAD = 0;
    static final long TAIL = 128;
    static final long SLOTS = 256;

    private final MemorySegment memory;
    private final int capacity;
    private final int mask;
    private long head;
    private long tail;
    private long cachedHead;
    private long cachedTail;

    BareSpscRing(MemorySegment memory, int capacity) {
        this.memory = memory;
        this.capacity = capacity;
        this.mask = capacity - 1;
    }

    static long length(int capacity) {
        return SLOTS + 4L * capacity;
    }

    int enqueueBurst(int[] src, int offset, int n) {
        long t = tail;
        long free = capacity - (t - cachedHead);
        if (free < n) {
            cachedHead = (long) LONG.getAcquire(memory, HEAD);
            free = capacity - (t - cachedHead);
        }
        int count = (int) Math.min(n, free);
        for (int i = 0; i < count; i++) {
            memory.set(ValueLayout.JAVA_INT, SLOTS + (((t + i) & mask) << 2), src[offset + i]);
        }
        tail = t + count;
        LONG.setRelease(memory, TAIL, t + count);
        return count;
    }

    int dequeueBurst(int[] dst, int offset, int max) {
        long h = head;
        long available = cachedTail - h;
        if (available < max) {
            cachedTail = (long) LONG.getAcquire(memory, TAIL);
            available = cachedTail - h;
        }
        int count = (int) Math.min(max, available);
        for (int i = 0; i < count; i++) {
            dst[offset + i] = memory.get(ValueLayout.JAVA_INT, SLOTS + (((h + i) & mask) << 2));
        }
        head = h + count;
        LONG.setRelease(memory, HEAD, h + count);
        return count;
    }
}
