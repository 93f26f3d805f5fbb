package io.shunt.datapath.region;

/**
 * One row of a region header's layout table: a named object (a ring, a control block, the
 * buffer area) and where it lives, relative to the region start.
 *
 * @param name   at most {@link RegionHeaderLayout#ENTRY_NAME_LENGTH} ASCII characters
 * @param offset byte offset from the region start, a multiple of 64
 * @param length byte length of the object
 */
public record LayoutEntry(String name, long offset, long length) {
    public LayoutEntry {
        if (name.isEmpty() || name.length() > RegionHeaderLayout.ENTRY_NAME_LENGTH
                || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("layout entry name must be 1-"
                    + RegionHeaderLayout.ENTRY_NAME_LENGTH + " printable ASCII characters: '" + name + "'");
        }
        if (offset < RegionHeaderLayout.HEADER_LENGTH || (offset & 63) != 0 || length <= 0) {
            throw new IllegalArgumentException("layout entry '" + name + "' at offset " + offset
                    + " length " + length + ": must start after the header, 64-byte aligned, non-empty");
        }
    }

    /** First byte after the object. */
    public long end() {
        return offset + length;
    }
}
