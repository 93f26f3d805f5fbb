package io.shunt.datapath.action;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli), the SCTP checksum (RFC 9260 appendix A, formerly RFC 3309),
 * over bytes of a memory segment. The JDK's {@link CRC32C} is a HotSpot intrinsic using
 * the CPU's crc32c instructions (SSE 4.2 / ARMv8), about 15 times faster here than a
 * slicing-by-8 table in Java on a 1400-byte packet, but it takes a heap array or a
 * ByteBuffer; a ByteBuffer view of a segment would be allocated per call. So the bytes
 * are staged through a fixed 2 KiB array, chunk by chunk: allocation-free.
 *
 * <p>Stateful: one per PMD thread ({@link Frame} carries one).
 */
public final class Crc32c {
    private static final int CHUNK = 2048;

    private final CRC32C crc = new CRC32C();
    private final byte[] staging = new byte[CHUNK];

    /** CRC-32C of {@code segment[offset, offset + length)} (initial value and final xor included). */
    public int compute(MemorySegment segment, long offset, int length) {
        crc.reset();
        for (int done = 0; done < length; done += CHUNK) {
            int n = Math.min(CHUNK, length - done);
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset + done, staging, 0, n);
            crc.update(staging, 0, n);
        }
        return (int) crc.getValue();
    }
}
