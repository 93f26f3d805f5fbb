package io.shunt.ivshmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.region.RegionOptions;

class LinkDeviceTest {
    @TempDir
    Path dir;

    @Test
    void shmemXmlIsWellFormedWithAPowerOfTwoMiBThatHoldsTheFile() throws Exception {
        try (PacketPool pool = TestRegions.pool(dir, "shunt-pool-br0")) {
            LinkRegions links = new LinkRegions(RegionOptions.in(dir));
            // 64 slots: a region of a few KiB; 1 << 19 slots per ring, two rings: more than 2 MiB.
            for (int capacity : new int[] {64, 1 << 19}) {
                try (LinkRegion link = links.create("br0", 1, 2, 2, capacity, pool)) {
                    LinkDevice device = LinkDevice.of(link);
                    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                            .parse(new ByteArrayInputStream(device.shmemXml().getBytes(StandardCharsets.UTF_8)));
                    Element shmem = xml.getDocumentElement();
                    assertEquals("shmem", shmem.getTagName());
                    assertEquals(device.regionName(), shmem.getAttribute("name"));
                    Element model = (Element) shmem.getElementsByTagName("model").item(0);
                    assertEquals("ivshmem-plain", model.getAttribute("type"));
                    Element size = (Element) shmem.getElementsByTagName("size").item(0);
                    assertEquals("M", size.getAttribute("unit"));
                    int mib = Integer.parseInt(size.getTextContent());
                    assertTrue(mib >= 1 && Integer.bitCount(mib) == 1, "size " + mib + " MiB");
                    assertTrue((long) mib << 20 >= device.regionBytes(), "the device holds the region");
                    assertEquals((long) mib << 20, Files.size(device.file()), "the file is exactly the device size");
                    if (capacity > 64) {
                        assertTrue(mib >= 4, "a region over 2 MiB needs a 4 MiB device: " + mib);
                    }
                }
            }
        }
    }

    @Test
    void deviceSizeIsTheSmallestPowerOfTwoMiBOfAtLeastOne() {
        assertEquals(1, LinkDevice.deviceMiBFor(4096));
        assertEquals(1, LinkDevice.deviceMiBFor(1 << 20));
        assertEquals(2, LinkDevice.deviceMiBFor((1 << 20) + 1));
        assertEquals(4, LinkDevice.deviceMiBFor(3L << 20));
        assertEquals(256, LinkDevice.deviceMiBFor(256L << 20));
    }

    @Test
    void aRegionOutsideDevShmIsNotLibvirtCompatible() throws Exception {
        try (PacketPool pool = TestRegions.pool(dir, "shunt-pool-br0");
             LinkRegion link = new LinkRegions(RegionOptions.in(dir)).create("br0", 1, 2, 2, 64, pool)) {
            assertFalse(LinkDevice.of(link).libvirtCompatible(), "libvirt's <shmem> always means /dev/shm/<name>");
        }
        LinkDevice inDevShm = new LinkDevice(new LinkName("br0", 1, 2, 3), Path.of("/dev/shm/shunt-link-br0-1-2-3"),
                8192, 1, 2);
        assertTrue(inDevShm.libvirtCompatible());
    }

    @Test
    void aDescriptorRefusesSizesAnIvshmemDeviceCannotHave() {
        LinkName name = new LinkName("br0", 1, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> new LinkDevice(name, dir, 8192, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> new LinkDevice(name, dir, 4L << 20, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new LinkDevice(name, dir, 12288, 1, 2));
    }
}
