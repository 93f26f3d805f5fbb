package io.shunt.datapath.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.pool.PoolLayout;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.port.PortRegionLayout;
import io.shunt.datapath.ring.RingLayout;

/**
 * Creating regions and refusing bad ones: every way a region file can be wrong gives its
 * own exception naming the file, and nothing is mapped past the end of a file.
 */
class SharedRegionTest {
    private ShmDirectory dir;
    private PacketPool pool;

    @BeforeEach
    void createPool() throws IOException {
        dir = ShmDirectory.create();
        pool = PacketPool.create(dir.options(), "pool", 64, 42);
    }

    @AfterEach
    void removeDirectory() {
        pool.close();
        dir.close();
    }

    @Test
    void attachSeesWhatCreateWrote() throws IOException {
        long before = System.currentTimeMillis();
        try (PortRegion created = PortRegion.create(dir.options(), "port-7", 7, 256, pool, 9);
             SharedRegion attached = SharedRegion.attach(dir.path().resolve("port-7"), RegionKind.PORT,
                     PortRegionLayout.VERSION)) {
            assertEquals("port-7", attached.name());
            assertEquals(RegionKind.PORT, attached.kind());
            assertEquals(9, attached.generation());
            assertEquals(ProcessHandle.current().pid(), attached.creatorPid());
            assertEquals(created.region().size(), attached.size());
            assertEquals(1, Long.bitCount(attached.size()), "power-of-two size");
            assertTrue(attached.size() >= PortRegionLayout.length(256));
            assertEquals(PortRegionLayout.RX_RING_OFFSET, attached.requireEntry("rx").offset());
            assertEquals(PortRegionLayout.txRingOffset(256), attached.requireEntry("tx").offset());
            assertEquals(RingLayout.length(256), attached.requireEntry("tx").length());
            assertTrue(attached.segment().get(java.lang.foreign.ValueLayout.JAVA_LONG,
                    RegionHeaderLayout.CREATION_TIME_OFFSET) >= before);
            assertEquals(4, attached.entries().size());
        }
        try (PortRegion port = PortRegion.attach(dir.path().resolve("port-7"))) {
            assertEquals(7, port.portNumber());
            assertEquals(256, port.ringCapacity());
            assertEquals("pool", port.poolName());
            assertEquals(42, port.poolGeneration());
        }
    }

    @Test
    void regionFileGetsTheRequestedModeDespiteTheUmaskAndTheRequestedOwner() throws IOException {
        RegionOptions options = dir.options().withPermissions("rw-rw-rw-").withOwner("nobody", "nogroup");
        try (PortRegion port = PortRegion.create(options, "for-qemu", 1, 64, pool, 1)) {
            Path file = port.region().file();
            assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("nobody", Files.getOwner(file).getName());
        }
        assertFalse(Files.list(dir.path()).anyMatch(p -> p.getFileName().toString().startsWith(".")),
                "no temporary file left behind");
    }

    @Test
    void creatingAnExistingRegionFails() throws IOException {
        try (PortRegion port = PortRegion.create(dir.options(), "dup", 1, 64, pool, 1)) {
            assertThrows(FileAlreadyExistsException.class, () -> PortRegion.create(dir.options(), "dup", 2, 64, pool, 1));
        }
    }

    @Test
    void hugetlbfsRegionSizeIsAWholeNumberOfHugePages() throws IOException {
        String unavailable = ShmDirectory.hugetlbfsUnavailableReason();
        Assumptions.assumeTrue(unavailable == null, () -> "hugetlbfs test skipped: " + unavailable);
        try (ShmDirectory huge = ShmDirectory.createUnder(ShmDirectory.HUGEPAGES);
             PortRegion port = PortRegion.create(huge.options(), "port", 1, 64, pool, 1);
             PortRegion attached = PortRegion.attach(port.region().file())) {
            long hugePage = Files.getFileStore(huge.path()).getBlockSize();
            assertEquals(0, port.region().size() % hugePage);
            assertEquals(64, attached.ringCapacity());
        }
    }

    @Test
    void wrongMagicIsRefused() throws IOException {
        Path file = port("p");
        putLong(file, RegionHeaderLayout.MAGIC_OFFSET, 0x1122334455667788L);
        var e = assertThrows(RegionFormatException.BadMagic.class, () -> PortRegion.attach(file));
        assertTrue(e.getMessage().contains("0x1122334455667788"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void zeroFilledFileIsReportedAsNotInitialised() throws IOException {
        Path file = dir.path().resolve("zeros");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(65536));
        }
        var e = assertThrows(RegionFormatException.BadMagic.class, () -> PortRegion.attach(file));
        assertTrue(e.getMessage().contains("not initialised"), e.getMessage());
    }

    @Test
    void headerVersionMismatchIsRefused() throws IOException {
        Path file = port("p");
        putInt(file, RegionHeaderLayout.HEADER_VERSION_OFFSET, RegionHeaderLayout.HEADER_VERSION + 1);
        var e = assertThrows(RegionFormatException.VersionMismatch.class, () -> PortRegion.attach(file));
        assertTrue(e.getMessage().contains("region header version 2"), e.getMessage());
    }

    @Test
    void layoutVersionMismatchIsRefused() throws IOException {
        Path file = port("p");
        putInt(file, RegionHeaderLayout.LAYOUT_VERSION_OFFSET, PortRegionLayout.VERSION + 1);
        var e = assertThrows(RegionFormatException.VersionMismatch.class, () -> PortRegion.attach(file));
        assertTrue(e.getMessage().contains("PORT layout version 2"), e.getMessage());
    }

    @Test
    void controlBlockVersionMismatchIsRefused() throws IOException {
        Path file = port("p");
        putInt(file, PortRegionLayout.CONTROL_OFFSET + PortRegionLayout.CONTROL_VERSION_OFFSET, 7);
        var e = assertThrows(RegionFormatException.VersionMismatch.class, () -> PortRegion.attach(file));
        assertTrue(e.getMessage().contains("control block version 7"), e.getMessage());
    }

    @Test
    void wrongKindIsRefused() throws IOException {
        Path poolFile = pool.region().file();
        var asPort = assertThrows(RegionFormatException.WrongKind.class, () -> PortRegion.attach(poolFile));
        assertTrue(asPort.getMessage().contains("region kind POOL, expected PORT"), asPort.getMessage());
        Path portFile = port("p");
        var asLink = assertThrows(RegionFormatException.WrongKind.class, () -> LinkRegion.attach(portFile));
        assertTrue(asLink.getMessage().contains("region kind PORT, expected LINK"), asLink.getMessage());
        putInt(portFile, RegionHeaderLayout.KIND_OFFSET, 77);
        var unknown = assertThrows(RegionFormatException.WrongKind.class, () -> PortRegion.attach(portFile));
        assertTrue(unknown.getMessage().contains("code 77 (unknown)"), unknown.getMessage());
    }

    @Test
    void truncatedFileIsRefusedBeforeMappingPastItsEnd() throws IOException {
        Path file = port("p");
        long size = Files.size(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size / 2);
        }
        var e = assertThrows(RegionFormatException.Truncated.class, () -> PortRegion.attach(file));
        assertTrue(e.getMessage().contains("file is " + size / 2 + " bytes long, region needs " + size), e.getMessage());
    }

    @Test
    void fileShorterThanAHeaderIsTruncated() throws IOException {
        Path file = port("p");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(100);
        }
        var e = assertThrows(RegionFormatException.Truncated.class, () -> PortRegion.attach(file));
        assertTrue(e.getMessage().contains("region needs " + RegionHeaderLayout.HEADER_LENGTH), e.getMessage());
    }

    @Test
    void sizeNotAPowerOfTwoIsRefused() throws IOException {
        Path file = port("p");
        putLong(file, RegionHeaderLayout.REGION_SIZE_OFFSET, Files.size(file) - 4096);
        var e = assertThrows(RegionFormatException.SizeNotPowerOfTwo.class, () -> PortRegion.attach(file));
        assertTrue(e.getMessage().contains("is not a power of two"), e.getMessage());
    }

    @Test
    void regionTooSmallForItsObjectsIsRefused() throws IOException {
        Path file = port("p");
        putLong(file, RegionHeaderLayout.REGION_SIZE_OFFSET, 2048);
        var e = assertThrows(RegionFormatException.TooSmall.class, () -> PortRegion.attach(file));
        assertTrue(e.getMessage().contains("object 'rx' (offset 1664, length 640) needs 2304 bytes, region size is 2048"), e.getMessage());
    }

    @Test
    void ringCapacityTooLargeForTheRegionIsRefused() throws IOException {
        Path file = port("p");
        putInt(file, PortRegionLayout.DESCRIPTOR_OFFSET + PortRegionLayout.RING_CAPACITY_OFFSET, 1 << 24);
        var e = assertThrows(RegionFormatException.TooSmall.class, () -> PortRegion.attach(file));
        assertTrue(e.getMessage().contains("port rings of 16777216 slots"), e.getMessage());
    }

    @Test
    void corruptHeaderFieldsAreRefused() throws IOException {
        Path badName = port("name");
        putLong(badName, RegionHeaderLayout.NAME_OFFSET, -1L);
        assertTrue(assertThrows(RegionFormatException.Corrupt.class, () -> PortRegion.attach(badName))
                .getMessage().contains("region name"));

        Path badTable = port("table");
        putInt(badTable, RegionHeaderLayout.ENTRY_COUNT_OFFSET, 99);
        assertTrue(assertThrows(RegionFormatException.Corrupt.class, () -> PortRegion.attach(badTable))
                .getMessage().contains("layout table has 99 rows"));

        Path badRow = port("row");
        putLong(badRow, RegionHeaderLayout.entryOffset(2) + RegionHeaderLayout.ENTRY_OBJECT_OFFSET_OFFSET, 1000);
        assertTrue(assertThrows(RegionFormatException.Corrupt.class, () -> PortRegion.attach(badRow))
                .getMessage().contains("layout table row 2"));

        Path badCapacity = port("capacity");
        putInt(badCapacity, PortRegionLayout.DESCRIPTOR_OFFSET + PortRegionLayout.RING_CAPACITY_OFFSET, 100);
        assertTrue(assertThrows(RegionFormatException.Corrupt.class, () -> PortRegion.attach(badCapacity))
                .getMessage().contains("ring capacity 100 is not a power of two"));

        Path badRing = port("ring");
        putInt(badRing, PortRegionLayout.RX_RING_OFFSET + RingLayout.TYPE_OFFSET, RingLayout.TYPE_MPMC);
        assertTrue(assertThrows(RegionFormatException.Corrupt.class, () -> PortRegion.attach(badRing))
                .getMessage().contains("expected an SPSC ring of 64"));
    }

    @Test
    void corruptPoolDescriptorIsRefused() throws IOException {
        try (PacketPool other = PacketPool.create(dir.options(), "pool2", 16, 1)) {
            Path file = other.region().file();
            putInt(file, PoolLayout.DESCRIPTOR_OFFSET + PoolLayout.BUFFER_SIZE_OFFSET, 100);
            var e = assertThrows(RegionFormatException.Corrupt.class, () -> PacketPool.attach(file));
            assertTrue(e.getMessage().contains("pool descriptor: 16 buffers of 100 bytes"), e.getMessage());
        }
    }

    private Path port(String name) throws IOException {
        try (PortRegion port = PortRegion.create(dir.options(), name, 1, 64, pool, 1)) {
            return port.region().file();
        }
    }

    private static void putInt(Path file, long offset, int value) throws IOException {
        write(file, offset, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value));
    }

    private static void putLong(Path file, long offset, long value) throws IOException {
        write(file, offset, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value));
    }

    private static void write(Path file, long offset, ByteBuffer bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(bytes, offset);
        }
    }
}
