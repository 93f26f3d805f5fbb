package io.shunt.datapath.region;

/**
 * Byte layout of the header at offset 0 of every region (DESIGN.md section 2;
 * docs/shm-layout.md mirrors it). Native byte order (little-endian on x86-64); the magic
 * doubles as a byte-order check.
 *
 * <p>The creator fills the whole header in a temporary file, renames it into place, and
 * the magic is written last with release semantics, so a reader either sees no file, or a
 * file whose header is complete.
 */
public final class RegionHeaderLayout {
    /** "SHUNTRGN" read as a little-endian long. */
    public static final long MAGIC = 0x4e4752544e554853L;
    /** Version of this header format; bumped only if the header itself changes. */
    public static final int HEADER_VERSION = 1;
    /** Longest region name, in UTF-8 bytes (NUL-padded in the header). */
    public static final int NAME_LENGTH = 64;
    /** Longest layout entry name, in ASCII bytes (NUL-padded). */
    public static final int ENTRY_NAME_LENGTH = 16;
    /** Layout table capacity. */
    public static final int MAX_ENTRIES = 16;

    public static final int MAGIC_OFFSET;
    public static final int HEADER_VERSION_OFFSET;
    public static final int LAYOUT_VERSION_OFFSET;
    public static final int KIND_OFFSET;
    public static final int ENTRY_COUNT_OFFSET;
    public static final int REGION_SIZE_OFFSET;
    public static final int GENERATION_OFFSET;
    public static final int CREATOR_PID_OFFSET;
    public static final int CREATION_TIME_OFFSET;
    public static final int NAME_OFFSET;
    public static final int TABLE_OFFSET;
    /** Within one table entry: the entry name. */
    public static final int ENTRY_NAME_OFFSET;
    /** Within one table entry: object offset from the region start (long). */
    public static final int ENTRY_OBJECT_OFFSET_OFFSET;
    /** Within one table entry: object length in bytes (long). */
    public static final int ENTRY_OBJECT_LENGTH_OFFSET;
    public static final int ENTRY_LENGTH;
    /** Total header length; the first object starts here or later. */
    public static final int HEADER_LENGTH;

    static {
        int offset = 0;
        MAGIC_OFFSET = offset;            // long: MAGIC, written last (release) by the creator
        offset += Long.BYTES;
        HEADER_VERSION_OFFSET = offset;   // int: HEADER_VERSION
        offset += Integer.BYTES;
        LAYOUT_VERSION_OFFSET = offset;   // int: version of the kind-specific layout (PortRegionLayout.VERSION, ...)
        offset += Integer.BYTES;
        KIND_OFFSET = offset;             // int: RegionKind.code()
        offset += Integer.BYTES;
        ENTRY_COUNT_OFFSET = offset;      // int: rows used in the layout table
        offset += Integer.BYTES;
        REGION_SIZE_OFFSET = offset;      // long: region size in bytes, a power of two
        offset += Long.BYTES;
        GENERATION_OFFSET = offset;       // long: creator-chosen generation (a re-created region gets a new one)
        offset += Long.BYTES;
        CREATOR_PID_OFFSET = offset;      // long: pid of the creating process
        offset += Long.BYTES;
        CREATION_TIME_OFFSET = offset;    // long: creation time, ms since the epoch
        offset += Long.BYTES;
        offset += Long.BYTES;             // reserved, zero
        NAME_OFFSET = offset;             // 64 bytes: region name, UTF-8, NUL-padded
        offset += NAME_LENGTH;
        TABLE_OFFSET = offset;            // MAX_ENTRIES rows of ENTRY_LENGTH bytes
        int entry = 0;
        ENTRY_NAME_OFFSET = entry;        //   16 bytes: object name, ASCII, NUL-padded
        entry += ENTRY_NAME_LENGTH;
        ENTRY_OBJECT_OFFSET_OFFSET = entry; // long: object offset from the region start
        entry += Long.BYTES;
        ENTRY_OBJECT_LENGTH_OFFSET = entry; // long: object length
        entry += Long.BYTES;
        ENTRY_LENGTH = entry;
        offset += MAX_ENTRIES * ENTRY_LENGTH;
        HEADER_LENGTH = 1024;             // rest reserved, zero
        if (offset > HEADER_LENGTH) {
            throw new AssertionError("region header overflows " + HEADER_LENGTH + " bytes: " + offset);
        }
    }

    private RegionHeaderLayout() {
    }

    /** Offset of table row {@code index} from the region start. */
    public static int entryOffset(int index) {
        return TABLE_OFFSET + index * ENTRY_LENGTH;
    }
}
