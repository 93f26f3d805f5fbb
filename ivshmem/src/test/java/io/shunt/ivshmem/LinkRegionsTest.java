package io.shunt.ivshmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.region.RegionOptions;

class LinkRegionsTest {
    @TempDir
    Path dir;
    PacketPool pool;

    @BeforeEach
    void pool() throws IOException {
        pool = TestRegions.pool(dir, "shunt-pool-br0");
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void createMakesANamedLinkRegionThatAGuestCanAttach() throws IOException {
        LinkRegions links = new LinkRegions(RegionOptions.in(dir));
        try (LinkRegion created = links.create("br0", 1, 2, 2, 256, pool)) {
            assertEquals("shunt-link-br0-1-2-1", created.region().name());
            Path file = dir.resolve("shunt-link-br0-1-2-1");
            assertEquals(file, created.region().file());
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            try (LinkRegion attached = LinkRegion.attach(file)) {
                assertEquals(1, attached.linkGeneration());
                assertEquals(1, attached.portA());
                assertEquals(2, attached.portB());
                assertEquals(2, attached.directions());
                assertEquals(256, attached.ringCapacity());
                assertEquals("shunt-pool-br0", attached.poolName());
            }
        }
    }

    @Test
    void theFileIsLongEnoughForItsIvshmemDevice() throws IOException {
        LinkRegions links = new LinkRegions(RegionOptions.in(dir));
        try (LinkRegion created = links.create("br0", 1, 2, 1, 64, pool)) {
            LinkDevice device = LinkDevice.of(created);
            assertTrue(device.regionBytes() < LinkDevice.MIB, "a small link: " + device.regionBytes());
            assertEquals(1, device.deviceMiB());
            assertEquals(LinkDevice.MIB, Files.size(device.file()), "QEMU refuses a backing file shorter than the device");
            assertTrue(device.backingFileLongEnough());
        }
    }

    @Test
    void generationsAreNotReusedAfterFreeAndRestart() throws IOException {
        LinkRegions first = new LinkRegions(RegionOptions.in(dir));
        LinkRegion one = first.create("br0", 1, 2, 2, 64, pool);
        assertTrue(first.free(one));
        assertFalse(Files.exists(dir.resolve("shunt-link-br0-1-2-1")));
        LinkRegions restarted = new LinkRegions(RegionOptions.in(dir));
        try (LinkRegion two = restarted.create("br0", 1, 2, 2, 64, pool)) {
            assertEquals("shunt-link-br0-1-2-2", two.region().name());
            assertEquals(2, two.linkGeneration());
        }
    }

    @Test
    void listFindsTheLinksToReAdoptAndSkipsWhatIsNotALinkRegion() throws IOException {
        LinkRegions links = new LinkRegions(RegionOptions.in(dir));
        links.create("br0", 1, 2, 2, 64, pool).close();
        links.create("br1", 5, 3, 1, 128, pool).close();
        links.create("br0", 3, 4, 2, 64, pool).close();
        Files.write(dir.resolve("shunt-link-br0-7-8-99"), new byte[4096]);        // named like a link, zeros
        TestRegions.port(dir, "p1", 1, pool);                                    // another kind of region
        Files.createFile(dir.resolve(".shunt-link-br0-1-2-9.creating-1"));       // a creation in progress

        List<LinkDevice> found = new LinkRegions(RegionOptions.in(dir)).list();
        assertEquals(List.of("shunt-link-br0-1-2-1", "shunt-link-br1-5-3-2", "shunt-link-br0-3-4-3"),
                found.stream().map(LinkDevice::regionName).toList());
        LinkDevice oneWay = found.get(1);
        assertEquals(5, oneWay.portA());
        assertEquals(3, oneWay.portB());
        assertEquals(1, oneWay.directions());
        assertEquals(2, oneWay.generation());
        assertEquals("br1", oneWay.bridge());
        try (LinkRegion adopted = LinkRegion.attach(oneWay.file())) {
            assertEquals(128, adopted.ringCapacity());
        }
        assertEquals(List.of("shunt-link-br0-1-2-1", "shunt-link-br0-3-4-3"),
                links.list("br0").stream().map(LinkDevice::regionName).toList());
    }

    @Test
    void freeByNameUnlinksOnlyThatLink() throws IOException {
        LinkRegions links = new LinkRegions(RegionOptions.in(dir));
        links.create("br0", 1, 2, 2, 64, pool).close();
        links.create("br0", 3, 4, 2, 64, pool).close();
        assertTrue(links.free(new LinkName("br0", 1, 2, 1)));
        assertFalse(links.free(new LinkName("br0", 1, 2, 1)), "second free finds nothing");
        assertEquals(List.of("shunt-link-br0-3-4-2"), links.list().stream().map(LinkDevice::regionName).toList());
    }

    @Test
    void aPairNamesTheLowerOfportFirst() {
        LinkRegions links = new LinkRegions(RegionOptions.in(dir));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> links.create("br0", 2, 1, 2, 64, pool));
        assertTrue(e.getMessage().contains("lower ofport"), e.getMessage());
    }

    @Test
    void createAppliesTheConfiguredMode() throws IOException {
        LinkRegions links = new LinkRegions(RegionOptions.in(dir).withPermissions("rw-rw-rw-"));
        try (LinkRegion created = links.create("br0", 1, 2, 2, 64, pool)) {
            assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(created.region().file())));
        }
    }
}
