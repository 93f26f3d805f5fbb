package io.shunt.datapath.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A packet buffer in native memory with guard zones on both sides: the edits are given
 * only the buffer's bounds, so any write outside them changes a guard byte.
 */
final class TestBuffer implements AutoCloseable {
    static final int GUARD = 32;
    private static final byte GUARD_BYTE = (byte) 0xa5;

    private final Arena arena = Arena.ofConfined();
    final MemorySegment segment;
    final Frame frame = new Frame();
    private final int bufferLength;

    TestBuffer(byte[] content, int headroom, int tailroom) {
        this(content, content.length, headroom, tailroom);
    }

    /** A buffer holding the first {@code length} bytes of {@code content} after {@code headroom} bytes. */
    TestBuffer(byte[] content, int length, int headroom, int tailroom) {
        bufferLength = headroom + length + tailroom;
        segment = arena.allocate(GUARD + bufferLength + GUARD);
        segment.fill(GUARD_BYTE);
        MemorySegment.copy(MemorySegment.ofArray(content), 0, segment, GUARD + headroom, length);
        if (!frame.wrap(segment, GUARD, GUARD + bufferLength, GUARD + headroom, length)) {
            throw new IllegalStateException("test buffer bounds");
        }
    }

    /** The frame's current bytes. */
    byte[] bytes() {
        return segment.asSlice(frame.offset(), frame.length()).toArray(ValueLayout.JAVA_BYTE);
    }

    void assertGuardsIntact(String context) {
        for (int i = 0; i < GUARD; i++) {
            assertEquals(GUARD_BYTE, segment.get(ValueLayout.JAVA_BYTE, i), context + ": byte before the buffer written");
            assertEquals(GUARD_BYTE, segment.get(ValueLayout.JAVA_BYTE, GUARD + bufferLength + i),
                    context + ": byte after the buffer written");
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
