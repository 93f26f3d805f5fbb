package io.shunt.datapath.region;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A region: one file mapped {@code MAP_SHARED} by every party (DESIGN.md section 2), starting
 * with the header of {@link RegionHeaderLayout}. This is the project's only region-mapping
 * helper: pools, ports and links all go through it.
 *
 * <p>Mapping uses {@link FileChannel#map(FileChannel.MapMode, long, long, Arena)}, which needs
 * no native access. Nothing inside a region is an address: objects are found by offset from
 * the layout table, so every process may map the region wherever it likes.
 *
 * <p>{@link #attach} validates the header before anything else trusts it and never maps
 * past the end of the file (which would raise SIGBUS on first touch): each kind of bad file
 * gets its own {@link RegionFormatException} subclass.
 */
public final class SharedRegion implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedRegion.class);
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final Path file;
    private final RegionKind kind;
    private final String name;
    private final int layoutVersion;
    private final long size;
    private final long generation;
    private final long creatorPid;
    private final List<LayoutEntry> entries;
    private final Arena arena;
    private final MemorySegment segment;

    private SharedRegion(Path file, RegionKind kind, String name, int layoutVersion, long size, long generation,
                         long creatorPid, List<LayoutEntry> entries, Arena arena, MemorySegment segment) {
        this.file = file;
        this.kind = kind;
        this.name = name;
        this.layoutVersion = layoutVersion;
        this.size = size;
        this.generation = generation;
        this.creatorPid = creatorPid;
        this.entries = List.copyOf(entries);
        this.arena = arena;
        this.segment = segment;
    }

    /**
     * Creates region {@code name} in {@code options.directory()}: the size is the smallest
     * power of two that holds {@code minimumSize} bytes and at least one block of the file
     * system (a huge page on hugetlbfs). The file is built under a temporary name and
     * renamed into place once the header and {@code initializer} are done.
     *
     * @throws FileAlreadyExistsException if a region of that name exists
     */
    public static SharedRegion create(RegionOptions options, RegionKind kind, int layoutVersion, String name,
                                      long minimumSize, long generation, List<LayoutEntry> entries,
                                      RegionInitializer initializer) throws IOException {
        byte[] nameBytes = checkName(name);
        if (entries.size() > RegionHeaderLayout.MAX_ENTRIES) {
            throw new IllegalArgumentException("region " + name + ": " + entries.size()
                    + " layout entries, at most " + RegionHeaderLayout.MAX_ENTRIES);
        }
        long needed = Math.max(minimumSize, RegionHeaderLayout.HEADER_LENGTH);
        for (LayoutEntry entry : entries) {
            needed = Math.max(needed, entry.end());
        }
        long block = Files.getFileStore(options.directory()).getBlockSize();
        long size = nextPowerOfTwo(Math.max(needed, block));

        Path target = options.fileOf(name);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "region exists; delete it or pick another name");
        }
        long pid = ProcessHandle.current().pid();
        Path temporary = options.directory().resolve("." + name + ".creating-" + pid);
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Arena arena = Arena.ofShared();
        try {
            MemorySegment segment;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                // ftruncate, not write(): hugetlbfs files can only be sized, never written through.
                try (var file = new java.io.RandomAccessFile(temporary.toFile(), "rw")) {
                    file.setLength(size);
                }
                segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            }
            writeHeader(segment, kind, layoutVersion, nameBytes, size, generation, pid, entries);
            initializer.initialise(segment);
            applyAccess(temporary, options);
            // Everything above becomes visible before the magic (release); attachers read it with acquire.
            LONG.setRelease(segment, (long) RegionHeaderLayout.MAGIC_OFFSET, RegionHeaderLayout.MAGIC);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("created {} region '{}' at {} ({} bytes, generation {})", kind, name, target, size, generation);
            return new SharedRegion(target, kind, name, layoutVersion, size, generation, pid, entries, arena, segment);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /** Reads the layout of one kind of region from a region that passed {@link #attach}. */
    @FunctionalInterface
    public interface LayoutReader<T> {
        T read(SharedRegion region) throws IOException;
    }

    /**
     * Attaches {@code file} as {@link #attach(Path, RegionKind, int)} does, then reads its
     * kind-specific layout with {@code reader}; if the reader refuses the region, the mapping
     * is released before the error propagates.
     */
    public static <T> T attach(Path file, RegionKind expectedKind, int expectedLayoutVersion, LayoutReader<T> reader)
            throws IOException {
        SharedRegion region = attach(file, expectedKind, expectedLayoutVersion);
        try {
            return reader.read(region);
        } catch (IOException | RuntimeException e) {
            region.close();
            throw e;
        }
    }

    /**
     * Maps an existing region after checking, in this order: the file holds a whole header,
     * the magic, the header version, the kind, the layout version, the size (a power of two,
     * not beyond the end of the file), the name and every layout table row.
     */
    public static SharedRegion attach(Path file, RegionKind expectedKind, int expectedLayoutVersion) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment whole;
            long fileLength;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                fileLength = channel.size();
                if (fileLength < RegionHeaderLayout.HEADER_LENGTH) {
                    throw new RegionFormatException.Truncated(file, fileLength, RegionHeaderLayout.HEADER_LENGTH);
                }
                // Mapping exactly the current file length cannot fault; only the header is read
                // before the size field is checked against that length.
                whole = channel.map(FileChannel.MapMode.READ_WRITE, 0, fileLength, arena);
            }
            long magic = (long) LONG.getAcquire(whole, (long) RegionHeaderLayout.MAGIC_OFFSET);
            if (magic != RegionHeaderLayout.MAGIC) {
                throw new RegionFormatException.BadMagic(file, magic);
            }
            int headerVersion = whole.get(ValueLayout.JAVA_INT, RegionHeaderLayout.HEADER_VERSION_OFFSET);
            if (headerVersion != RegionHeaderLayout.HEADER_VERSION) {
                throw new RegionFormatException.VersionMismatch(file, "region header", headerVersion,
                        RegionHeaderLayout.HEADER_VERSION);
            }
            int kindCode = whole.get(ValueLayout.JAVA_INT, RegionHeaderLayout.KIND_OFFSET);
            if (kindCode != expectedKind.code()) {
                throw new RegionFormatException.WrongKind(file, kindCode, expectedKind);
            }
            int layoutVersion = whole.get(ValueLayout.JAVA_INT, RegionHeaderLayout.LAYOUT_VERSION_OFFSET);
            if (layoutVersion != expectedLayoutVersion) {
                throw new RegionFormatException.VersionMismatch(file, expectedKind + " layout", layoutVersion,
                        expectedLayoutVersion);
            }
            long size = whole.get(ValueLayout.JAVA_LONG, RegionHeaderLayout.REGION_SIZE_OFFSET);
            if (size <= 0 || Long.bitCount(size) != 1) {
                throw new RegionFormatException.SizeNotPowerOfTwo(file, "region size in header", size);
            }
            if (size < RegionHeaderLayout.HEADER_LENGTH) {
                throw new RegionFormatException.TooSmall(file, "region header", RegionHeaderLayout.HEADER_LENGTH, size);
            }
            if (fileLength < size) {
                throw new RegionFormatException.Truncated(file, fileLength, size);
            }
            MemorySegment segment = whole.asSlice(0, size);
            String name = readName(file, segment);
            List<LayoutEntry> entries = readEntries(file, segment, size);
            long generation = segment.get(ValueLayout.JAVA_LONG, RegionHeaderLayout.GENERATION_OFFSET);
            long creatorPid = segment.get(ValueLayout.JAVA_LONG, RegionHeaderLayout.CREATOR_PID_OFFSET);
            LOG.debug("attached {} region '{}' at {} ({} bytes, generation {}, creator pid {})",
                    expectedKind, name, file, size, generation, creatorPid);
            return new SharedRegion(file, expectedKind, name, layoutVersion, size, generation, creatorPid, entries,
                    arena, segment);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static void writeHeader(MemorySegment segment, RegionKind kind, int layoutVersion, byte[] name, long size,
                                    long generation, long pid, List<LayoutEntry> entries) {
        segment.set(ValueLayout.JAVA_INT, RegionHeaderLayout.HEADER_VERSION_OFFSET, RegionHeaderLayout.HEADER_VERSION);
        segment.set(ValueLayout.JAVA_INT, RegionHeaderLayout.LAYOUT_VERSION_OFFSET, layoutVersion);
        segment.set(ValueLayout.JAVA_INT, RegionHeaderLayout.KIND_OFFSET, kind.code());
        segment.set(ValueLayout.JAVA_INT, RegionHeaderLayout.ENTRY_COUNT_OFFSET, entries.size());
        segment.set(ValueLayout.JAVA_LONG, RegionHeaderLayout.REGION_SIZE_OFFSET, size);
        segment.set(ValueLayout.JAVA_LONG, RegionHeaderLayout.GENERATION_OFFSET, generation);
        segment.set(ValueLayout.JAVA_LONG, RegionHeaderLayout.CREATOR_PID_OFFSET, pid);
        segment.set(ValueLayout.JAVA_LONG, RegionHeaderLayout.CREATION_TIME_OFFSET, System.currentTimeMillis());
        MemorySegment.copy(name, 0, segment, ValueLayout.JAVA_BYTE, RegionHeaderLayout.NAME_OFFSET, name.length);
        for (int i = 0; i < entries.size(); i++) {
            LayoutEntry entry = entries.get(i);
            if (entry.end() > size) {
                throw new IllegalArgumentException("layout entry " + entry + " ends beyond region size " + size);
            }
            long row = RegionHeaderLayout.entryOffset(i);
            byte[] entryName = entry.name().getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(entryName, 0, segment, ValueLayout.JAVA_BYTE, row + RegionHeaderLayout.ENTRY_NAME_OFFSET,
                    entryName.length);
            segment.set(ValueLayout.JAVA_LONG, row + RegionHeaderLayout.ENTRY_OBJECT_OFFSET_OFFSET, entry.offset());
            segment.set(ValueLayout.JAVA_LONG, row + RegionHeaderLayout.ENTRY_OBJECT_LENGTH_OFFSET, entry.length());
        }
    }

    private static String readName(Path file, MemorySegment segment) throws RegionFormatException {
        String name = NulPaddedString.read(segment, RegionHeaderLayout.NAME_OFFSET, RegionHeaderLayout.NAME_LENGTH);
        if (name == null || name.isEmpty()) {
            throw new RegionFormatException.Corrupt(file, RegionHeaderLayout.NAME_OFFSET,
                    "region name is empty, not NUL-padded or not UTF-8");
        }
        return name;
    }

    private static List<LayoutEntry> readEntries(Path file, MemorySegment segment, long size) throws RegionFormatException {
        int count = segment.get(ValueLayout.JAVA_INT, RegionHeaderLayout.ENTRY_COUNT_OFFSET);
        if (count < 0 || count > RegionHeaderLayout.MAX_ENTRIES) {
            throw new RegionFormatException.Corrupt(file, RegionHeaderLayout.ENTRY_COUNT_OFFSET,
                    "layout table has " + count + " rows, at most " + RegionHeaderLayout.MAX_ENTRIES);
        }
        List<LayoutEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long row = RegionHeaderLayout.entryOffset(i);
            byte[] raw = segment.asSlice(row + RegionHeaderLayout.ENTRY_NAME_OFFSET, RegionHeaderLayout.ENTRY_NAME_LENGTH)
                    .toArray(ValueLayout.JAVA_BYTE);
            int length = 0;
            while (length < raw.length && raw[length] != 0) {
                length++;
            }
            String entryName = new String(raw, 0, length, StandardCharsets.US_ASCII);
            long offset = segment.get(ValueLayout.JAVA_LONG, row + RegionHeaderLayout.ENTRY_OBJECT_OFFSET_OFFSET);
            long objectLength = segment.get(ValueLayout.JAVA_LONG, row + RegionHeaderLayout.ENTRY_OBJECT_LENGTH_OFFSET);
            LayoutEntry entry;
            try {
                entry = new LayoutEntry(entryName, offset, objectLength);
            } catch (IllegalArgumentException e) {
                throw new RegionFormatException.Corrupt(file, row, "layout table row " + i + ": " + e.getMessage());
            }
            if (entry.end() > size || entry.end() < 0) {
                throw new RegionFormatException.TooSmall(file, "object '" + entryName + "' (offset " + offset
                        + ", length " + objectLength + ")", entry.end(), size);
            }
            entries.add(entry);
        }
        return entries;
    }

    private static void applyAccess(Path path, RegionOptions options) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        if (options.owner() != null) {
            view.setOwner(lookup.lookupPrincipalByName(options.owner()));
        }
        if (options.group() != null) {
            view.setGroup(lookup.lookupPrincipalByGroupName(options.group()));
        }
        // Explicit chmod after creation: the umask must not narrow what QEMU needs.
        view.setPermissions(options.permissions());
    }

    private static byte[] checkName(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > RegionHeaderLayout.NAME_LENGTH || name.contains("/")
                || name.startsWith(".") || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("region name must be 1-" + RegionHeaderLayout.NAME_LENGTH
                    + " UTF-8 bytes, no '/', NUL or leading '.': '" + name + "'");
        }
        return bytes;
    }

    /** Smallest power of two {@code >= value} (value {@code >= 1}). */
    public static long nextPowerOfTwo(long value) {
        return value <= 1 ? 1 : Long.highestOneBit(value - 1) << 1;
    }

    /** The whole region, {@link #size()} bytes, offset 0 is the header. */
    public MemorySegment segment() {
        return segment;
    }

    /** The layout table row {@code entryName}, if the header has one. */
    public Optional<LayoutEntry> entry(String entryName) {
        return entries.stream().filter(e -> e.name().equals(entryName)).findFirst();
    }

    /** The layout table row {@code entryName}; a missing row means the region is corrupt. */
    public LayoutEntry requireEntry(String entryName) throws RegionFormatException {
        return entry(entryName).orElseThrow(() -> new RegionFormatException.Corrupt(file,
                RegionHeaderLayout.TABLE_OFFSET, "layout table has no '" + entryName + "' row"));
    }

    public List<LayoutEntry> entries() {
        return entries;
    }

    public Path file() {
        return file;
    }

    public RegionKind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public int layoutVersion() {
        return layoutVersion;
    }

    public long size() {
        return size;
    }

    public long generation() {
        return generation;
    }

    public long creatorPid() {
        return creatorPid;
    }

    /** Unmaps the region (takes milliseconds: never on a hot path). The file stays. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    /** Unmaps the region and removes its file: the creator's job once nobody needs it. */
    public void delete() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    @Override
    public String toString() {
        return kind + " region '" + name + "' (" + file + ", " + size + " bytes, generation " + generation + ")";
    }
}
