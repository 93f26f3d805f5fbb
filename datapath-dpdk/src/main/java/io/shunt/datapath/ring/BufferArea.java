package io.shunt.datapath.ring;

import java.lang.foreign.MemorySegment;

/**
 * What a packet ring needs to know about the buffers its indices name (implemented by the
 * packet pool): where they are, so that it can count bytes on the producer side and check,
 * on the consumer side, that a buffer written by an untrusted peer describes data inside
 * itself (metadata format: {@link io.shunt.datapath.buffer.BufferLayout}).
 */
public interface BufferArea {
    /** Number of buffers; a valid index is in {@code [0, bufferCount())}. */
    int bufferCount();

    /** Buffer stride in bytes: buffer {@code i} starts at {@code i * bufferSize()} of {@link #buffers()}. */
    int bufferSize();

    /** The buffer area, exactly {@code bufferCount() * bufferSize()} bytes. */
    MemorySegment buffers();

    /** Gives buffer {@code index} back to the free ring (a rejected packet still owns its buffer). */
    void release(int index);
}
