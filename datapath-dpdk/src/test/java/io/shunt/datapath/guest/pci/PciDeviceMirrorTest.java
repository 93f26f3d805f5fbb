package io.shunt.datapath.guest.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.shunt.datapath.guest.GuestPort;
import io.shunt.datapath.pool.PacketPool;
import io.shunt.datapath.port.LinkRegion;
import io.shunt.datapath.port.PortRegion;
import io.shunt.datapath.region.RegionOptions;

/**
 * The mirror over a sysfs-shaped bus whose BAR2 files are real regions: pool and port devices
 * become a region directory that GuestPort attaches from, link devices become device-directory
 * entries, removed devices are unlinked, foreign ivshmem devices are left alone.
 */
class PciDeviceMirrorTest {
    @TempDir
    Path host;
    @TempDir
    Path sysfs;
    @TempDir
    Path guest;

    @Test
    void poolAndPortDevicesFormARegionDirectoryThatGuestPortAttaches() throws Exception {
        RegionOptions options = RegionOptions.in(host);
        try (PacketPool pool = PacketPool.create(options, "shunt-pool-br0", 256, 5);
             PortRegion port = PortRegion.create(options, "shunt-port-p1", 1, 64, pool, 6)) {
            FakePciBus bus = new FakePciBus(sysfs);
            bus.addIvshmem("0000:00:02.0", pool.region().file());
            bus.addIvshmem("0000:00:03.0", port.region().file());
            Path regions = guest.resolve("regions");
            Path devices = guest.resolve("devices");
            List<String> seen = new ArrayList<>();
            try (PciDeviceMirror mirror = new PciDeviceMirror(bus.bus(), regions, devices, new PciDeviceMirror.Listener() {
                @Override
                public void mirrored(PciDeviceMirror.Entry entry, long announcedNanos, long mirroredNanos) {
                    seen.add(entry.identity().name());
                }
            })) {
                mirror.start();
                assertEquals(List.of("shunt-pool-br0", "shunt-port-p1"), seen);
                assertEquals(sysfs.resolve("0000:00:03.0/resource2"), Files.readSymbolicLink(regions.resolve("shunt-port-p1")));
                assertEquals("1", Files.readString(sysfs.resolve("0000:00:03.0/enable")).strip(), "the mirror enables the device");
                try (GuestPort attached = GuestPort.attach(regions, "p1")) {
                    assertEquals(1, attached.portNumber());
                    assertEquals("shunt-pool-br0", attached.poolName());
                }
            }
        }
    }

    @Test
    void linkDevicesComeAndGoInTheDevicesDirectoryAndForeignDevicesAreIgnored() throws Exception {
        RegionOptions options = RegionOptions.in(host);
        try (PacketPool pool = PacketPool.create(options, "shunt-pool-br0", 256, 5);
             LinkRegion link = LinkRegion.create(options, "shunt-link-br0-1-2-9", 9, 1, 2, 2, 64, pool)) {
            Path foreign = host.resolve("not-a-region");
            Files.write(foreign, new byte[1 << 16]);
            FakePciBus bus = new FakePciBus(sysfs);
            bus.addIvshmem("0000:00:02.0", pool.region().file());
            Path regions = guest.resolve("regions");
            Path devices = guest.resolve("devices");
            try (PciDeviceMirror mirror = new PciDeviceMirror(bus.bus(), regions, devices, new PciDeviceMirror.Listener() { })) {
                mirror.start();
                bus.addIvshmem("0000:00:04.0", link.region().file());
                bus.addIvshmem("0000:00:05.0", foreign);
                mirror.resync(System.nanoTime());
                Path entry = devices.resolve("shunt-link-br0-1-2-9");
                assertTrue(Files.isSymbolicLink(entry));
                assertEquals(3 - 1, mirror.entries().size(), "pool and link mirrored, the foreign device not");
                try (LinkRegion attached = LinkRegion.attach(entry)) {
                    assertEquals(9, attached.linkGeneration());
                }
                try (var listing = Files.list(devices)) {
                    assertEquals(List.of(entry), listing.toList(), "no temporary entry is left behind");
                }

                bus.remove("0000:00:04.0");
                mirror.resync(System.nanoTime());
                assertFalse(Files.exists(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS), "unplugged device is unlinked");
                assertTrue(Files.isSymbolicLink(regions.resolve("shunt-pool-br0")), "the pool stays");
            }
        }
    }
}
