package io.shunt.datapath.buffer;

/**
 * Byte layout of one packet buffer, relative to the buffer start: a one-cache-line metadata
 * header, then headroom, then the data room. Packet data starts at the data offset
 * (by default just after the headroom) and is {@code length} bytes long; both are written
 * by whoever fills the buffer, so a consumer checks them before use
 * (a packet ring checks them on dequeue). docs/shm-layout.md mirrors it.
 */
public final class BufferLayout {
    /** Metadata header length: one cache line. */
    public static final int METADATA_LENGTH = 64;
    /** Default room before the packet data (for pushed headers: VLAN, tunnels). */
    public static final int DEFAULT_HEADROOM = 128;
    /** Default room for packet data: a 1500-byte MTU frame plus slack, as DPDK's default mbuf. */
    public static final int DEFAULT_DATA_ROOM = 2048;

    public static final int LENGTH_OFFSET;
    public static final int DATA_OFFSET_OFFSET;
    public static final int INPUT_PORT_OFFSET;
    public static final int FLAGS_OFFSET;
    public static final int BUFFER_INDEX_OFFSET;
    public static final int USER_DATA_OFFSET;

    static {
        int offset = 0;
        LENGTH_OFFSET = offset;       // int: packet length in bytes
        offset += Integer.BYTES;
        DATA_OFFSET_OFFSET = offset;  // int: packet start, from the buffer start (>= METADATA_LENGTH)
        offset += Integer.BYTES;
        INPUT_PORT_OFFSET = offset;   // int: port the packet entered on (set by the switch)
        offset += Integer.BYTES;
        FLAGS_OFFSET = offset;        // int: packet flags, 0 for now
        offset += Integer.BYTES;
        BUFFER_INDEX_OFFSET = offset; // int: this buffer's own index, written at pool creation (diagnostics)
        offset += Integer.BYTES;
        offset += Integer.BYTES;      // reserved, zero
        USER_DATA_OFFSET = offset;    // long: free for the application (e.g. a timestamp)
        offset += Long.BYTES;
        if (offset > METADATA_LENGTH) {
            throw new AssertionError("buffer metadata overflows " + METADATA_LENGTH + " bytes");
        }
        // Bytes offset..METADATA_LENGTH reserved, zero.
    }

    private BufferLayout() {
    }

    /** Buffer stride for a headroom and data room: rounded up to a cache line. */
    public static int bufferSize(int headroom, int dataRoom) {
        return (METADATA_LENGTH + headroom + dataRoom + 63) & -64;
    }
}
