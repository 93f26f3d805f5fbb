package io.shunt.datapath.ring;

/**
 * What a packet ring needs to know about the buffers its indices name (implemented by the
 * packet pool): enough to count bytes on the producer side and to check, on the consumer
 * side, that a buffer written by an untrusted peer describes data inside itself.
 */
public interface BufferArea {
    /** Number of buffers; a valid index is in {@code [0, bufferCount())}. */
    int bufferCount();

    /** Packet length stored in buffer {@code index} (a valid index). */
    int packetLength(int index);

    /** Whether the data offset and length of buffer {@code index} (a valid index) stay inside it. */
    boolean isWellFormed(int index);

    /** Gives buffer {@code index} back to the free ring (a rejected packet still owns its buffer). */
    void release(int index);
}
