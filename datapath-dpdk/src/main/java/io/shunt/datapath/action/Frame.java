package io.shunt.datapath.action;

import java.lang.foreign.MemorySegment;

/**
 * A frame inside a packet buffer, as the packet edits see it: the buffer's bounds
 * {@code [bufferStart, bufferEnd)} in a segment, and the frame's {@code offset} and
 * {@code length} within them. The space between {@code bufferStart} and {@code offset}
 * is headroom: pushing a VLAN tag or an MPLS label moves the frame's start into it,
 * popping moves it forward. Edits never write outside the buffer bounds.
 *
 * <p>A mutable flyweight, re-pointed per packet with {@link #wrap}; one per PMD thread.
 * It also carries the scratch state an edit may need (the SCTP checksum engine), so that
 * no edit allocates.
 */
public final class Frame {
    final Crc32c crc32c = new Crc32c();

    MemorySegment segment;
    long bufferStart;
    long bufferEnd;
    long offset;
    int length;

    /**
     * Points this view at a frame. Returns false, and leaves the view unusable, when the
     * bounds are inconsistent (buffer outside the segment, frame outside the buffer): the
     * caller drops the packet and counts it.
     */
    public boolean wrap(MemorySegment segment, long bufferStart, long bufferEnd, long offset, int length) {
        this.segment = segment;
        if (bufferStart < 0 || bufferEnd > segment.byteSize() || bufferStart > bufferEnd
                || offset < bufferStart || length < 0 || offset > bufferEnd - length) {
            this.length = -1;
            return false;
        }
        this.bufferStart = bufferStart;
        this.bufferEnd = bufferEnd;
        this.offset = offset;
        this.length = length;
        return true;
    }

    public MemorySegment segment() {
        return segment;
    }

    /** Where the frame starts now (moves on push/pop). */
    public long offset() {
        return offset;
    }

    /** The frame's length now (changes on push/pop); -1 after a failed {@link #wrap}. */
    public int length() {
        return length;
    }

    public long bufferStart() {
        return bufferStart;
    }

    public long bufferEnd() {
        return bufferEnd;
    }

    /** Bytes free before the frame. */
    public long headroom() {
        return offset - bufferStart;
    }

    @Override
    public String toString() {
        return "Frame[buffer=" + bufferStart + ".." + bufferEnd + ", offset=" + offset + ", length=" + length + "]";
    }
}
