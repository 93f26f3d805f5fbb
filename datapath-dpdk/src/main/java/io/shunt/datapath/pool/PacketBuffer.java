package io.shunt.datapath.pool;

import io.shunt.datapath.buffer.BufferLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A re-pointable view of one packet buffer of a pool (a flyweight: allocate one per
 * thread, {@link #wrap} it on each index, nothing is allocated per packet).
 *
 * <p>Metadata getters return what is in shared memory, which a peer may have written. The
 * data offset is read and checked once, by {@link #wrap} (and updated by {@link #reset} and
 * {@link #dataOffset(int)}): data accessors use that checked copy, so a peer that rewrites
 * the offset afterwards cannot move our accesses, and every access is checked against the
 * buffer's end: a bad offset or length makes an access fail with an exception, never reach
 * outside the buffer. Data is read and written in network byte order (big-endian) by the
 * multi-byte accessors, as packet headers are.
 */
public final class PacketBuffer {
    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NET_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong NET_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private final MemorySegment buffers;
    private final int bufferCount;
    private final int bufferSize;
    private final int defaultDataOffset;
    private long base = -1;
    private int index = -1;
    /** Where packet byte 0 is in the area, from the data offset checked at wrap time. */
    private long dataStart;
    /** Bytes from packet byte 0 to the buffer end; 0 if the data offset read was invalid. */
    private int dataRoom;

    PacketBuffer(PacketPool pool) {
        this.buffers = pool.buffers();
        this.bufferCount = pool.bufferCount();
        this.bufferSize = pool.bufferSize();
        this.defaultDataOffset = pool.defaultDataOffset();
    }

    /** Points this view at buffer {@code index}. */
    public PacketBuffer wrap(int index) {
        Objects.checkIndex(index, bufferCount);
        this.index = index;
        this.base = (long) index * bufferSize;
        useDataOffset(buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET));
        return this;
    }

    /**
     * Points this view at a buffer just allocated and {@link #reset}s it, without reading its
     * metadata first: reading a line that another core wrote last, then writing it, costs
     * two coherence transactions where a write alone costs one.
     */
    public PacketBuffer wrapNew(int index) {
        Objects.checkIndex(index, bufferCount);
        this.index = index;
        this.base = (long) index * bufferSize;
        return reset();
    }

    private void useDataOffset(int dataOffset) {
        if (dataOffset < BufferLayout.METADATA_LENGTH || dataOffset > bufferSize) {
            dataStart = base;
            dataRoom = 0;
        } else {
            dataStart = base + dataOffset;
            dataRoom = bufferSize - dataOffset;
        }
    }

    /** Index of the buffer this view points at. */
    public int index() {
        return index;
    }

    /** Sets the metadata of a freshly allocated buffer: empty packet at the default data offset. */
    public PacketBuffer reset() {
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET, 0);
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET, defaultDataOffset);
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.INPUT_PORT_OFFSET, 0);
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.FLAGS_OFFSET, 0);
        useDataOffset(defaultDataOffset);
        return this;
    }

    public int length() {
        return buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET);
    }

    /** Sets the packet length; it must fit between the data offset and the buffer end. */
    public PacketBuffer length(int length) {
        int room = dataRoom;
        if (length < 0 || length > room) {
            throw new IllegalArgumentException("buffer " + index + ": length " + length + " outside [0, " + room + "]");
        }
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.LENGTH_OFFSET, length);
        return this;
    }

    /** Packet start, in bytes from the buffer start. */
    public int dataOffset() {
        return buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET);
    }

    /** Moves the packet start (e.g. into the headroom to push a header); keeps the length if it still fits. */
    public PacketBuffer dataOffset(int dataOffset) {
        if (dataOffset < BufferLayout.METADATA_LENGTH || dataOffset > bufferSize) {
            throw new IllegalArgumentException("buffer " + index + ": data offset " + dataOffset + " outside ["
                    + BufferLayout.METADATA_LENGTH + ", " + bufferSize + "]");
        }
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.DATA_OFFSET_OFFSET, dataOffset);
        useDataOffset(dataOffset);
        return this;
    }

    public int inputPort() {
        return buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.INPUT_PORT_OFFSET);
    }

    public PacketBuffer inputPort(int port) {
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.INPUT_PORT_OFFSET, port);
        return this;
    }

    public int flags() {
        return buffers.get(ValueLayout.JAVA_INT, base + BufferLayout.FLAGS_OFFSET);
    }

    public PacketBuffer flags(int flags) {
        buffers.set(ValueLayout.JAVA_INT, base + BufferLayout.FLAGS_OFFSET, flags);
        return this;
    }

    public long userData() {
        return buffers.get(ValueLayout.JAVA_LONG, base + BufferLayout.USER_DATA_OFFSET);
    }

    public PacketBuffer userData(long value) {
        buffers.set(ValueLayout.JAVA_LONG, base + BufferLayout.USER_DATA_OFFSET, value);
        return this;
    }

    /** Whether data offset and length stay inside the buffer (what a consumer checks on receive). */
    public boolean isWellFormed() {
        int dataOffset = dataOffset();
        int length = length();
        return dataOffset >= BufferLayout.METADATA_LENGTH && length >= 0 && length <= bufferSize - dataOffset;
    }

    /** Offset in {@link #area()} of packet byte {@code at}, checked for an access of {@code size} bytes. */
    public long dataPosition(int at, int size) {
        if (at < 0 || size < 0 || at > dataRoom - size) {
            throw new IndexOutOfBoundsException("buffer " + index + ": " + size + " bytes at packet offset " + at
                    + " with data offset " + (dataStart - base) + " overflow the " + bufferSize + "-byte buffer"
                    + (dataRoom == 0 ? " (the data offset in the buffer was invalid when it was wrapped)" : ""));
        }
        return dataStart + at;
    }

    public byte getByte(int at) {
        return buffers.get(ValueLayout.JAVA_BYTE, dataPosition(at, 1));
    }

    public PacketBuffer putByte(int at, byte value) {
        buffers.set(ValueLayout.JAVA_BYTE, dataPosition(at, 1), value);
        return this;
    }

    /** Big-endian 16-bit value at packet offset {@code at}, as an unsigned int. */
    public int getShort(int at) {
        return Short.toUnsignedInt(buffers.get(NET_SHORT, dataPosition(at, 2)));
    }

    public PacketBuffer putShort(int at, int value) {
        buffers.set(NET_SHORT, dataPosition(at, 2), (short) value);
        return this;
    }

    public int getInt(int at) {
        return buffers.get(NET_INT, dataPosition(at, 4));
    }

    public PacketBuffer putInt(int at, int value) {
        buffers.set(NET_INT, dataPosition(at, 4), value);
        return this;
    }

    public long getLong(int at) {
        return buffers.get(NET_LONG, dataPosition(at, 8));
    }

    public PacketBuffer putLong(int at, long value) {
        buffers.set(NET_LONG, dataPosition(at, 8), value);
        return this;
    }

    /** Copies {@code length} bytes from {@code src[srcOffset..]} to packet offset {@code at}. */
    public PacketBuffer putBytes(int at, byte[] src, int srcOffset, int length) {
        MemorySegment.copy(src, srcOffset, buffers, ValueLayout.JAVA_BYTE, dataPosition(at, length), length);
        return this;
    }

    /** Copies {@code length} bytes from packet offset {@code at} to {@code dst[dstOffset..]}. */
    public PacketBuffer getBytes(int at, byte[] dst, int dstOffset, int length) {
        MemorySegment.copy(buffers, ValueLayout.JAVA_BYTE, dataPosition(at, length), dst, dstOffset, length);
        return this;
    }

    /** The pool's whole buffer area, for zero-copy users; pair with {@link #dataPosition}. */
    public MemorySegment area() {
        return buffers;
    }
}
