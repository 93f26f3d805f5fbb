package io.shunt.datapath.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Checks a ring descriptor written by someone else before a ring view trusts it. */
final class RingDescriptor {
    private RingDescriptor() {
    }

    /**
     * The capacity of the ring at {@code offset}, after checking that it is 128-byte aligned,
     * of type {@code type}, a power of two, and fits in {@code available} bytes and the region.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static int checkedCapacity(MemorySegment region, long offset, long available, int type) {
        if (offset < 0 || (offset & (RingLayout.BLOCK - 1)) != 0 || offset + RingLayout.SLOTS_OFFSET > region.byteSize()) {
            throw new IllegalArgumentException("ring offset " + offset + " is not a 128-byte aligned offset inside the "
                    + region.byteSize() + "-byte region");
        }
        int capacity = region.get(ValueLayout.JAVA_INT, offset + RingLayout.CAPACITY_OFFSET);
        int foundType = region.get(ValueLayout.JAVA_INT, offset + RingLayout.TYPE_OFFSET);
        if (foundType != type) {
            throw new IllegalArgumentException("ring at offset " + offset + " has type " + foundType + ", expected " + type);
        }
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring at offset " + offset + " has capacity " + capacity
                    + ", not a power of two >= 2");
        }
        long length = RingLayout.length(capacity);
        if (length > available || offset + length > region.byteSize()) {
            throw new IllegalArgumentException("ring at offset " + offset + " with capacity " + capacity + " needs "
                    + length + " bytes, only " + Math.min(available, region.byteSize() - offset) + " available");
        }
        return capacity;
    }
}
