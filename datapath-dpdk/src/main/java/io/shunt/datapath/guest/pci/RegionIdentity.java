package io.shunt.datapath.guest.pci;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.shunt.datapath.region.NulPaddedString;
import io.shunt.datapath.region.RegionFormatException;
import io.shunt.datapath.region.RegionHeaderLayout;
import io.shunt.datapath.region.RegionKind;

/**
 * What a region header says a device is, read before anyone attaches it: an ivshmem device
 * has no name of its own in the guest, so its kind (pool, port, link) and region name come
 * from the first bytes of its BAR2. Only the identifying fields are read here; the attach of
 * the region's own class ({@code PortRegion.attach}, {@code LinkRegion.attach}, ...) validates
 * the whole header and layout before anything is used.
 *
 * @param kind       the region kind
 * @param name       the region name (e.g. {@code shunt-port-p1}, {@code shunt-link-br0-1-2-7})
 * @param generation the creator's generation of that region
 * @param size       the region size from the header (at most the device's BAR size)
 */
public record RegionIdentity(RegionKind kind, String name, long generation, long size) {

    /**
     * Maps the header of {@code file} (a BAR2 resource file, or a region file on the host)
     * read-only and reads its identity.
     *
     * @throws RegionFormatException if the file is shorter than a header, or the magic, header
     *                               version, kind, name or size is not one a region can have
     */
    public static RegionIdentity read(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            if (length < RegionHeaderLayout.HEADER_LENGTH) {
                throw new RegionFormatException.Truncated(file, length, RegionHeaderLayout.HEADER_LENGTH);
            }
            MemorySegment header = channel.map(FileChannel.MapMode.READ_ONLY, 0, RegionHeaderLayout.HEADER_LENGTH, arena);
            // Acquire pairs with the creator's release store of the magic, written last.
            long magic = (long) ValueLayout.JAVA_LONG.varHandle().getAcquire(header, (long) RegionHeaderLayout.MAGIC_OFFSET);
            if (magic != RegionHeaderLayout.MAGIC) {
                throw new RegionFormatException.BadMagic(file, magic);
            }
            int headerVersion = header.get(ValueLayout.JAVA_INT, RegionHeaderLayout.HEADER_VERSION_OFFSET);
            if (headerVersion != RegionHeaderLayout.HEADER_VERSION) {
                throw new RegionFormatException.VersionMismatch(file, "region header", headerVersion,
                        RegionHeaderLayout.HEADER_VERSION);
            }
            int code = header.get(ValueLayout.JAVA_INT, RegionHeaderLayout.KIND_OFFSET);
            RegionKind kind = RegionKind.fromCode(code);
            if (kind == null) {
                throw new RegionFormatException.Corrupt(file, RegionHeaderLayout.KIND_OFFSET, "unknown region kind " + code);
            }
            long size = header.get(ValueLayout.JAVA_LONG, RegionHeaderLayout.REGION_SIZE_OFFSET);
            if (size < RegionHeaderLayout.HEADER_LENGTH || Long.bitCount(size) != 1) {
                throw new RegionFormatException.SizeNotPowerOfTwo(file, "region size in header", size);
            }
            if (size > length) {
                throw new RegionFormatException.Truncated(file, length, size);
            }
            String name = NulPaddedString.read(header, RegionHeaderLayout.NAME_OFFSET, RegionHeaderLayout.NAME_LENGTH);
            if (name == null || name.isEmpty() || name.contains("/") || name.startsWith(".")) {
                throw new RegionFormatException.Corrupt(file, RegionHeaderLayout.NAME_OFFSET,
                        "region name is empty, not NUL-padded, or not usable as a file name");
            }
            long generation = header.get(ValueLayout.JAVA_LONG, RegionHeaderLayout.GENERATION_OFFSET);
            return new RegionIdentity(kind, name, generation, size);
        }
    }
}
