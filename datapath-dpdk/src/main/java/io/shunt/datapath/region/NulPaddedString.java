package io.shunt.datapath.region;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A fixed-size, NUL-padded UTF-8 string field inside a region (names of regions and pools). */
public final class NulPaddedString {
    private NulPaddedString() {
    }

    /** Writes {@code value} into the {@code fieldLength}-byte field at {@code offset}, NUL-padding the rest. */
    public static void write(MemorySegment segment, long offset, int fieldLength, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > fieldLength || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("'" + value + "' does not fit a " + fieldLength + "-byte name field");
        }
        segment.asSlice(offset, fieldLength).fill((byte) 0);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, offset, bytes.length);
    }

    /**
     * Reads the field at {@code offset}; {@code null} if it is not valid (bytes after the
     * first NUL, or not UTF-8). An all-NUL field reads as the empty string.
     */
    public static String read(MemorySegment segment, long offset, int fieldLength) {
        byte[] raw = segment.asSlice(offset, fieldLength).toArray(ValueLayout.JAVA_BYTE);
        int length = 0;
        while (length < raw.length && raw[length] != 0) {
            length++;
        }
        for (int i = length; i < raw.length; i++) {
            if (raw[i] != 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
