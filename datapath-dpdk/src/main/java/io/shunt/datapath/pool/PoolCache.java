package io.shunt.datapath.pool;

/**
 * A per-thread, process-local stack of free buffer indices in front of a pool's shared
 * free ring, like rte_mempool's per-lcore cache: allocations and frees touch the shared
 * ring only when the cache runs empty or grows past 1.5 times its size, and then in bulk.
 *
 * <p>Not thread-safe: one cache per polling thread. Bursts larger than the cache go
 * straight to the shared ring. Buffers in the cache are invisible to other processes;
 * {@link #flush()} returns them (call it when the thread stops). If the process dies they
 * are lost to the pool.
 */
public final class PoolCache {
    /** Default cache size. */
    public static final int DEFAULT_SIZE = 256;

    private final PacketPool pool;
    private final int size;
    private final int flushThreshold;
    private final int[] indices;
    private int length;

    PoolCache(PacketPool pool, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("pool cache size must be >= 1: " + size);
        }
        this.pool = pool;
        this.size = size;
        this.flushThreshold = size + size / 2;
        this.indices = new int[flushThreshold + size];
    }

    /** Allocates up to {@code n} buffers into {@code dst[offset..]}; returns how many (fewer only if the pool runs dry). */
    public int allocBurst(int[] dst, int offset, int n) {
        if (n > size) {
            return pool.allocBurst(dst, offset, n);
        }
        if (length < n) {
            length += pool.allocBurst(indices, length, size + n - length);
        }
        int count = Math.min(n, length);
        // Most recently freed first: those buffers are likely still in this core's caches.
        for (int i = 0; i < count; i++) {
            dst[offset + i] = indices[--length];
        }
        return count;
    }

    /** Frees {@code n} buffers from {@code src[offset..]}. */
    public void freeBurst(int[] src, int offset, int n) {
        if (n > size) {
            pool.freeBurst(src, offset, n);
            return;
        }
        System.arraycopy(src, offset, indices, length, n);
        length += n;
        if (length > flushThreshold) {
            pool.freeBurst(indices, size, length - size);
            length = size;
        }
    }

    /** Returns every cached buffer to the shared ring. */
    public void flush() {
        pool.freeBurst(indices, 0, length);
        length = 0;
    }

    /** Buffers held in this cache now. */
    public int cachedCount() {
        return length;
    }

    public PacketPool pool() {
        return pool;
    }
}
