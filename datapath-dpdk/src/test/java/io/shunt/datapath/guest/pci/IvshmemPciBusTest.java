package io.shunt.datapath.guest.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IvshmemPciBusTest {
    @TempDir
    Path sysfs;

    @Test
    void scanFindsOnlyIvshmemDevicesInSlotOrder() throws IOException {
        FakePciBus fake = new FakePciBus(sysfs);
        fake.addIvshmem("0000:00:05.0", null);
        fake.add("0000:00:01.0", 0x8086, 0x7000, null);       // PIIX3 ISA bridge
        fake.add("0000:00:03.0", 0x1af4, 0x1000, null);       // virtio-net
        fake.addIvshmem("0000:00:04.0", null);
        Files.createDirectories(sysfs.resolve("0000:00:06.0")); // no id files (a half-removed device)
        List<String> slots = fake.bus().scan().stream().map(IvshmemPciDevice::slot).toList();
        assertEquals(List.of("0000:00:04.0", "0000:00:05.0"), slots);
    }

    @Test
    void deviceLooksUpOneSlotAndRefusesPathTricks() throws IOException {
        FakePciBus fake = new FakePciBus(sysfs);
        fake.addIvshmem("0000:00:04.0", null);
        assertEquals("0000:00:04.0", fake.bus().device("0000:00:04.0").orElseThrow().slot());
        assertEquals(sysfs.resolve("0000:00:04.0/resource2"), fake.bus().device("0000:00:04.0").orElseThrow().bar2());
        assertTrue(fake.bus().device("0000:00:09.0").isEmpty());
        assertTrue(fake.bus().device("../0000:00:04.0").isEmpty());
        assertTrue(fake.bus().device("").isEmpty());
    }
}
